//! Images in Azure Blob Storage, through `azure_storage_blob`. In Azure the app's user-assigned
//! managed identity writes (Storage Blob Data Contributor on the images account); a container
//! URL that carries a SAS (Azurite in tests, or a deliberate SAS setup) needs no credential.
//! The container allows anonymous read of a blob by URL, so the URL a channel fetches is the
//! container URL (without any SAS) plus the key.

use std::sync::Arc;

use async_trait::async_trait;
use azure_core::credentials::TokenCredential;
use azure_core::http::RequestContent;
use azure_identity::{ManagedIdentityCredential, ManagedIdentityCredentialOptions, UserAssignedId};
use azure_storage_blob::BlobContainerClient;
use azure_storage_blob::models::{
    BlobClientUploadOptions, BlobContainerClientCreateOptions, PublicAccessType,
};
use url::Url;

use crate::ports::{BlobError, Blobs};

pub struct AzureBlobs {
    container: BlobContainerClient,
    public_base: String,
}

impl AzureBlobs {
    /// `container_url` is `https://<account>.blob.core.windows.net/<container>`, optionally with
    /// a SAS query. Without a SAS, the managed identity (`client_id` for a user-assigned one)
    /// authenticates.
    pub fn new(container_url: &str, client_id: Option<&str>) -> anyhow::Result<Self> {
        let url = Url::parse(container_url)?;
        let has_sas = url.query_pairs().any(|(k, _)| k == "sig");
        let credential: Option<Arc<dyn TokenCredential>> = if has_sas {
            None
        } else {
            let options = ManagedIdentityCredentialOptions {
                user_assigned_id: client_id.map(|id| UserAssignedId::ClientId(id.to_owned())),
                ..Default::default()
            };
            Some(ManagedIdentityCredential::new(Some(options))?)
        };
        let mut public = url.clone();
        public.set_query(None);
        Ok(Self {
            container: BlobContainerClient::new(url, credential, None)?,
            public_base: public.as_str().trim_end_matches('/').to_owned(),
        })
    }

    /// Creates the container with anonymous blob read if it does not exist (Bicep creates it in
    /// Azure; Azurite starts empty).
    pub async fn ensure_container(&self) -> anyhow::Result<()> {
        if !self.container.exists().await? {
            self.container
                .create(Some(BlobContainerClientCreateOptions {
                    access: Some(PublicAccessType::Blob),
                    ..Default::default()
                }))
                .await?;
        }
        Ok(())
    }
}

/// How long anyone may keep an image: for good.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";

#[async_trait]
impl Blobs for AzureBlobs {
    async fn put(&self, key: &str, bytes: Vec<u8>, content_type: &str) -> Result<(), BlobError> {
        self.container
            .blob_client(key)
            .upload(
                RequestContent::from(bytes),
                Some(BlobClientUploadOptions {
                    blob_content_type: Some(content_type.to_owned()),
                    // A key is written once (a poster per job, a post's image per event), so
                    // browsers and channels may keep what they fetched.
                    blob_cache_control: Some(IMMUTABLE.to_owned()),
                    ..Default::default()
                }),
            )
            .await
            .map(|_| ())
            .map_err(|e| BlobError::Unavailable(e.to_string()))
    }

    async fn get(&self, key: &str) -> Result<Vec<u8>, BlobError> {
        let unavailable = |e: azure_core::Error| BlobError::Unavailable(e.to_string());
        let download =
            (self.container.blob_client(key).download(None).await).map_err(unavailable)?;
        Ok(download.body.collect().await.map_err(unavailable)?.to_vec())
    }

    fn url(&self, key: &str) -> String {
        format!("{}/{key}", self.public_base)
    }

    async fn delete(&self, key: &str) -> Result<(), BlobError> {
        match self.container.blob_client(key).delete(None).await {
            Ok(_) => Ok(()),
            Err(e) if e.http_status() == Some(azure_core::http::StatusCode::NotFound) => Ok(()),
            Err(e) => Err(BlobError::Unavailable(e.to_string())),
        }
    }
}
