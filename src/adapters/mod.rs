//! Outbound adapters: implementations of the ports in `crate::ports`.

pub mod password;
pub mod sql;
