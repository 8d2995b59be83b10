//! A case's running terms looked up by case, status, whom they wait on and last day — the
//! check a list narrowed by "waiting on me" or "overdue" makes for each case it walks (for
//! the secretary, mediator and commission, whose walk is over `cases`). With only
//! `(case_id, status)`, SQLite judged a whole scan of the terms cheaper for a term waiting on
//! one role; with the whole condition in the index no planner has a reason to.
//! It replaces `case_terms_case`, of which it is an extension.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_index(
            Index::create()
                .name("case_terms_lookup")
                .table("case_terms")
                .col("case_id")
                .col("status")
                .col("who")
                .col("due_on")
                .to_owned(),
        )
        .await?;
        m.drop_index(Index::drop().name("case_terms_case").table("case_terms").to_owned())
            .await
    }
}
