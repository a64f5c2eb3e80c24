//! Mailers: Azure Communication Services Email (`acs`), the local sandbox mailbox, and the
//! refusal of an instance that has no mail service configured.

pub mod acs;

use std::path::PathBuf;

use async_trait::async_trait;

use crate::ports::{Mail, MailError, Mailer};

/// Locally: each mail is a file under `DATA_DIR/sandbox/mail/` (readable by its owner only), and
/// its link is printed in the log. Nothing is sent — the log line says so.
pub struct SandboxMailbox {
    dir: PathBuf,
}

impl SandboxMailbox {
    pub fn new(data_dir: &std::path::Path) -> Self {
        Self {
            dir: data_dir.join("sandbox").join("mail"),
        }
    }
}

#[async_trait]
impl Mailer for SandboxMailbox {
    async fn send(&self, mail: &Mail) -> Result<(), MailError> {
        let now = chrono::Utc::now();
        let name = format!(
            "{}-{}.eml",
            now.format("%Y%m%dT%H%M%S%.6f"),
            uuid::Uuid::new_v4().simple()
        );
        let path = self.dir.join(name);
        let body = format!(
            "To: {}\r\nSubject: {}\r\nDate: {}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{}",
            mail.to.as_str(),
            mail.subject,
            now.to_rfc2822(),
            mail.text
        );
        write_private(&self.dir, &path, body.as_bytes())
            .map_err(|e| MailError::Unavailable(format!("sandbox mailbox: {e}")))?;
        let link = mail.text.lines().find(|l| l.starts_with("http"));
        tracing::info!(
            file = %path.display(),
            link = link.unwrap_or(""),
            "sandbox mail written to the local mailbox (not sent)"
        );
        Ok(())
    }
}

fn write_private(
    dir: &std::path::Path,
    path: &std::path::Path,
    body: &[u8],
) -> std::io::Result<()> {
    use std::io::Write;
    std::fs::create_dir_all(dir)?;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)?.write_all(body)
}

/// An instance in Azure without `MAIL_*` settings: every mail is refused, plainly.
pub struct NoMailService;

#[async_trait]
impl Mailer for NoMailService {
    async fn send(&self, _mail: &Mail) -> Result<(), MailError> {
        Err(MailError::Unavailable(
            "no mail service is configured (MAIL_ENDPOINT, MAIL_SENDER, MAIL_ACCESS_KEY)".into(),
        ))
    }
}
