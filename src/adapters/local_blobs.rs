//! Local blob storage: files under `DATA_DIR/blobs`, served by the binary at `/blobs/{key}`
//! (`http::blobs`). In Azure, Blob Storage (`azure_blobs`) stands behind the same port.

use std::path::{Path, PathBuf};

use async_trait::async_trait;

use crate::ports::{BlobError, Blobs};

#[derive(Clone)]
pub struct LocalBlobs {
    root: PathBuf,
    base_url: String,
}

/// Keys are ours (ids and fixed names), but are still checked before they touch the disk.
fn safe_key(key: &str) -> bool {
    !key.is_empty()
        && key.len() <= 512
        && !key.starts_with('/')
        && key
            .split('/')
            .all(|part| !part.is_empty() && part != "." && part != "..")
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '/' | '-' | '_' | '.'))
}

/// The content type of a stored key, from its extension.
pub fn content_type_of(key: &str) -> &'static str {
    match Path::new(key).extension().and_then(|e| e.to_str()) {
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("json") => "application/json",
        Some("txt") => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

impl LocalBlobs {
    pub fn new(root: PathBuf, base_url: String) -> Self {
        Self {
            root,
            base_url: base_url.trim_end_matches('/').to_owned(),
        }
    }

    /// The bytes under `key`, if it is a safe key that exists.
    pub async fn read(&self, key: &str) -> Option<Vec<u8>> {
        if !safe_key(key) {
            return None;
        }
        tokio::fs::read(self.root.join(key)).await.ok()
    }
}

#[async_trait]
impl Blobs for LocalBlobs {
    async fn put(&self, key: &str, bytes: Vec<u8>, _content_type: &str) -> Result<(), BlobError> {
        if !safe_key(key) {
            return Err(BlobError::Unavailable(format!("invalid key {key}")));
        }
        let path = self.root.join(key);
        let dir = path.parent().unwrap_or(&self.root).to_path_buf();
        let io = |e: std::io::Error| BlobError::Unavailable(e.to_string());
        tokio::fs::create_dir_all(&dir).await.map_err(io)?;
        // Write then rename: a reader never sees half a file.
        let tmp = dir.join(format!(".{}.tmp", uuid::Uuid::new_v4().simple()));
        tokio::fs::write(&tmp, bytes).await.map_err(io)?;
        tokio::fs::rename(&tmp, &path).await.map_err(io)
    }

    async fn get(&self, key: &str) -> Result<Vec<u8>, BlobError> {
        self.read(key)
            .await
            .ok_or_else(|| BlobError::Unavailable(format!("no blob {key}")))
    }

    async fn delete(&self, key: &str) -> Result<(), BlobError> {
        if !safe_key(key) {
            return Err(BlobError::Unavailable(format!("invalid key {key}")));
        }
        match tokio::fs::remove_file(self.root.join(key)).await {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(BlobError::Unavailable(e.to_string())),
        }
    }

    fn url(&self, key: &str) -> String {
        format!("{}/blobs/{key}", self.base_url)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_cannot_escape_the_folder() {
        assert!(safe_key("events/1/jobs/2/instagram-bold.png"));
        for bad in [
            "",
            "/etc/passwd",
            "../x",
            "a/../b",
            "a//b",
            "a b.png",
            "a/./b",
        ] {
            assert!(!safe_key(bad), "{bad}");
        }
    }

    #[tokio::test]
    async fn put_then_read_and_urls() {
        let dir = tempfile::tempdir().unwrap();
        let blobs = LocalBlobs::new(dir.path().to_path_buf(), "http://127.0.0.1:8080/".into());
        blobs
            .put("a/b.png", vec![1, 2, 3], "image/png")
            .await
            .unwrap();
        blobs.put("a/b.png", vec![4], "image/png").await.unwrap();
        assert_eq!(blobs.read("a/b.png").await, Some(vec![4]));
        assert_eq!(blobs.url("a/b.png"), "http://127.0.0.1:8080/blobs/a/b.png");
        assert!(blobs.put("../x", vec![], "x").await.is_err());
    }
}
