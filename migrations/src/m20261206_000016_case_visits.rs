//! When each person last opened each case's page, and the visit before: what changed since
//! is marked "nieuw" in their overview and on the case page. One row per person and case,
//! written by the page itself (any node can write it: nothing is kept on a node).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("case_visits")
                .col(integer("user_id"))
                .col(integer("case_id"))
                .col(timestamp_with_time_zone("seen_at"))
                .col(timestamp_with_time_zone_null("previous_at"))
                .primary_key(Index::create().col("user_id").col("case_id"))
                .foreign_key(ForeignKey::create().from("case_visits", "user_id").to("users", "id"))
                .foreign_key(ForeignKey::create().from("case_visits", "case_id").to("cases", "id"))
                .to_owned(),
        )
        .await
    }
}
