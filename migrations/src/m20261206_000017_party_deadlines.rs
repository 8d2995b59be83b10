//! "Waiting on us" and "a term has passed" as index walks, like phase and kind (see
//! `m20261206_000015_party_phase`):
//!
//! - each running term records whom it waits on (`case_terms.who`, the `wie` of its rule when
//!   it started — like its dates, fixed when it starts);
//! - each party's row carries the last day of the first running term that waits on its side
//!   (`waits_until`) and of the first running term in the case (`next_due_on`), both empty
//!   while the case is suspended; the service writes them with every change to the terms, in
//!   the same transaction (`service::cases::terms::refresh_parties`, the same statement this
//!   migration runs once);
//! - partial indexes walk a party's cases with such a term, newest first.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Whom each term of `policies/termijnen.toml` waited on when this migration was written:
/// the terms already running get it here; new terms take it from the rules in force.
const WHO: [(&str, &str); 10] = [
    ("ontvankelijkheid", "secretaris"),
    ("herstel_verzuim", "verzoeker"),
    ("bemiddelaar_toewijzen", "secretaris"),
    ("bemiddeling", "bemiddelaar"),
    ("escalatie", "partijen"),
    ("verweer", "verweerder"),
    ("repliek", "verzoeker"),
    ("dupliek", "verweerder"),
    ("zitting", "secretaris"),
    ("uitspraak", "voorzitter"),
];

/// Fills the parties' deadlines of the cases `scope` selects (an SQL condition on
/// `case_parties`). The service keeps its own copy of this statement (see the module note).
pub const REFRESH: &str = "UPDATE case_parties SET \
    next_due_on = (SELECT MIN(t.due_on) FROM case_terms t WHERE t.case_id = case_parties.case_id AND t.status = 'running' \
        AND NOT EXISTS (SELECT 1 FROM case_suspensions s WHERE s.case_id = case_parties.case_id AND s.until_on IS NULL)), \
    waits_until = (SELECT MIN(t.due_on) FROM case_terms t WHERE t.case_id = case_parties.case_id AND t.status = 'running' \
        AND t.who IN (case_parties.side, 'partijen') \
        AND NOT EXISTS (SELECT 1 FROM case_suspensions s WHERE s.case_id = case_parties.case_id AND s.until_on IS NULL))";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        m.alter_table(
            Table::alter()
                .table("case_terms")
                .add_column(ColumnDef::new("who").string_len(16).not_null().default(""))
                .to_owned(),
        )
        .await?;
        for (key, who) in WHO {
            db.execute_unprepared(&format!("UPDATE case_terms SET who = '{who}' WHERE key = '{key}'"))
                .await?;
        }
        for column in ["waits_until", "next_due_on"] {
            m.alter_table(
                Table::alter()
                    .table("case_parties")
                    .add_column(ColumnDef::new(column).date().null())
                    .to_owned(),
            )
            .await?;
        }
        db.execute_unprepared(&format!(
            "{REFRESH} WHERE case_id IN (SELECT case_id FROM case_terms WHERE status = 'running')"
        ))
        .await?;
        // PostgreSQL and SQLite both take partial indexes in this spelling, and both use one
        // for `x < ?` where it says `x IS NOT NULL`.
        for (name, column) in [
            ("case_parties_waiting", "waits_until"),
            ("case_parties_due", "next_due_on"),
        ] {
            db.execute_unprepared(&format!(
                "CREATE INDEX {name} ON case_parties (organisation_id, case_id) WHERE {column} IS NOT NULL"
            ))
            .await?;
        }
        Ok(())
    }
}
