//! The public version of each case's ruling: prepared by the secretary (personal data found
//! and replaced), reviewed (replacements undone or added: the `rules`), and decided —
//! published in full, as a summary only, or withheld with a reason. One row per case: the
//! concept under review until the decision, then what the register shows. The register
//! walks `published_at` newest first; a ruling's page is found by its case number.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("publications")
                .col(integer("case_id").primary_key())
                .col(integer("ruling_id"))
                .col(string_len("number", 40).unique_key())
                // concept, volledig, samenvatting, achtergehouden
                .col(string_len("status", 20))
                .col(text("rules"))
                .col(text("public_data"))
                .col(text("text"))
                .col(text_null("summary"))
                .col(text_null("reason"))
                .col(string_len("kind", 40))
                .col(string_len("outcome", 40))
                .col(date("ruled_on"))
                .col(integer("prepared_by"))
                .col(timestamp_with_time_zone("prepared_at"))
                .col(integer_null("decided_by"))
                .col(timestamp_with_time_zone_null("published_at"))
                .foreign_key(ForeignKey::create().from("publications", "case_id").to("cases", "id"))
                .foreign_key(
                    ForeignKey::create()
                        .from("publications", "ruling_id")
                        .to("rulings", "id"),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("publications_published")
                .table("publications")
                .col("published_at")
                .col("case_id")
                .to_owned(),
        )
        .await
    }
}
