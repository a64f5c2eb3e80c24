//! Event Marketing: AI-assisted marketing events for small shops in Korea.
//!
//! One library behind one binary. See `DESIGN.md` (in `../shared/`) for the map; the layers are
//! `domain` (rules, no I/O), `app` (use cases), `ports` (traits), `adapters` (outbound), `http`
//! (inbound), and `startup` (wiring).

pub mod adapters;
pub mod app;
pub mod config;
pub mod domain;
pub mod functions;
pub mod http;
pub mod ports;
pub mod startup;
pub mod telemetry;
