//! What a ruling orders (who must do what, by when) is kept as terms like any other: each
//! obligation in `ruling_obligations` runs as a term in `case_terms` (key `nakoming`), so
//! reminders, the overdue signal, "waiting on me" and the parties' deadlines follow it without
//! code of their own. A term the ruling set has no rule in the reglement to name it, so
//! `case_terms` gains a `label` for it (empty for the reglement's terms).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table("case_terms")
                .add_column(ColumnDef::new("label").string_len(300).null())
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("ruling_obligations")
                .col(pk_auto("id"))
                .col(uuid_uniq("public_id"))
                .col(integer("case_id"))
                .col(integer_uniq("term_id"))
                // The ruling (version) in force when it was recorded.
                .col(integer("ruling_id"))
                // verzoeker, verweerder, partijen
                .col(string_len("who", 20))
                .col(text("description"))
                .col(big_integer_null("amount_cents"))
                // The term from the ruling's date (ISO 8601, e.g. P6W), when the ruling set
                // one; otherwise the ruling named the date itself.
                .col(string_len_null("within", 20))
                .col(integer("recorded_by"))
                .col(timestamp_with_time_zone("recorded_at"))
                .col(date_null("fulfilled_on"))
                .col(text_null("fulfilled_note"))
                .col(integer_null("reported_by"))
                .col(timestamp_with_time_zone_null("reported_at"))
                .col(text_null("cancel_reason"))
                .foreign_key(
                    ForeignKey::create()
                        .from("ruling_obligations", "case_id")
                        .to("cases", "id"),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from("ruling_obligations", "term_id")
                        .to("case_terms", "id"),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from("ruling_obligations", "ruling_id")
                        .to("rulings", "id"),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ruling_obligations_case")
                .table("ruling_obligations")
                .col("case_id")
                .col("id")
                .to_owned(),
        )
        .await
    }
}
