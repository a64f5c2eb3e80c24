//! Outbound adapters: implementations of the ports in `crate::ports`.

pub mod ai;
pub mod azure_blobs;
pub mod blobs;
pub mod painter;
pub mod password;
pub mod service_bus;
pub mod sql;
