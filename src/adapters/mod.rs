//! Outbound adapters: implementations of the ports in `crate::ports`.

pub mod ai;
pub mod password;
pub mod sql;
