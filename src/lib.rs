//! Event Marketing: AI-assisted marketing events for small shops in Korea.
//!
//! One library behind one binary. The map is `docs/architecture.md`; the layers are `domain`
//! (rules, no I/O), `app` (use cases), `ports` (traits), `adapters` (outbound), `http` and
//! `triggers` (inbound), `config` (settings) and `startup` (wiring).

pub mod adapters;
pub mod app;
pub mod config;
pub mod domain;
pub mod http;
pub mod inbound;
pub mod ports;
pub mod serve;
pub mod startup;
pub mod telemetry;
pub mod triggers;
pub mod verify_draw;
pub mod web;
