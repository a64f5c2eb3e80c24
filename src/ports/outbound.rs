//! Where images and messages go: blob storage and the message bus.

use async_trait::async_trait;

use crate::domain::OutboxMessage;

#[derive(Debug, thiserror::Error)]
pub enum BlobError {
    #[error("blob storage unavailable: {0}")]
    Unavailable(String),
}

/// Where images live: files served by the binary locally, Blob Storage in Azure.
#[async_trait]
pub trait Blobs: Send + Sync {
    /// Writes (or overwrites) `key`.
    async fn put(&self, key: &str, bytes: Vec<u8>, content_type: &str) -> Result<(), BlobError>;
    /// The bytes under `key`.
    async fn get(&self, key: &str) -> Result<Vec<u8>, BlobError>;
    /// The URL a browser or a channel fetches `key` from.
    fn url(&self, key: &str) -> String;
    /// Removes `key`; a key that is not there is already removed.
    async fn delete(&self, key: &str) -> Result<(), BlobError>;
}

#[derive(Debug, thiserror::Error)]
#[error("sending failed: {0}")]
pub struct SendError(pub String);

/// Where the relay publishes outbox messages in Azure (Service Bus). Without one, the relay
/// delivers them in process.
#[async_trait]
pub trait MessageSender: Send + Sync {
    async fn send(&self, message: &OutboxMessage) -> Result<(), SendError>;
}
