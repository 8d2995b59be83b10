//! The chair's draft of a ruling: one per case, saved as often as the chair likes before the
//! ruling is adopted (the `adopt-ruling` step), read by the commission and the secretary.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("ruling_drafts")
                .col(integer("case_id").primary_key())
                .col(string_len_null("outcome", 32))
                .col(string_len_null("nature", 32))
                .col(text("dictum"))
                .col(text("reasoning"))
                .col(text_null("cost_allocation"))
                .col(integer("updated_by"))
                .col(timestamp_with_time_zone("updated_at"))
                .foreign_key(ForeignKey::create().from("ruling_drafts", "case_id").to("cases", "id"))
                .foreign_key(
                    ForeignKey::create()
                        .from("ruling_drafts", "updated_by")
                        .to("users", "id"),
                )
                .to_owned(),
        )
        .await
    }
}
