//! Database migrations for Beslecht.
//!
//! Kept as a crate of its own (as in the loco-rs and sea-orm conventions) so that the schema's
//! history is read in one place. Migrations run at start-up on SQLite and PostgreSQL alike and
//! use only portable column types; a migration, once released, is never edited.

pub use sea_orm_migration::prelude::*;

mod m20261122_000001_organisations;
mod m20261122_000002_users;
mod m20261122_000003_security;
mod m20261122_000004_cases;
mod m20261122_000005_terms;
mod m20261122_000006_notifications;
mod m20261122_000007_documents;
mod m20261122_000008_web_sessions;
mod m20261122_000009_queue_indexes;
mod m20261123_000010_ruling_drafts;
mod m20261123_000011_register_index;
mod m20261128_000012_audit_log_chain;
mod m20261205_000013_audit_checkpoints;
mod m20261205_000014_concepts_index;
mod m20261206_000015_party_phase;
mod m20261206_000016_case_visits;
mod m20261206_000017_party_deadlines;
mod m20261206_000018_term_lookup;
mod m20261206_000019_ruling_documents;
mod m20261206_000020_publications;
mod m20261206_000021_register_search;
mod m20261206_000022_ruling_obligations;
mod m20261206_000023_second_factors;
mod m20261207_000024_federated_sign_in;
mod m20261207_000025_term_sweep;
mod m20261207_000026_case_due;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261122_000001_organisations::Migration),
            Box::new(m20261122_000002_users::Migration),
            Box::new(m20261122_000003_security::Migration),
            Box::new(m20261122_000004_cases::Migration),
            Box::new(m20261122_000005_terms::Migration),
            Box::new(m20261122_000006_notifications::Migration),
            Box::new(m20261122_000007_documents::Migration),
            Box::new(m20261122_000008_web_sessions::Migration),
            Box::new(m20261122_000009_queue_indexes::Migration),
            Box::new(m20261123_000010_ruling_drafts::Migration),
            Box::new(m20261123_000011_register_index::Migration),
            Box::new(m20261128_000012_audit_log_chain::Migration),
            Box::new(m20261205_000013_audit_checkpoints::Migration),
            Box::new(m20261205_000014_concepts_index::Migration),
            Box::new(m20261206_000015_party_phase::Migration),
            Box::new(m20261206_000016_case_visits::Migration),
            Box::new(m20261206_000017_party_deadlines::Migration),
            Box::new(m20261206_000018_term_lookup::Migration),
            Box::new(m20261206_000019_ruling_documents::Migration),
            Box::new(m20261206_000020_publications::Migration),
            Box::new(m20261206_000021_register_search::Migration),
            Box::new(m20261206_000022_ruling_obligations::Migration),
            Box::new(m20261206_000023_second_factors::Migration),
            Box::new(m20261207_000024_federated_sign_in::Migration),
            Box::new(m20261207_000025_term_sweep::Migration),
            Box::new(m20261207_000026_case_due::Migration),
        ]
    }
}
