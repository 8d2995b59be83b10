//! Beslecht: disputes under the VNG Norm voor Opdrachtgeverschap.
//!
//! Layers, from the inside out: `domain` (rules, no I/O) → `service` (use cases, shared by
//! the API and the UI) → `storage` (database) and `auth`/`authz` (credentials and policies)
//! → `http` (JSON API and web pages) → `cli` (the `beslecht` command).

pub mod auth;
pub mod authz;
pub mod cli;
pub mod config;
pub mod domain;
pub mod error;
#[doc(hidden)]
pub mod fuzz;
pub mod http;
pub mod policies;
pub mod service;
pub mod storage;
pub mod telemetry;
pub mod typeset;
