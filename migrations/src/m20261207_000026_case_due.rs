//! "A term has passed" as an index walk for everyone who is not a party (the secretary, the
//! mediator, the commission), as `m20261206_000017_party_deadlines` made it for the parties:
//! each case carries the last day of its first running term (`cases.next_due_on`, empty while
//! the case is suspended or has no running term), written by the service with every change to
//! its terms or suspension, in the same transaction
//! (`service::cases::terms::refresh_parties`, which now copies it to the parties' rows).
//!
//! Before, those lists walked every case newest first and looked up each one's terms: at a
//! million cases the secretary's "overdue" list read the thousands of newest cases whose terms
//! had not passed, 22 ms at the median and 115 ms at p99. The partial index holds only cases
//! with a running term, with the day beside the id, so the walk reads the index alone.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        m.alter_table(
            Table::alter()
                .table("cases")
                .add_column(ColumnDef::new("next_due_on").date().null())
                .to_owned(),
        )
        .await?;
        db.execute_unprepared(
            "UPDATE cases SET next_due_on = (SELECT MIN(t.due_on) FROM case_terms t \
             WHERE t.case_id = cases.id AND t.status = 'running' \
             AND NOT EXISTS (SELECT 1 FROM case_suspensions s WHERE s.case_id = cases.id AND s.until_on IS NULL)) \
             WHERE id IN (SELECT case_id FROM case_terms WHERE status = 'running')",
        )
        .await?;
        // Both databases take a partial index in this spelling and use it for `x < ?`.
        db.execute_unprepared("CREATE INDEX cases_due ON cases (id, next_due_on) WHERE next_due_on IS NOT NULL")
            .await?;
        Ok(())
    }
}
