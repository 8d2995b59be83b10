//! The reminder sweep reads only the terms whose day has come. Each running term records the
//! day the sweep is next to look at it (`sweep_on`: its next reminder day, or the day after
//! its last day until its passing is signalled; empty once nothing more is owed), and a
//! partial index walks the running terms by that day. Before, every round read (and on
//! PostgreSQL locked) every running term within two weeks of its last day — at a million
//! cases some 150,000 rows a minute, for the few whose day had come.
//!
//! The service writes the day with every term it starts and every change of a last day (the
//! day of the change: the sweep then computes the next); the sweep writes the next after each
//! look (`domain::terms::reminders`). Running terms get today's date here, so the first round
//! after the migration looks at each once and sets its day.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        m.alter_table(
            Table::alter()
                .table("case_terms")
                .add_column(ColumnDef::new("sweep_on").date().null())
                .to_owned(),
        )
        .await?;
        db.execute_unprepared("UPDATE case_terms SET sweep_on = CURRENT_DATE WHERE status = 'running'")
            .await?;
        // It replaces the old sweep's index by status and last day (which `case_terms_due`
        // duplicates for every other reader), under a name of its own: SQLite's other pooled
        // connections may still hold the old schema for a moment. Both databases take a partial
        // index in this spelling.
        m.drop_index(Index::drop().name("case_terms_sweep").table("case_terms").to_owned())
            .await?;
        db.execute_unprepared("CREATE INDEX case_terms_sweep_on ON case_terms (sweep_on, id) WHERE status = 'running'")
            .await?;
        Ok(())
    }
}
