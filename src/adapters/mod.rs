//! Outbound adapters: implementations of the ports in `crate::ports`, one file or folder per
//! thing they talk to.

pub mod azure_blobs;
pub mod azure_openai;
pub mod channels;
pub mod crypto;
pub mod jwt;
pub mod local_blobs;
pub mod mail;
pub mod painter;
pub mod password;
pub mod recommender;
pub mod service_bus;
pub mod sql;
