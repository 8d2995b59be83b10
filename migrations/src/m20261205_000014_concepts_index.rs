//! A filer's own concepts, newest first, as one walk: a partial index on `(filed_by, id)`
//! over the cases never filed. (`cases_filed_by` finds them too, but orders them by
//! `submitted_at` first, which a `NULL` does not fix, so the planner has to sort them.)

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // PostgreSQL and SQLite both take a partial index in this spelling.
        m.get_connection()
            .execute_unprepared("CREATE INDEX cases_concepts ON cases (filed_by, id) WHERE submitted_at IS NULL")
            .await
            .map(|_| ())
    }
}
