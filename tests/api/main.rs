//! Black-box tests through real HTTP against a started application, each on its own fresh
//! database, on SQLite and PostgreSQL.

mod harness;

mod audit_anchor;
mod auth;
mod binary;
mod bootstrap;
mod browser;
mod browser_journey;
mod calendar;
mod case_access;
mod case_audit;
mod case_input;
mod case_journey;
mod case_support;
mod case_terms;
mod chrome;
mod clamd;
mod cli;
mod document_access;
mod document_crash;
mod document_input;
mod document_s3;
mod document_scanning;
mod document_support;
mod documents;
mod fault_database;
mod fault_kill;
mod fault_nodes;
mod hardening;
mod http;
mod moto;
mod organisations;
mod private_postgres;
mod reminders;
mod rule_book;
mod schemathesis;
mod smtp_sink;
mod throttling;
mod tokens;
mod users;
mod web;
mod web_actions;
mod web_admin;
mod web_filing;
mod web_ruling;
