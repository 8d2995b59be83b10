//! Black-box tests through real HTTP against a started application, each on its own fresh
//! database, on SQLite and PostgreSQL.

mod harness;

mod auth;
mod bootstrap;
mod cli;
mod http;
mod organisations;
mod throttling;
mod tokens;
mod users;
