//! Running terms of cases and the suspension ledger.
//!
//! A term row is created when a case enters the phase or stage that starts it (per
//! `policies/termijnen.toml`) and closed when the case leaves it or takes the step that ends
//! it. `due_on` is its current last day (after extensions and suspensions); `fatal_on` the
//! last day it could reach with every extension the reglement still allows.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("case_terms")
                .col(pk_auto("id"))
                .col(uuid_uniq("public_id"))
                .col(integer("case_id"))
                .col(string_len("key", 64))
                .col(date("starts_on"))
                .col(date("due_on"))
                .col(date("fatal_on"))
                .col(integer("extensions").default(0))
                .col(integer("suspended_days").default(0))
                // How many of the reglement's reminders were sent, and whether the passing
                // of the term was signalled: the reminder sweep's own bookkeeping.
                .col(integer("reminders_sent").default(0))
                .col(boolean("overdue_signalled").default(false))
                // running, met, closed (the case left the phase otherwise)
                .col(string_len("status", 16))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone_null("ended_at"))
                .foreign_key(
                    ForeignKey::create()
                        .from("case_terms", "case_id")
                        .to("cases", "id")
                        .on_delete(ForeignKeyAction::Restrict),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("case_terms_case")
                .table("case_terms")
                .col("case_id")
                .col("status")
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("case_terms_due")
                .table("case_terms")
                .col("status")
                .col("due_on")
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("case_suspensions")
                .col(pk_auto("id"))
                .col(uuid_uniq("public_id"))
                .col(integer("case_id"))
                .col(date("from_on"))
                .col(date_null("until_on"))
                .col(text("reason"))
                .col(string_len("legal_basis", 500))
                .col(integer("suspended_by"))
                .col(integer_null("resumed_by"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(
                    ForeignKey::create()
                        .from("case_suspensions", "case_id")
                        .to("cases", "id")
                        .on_delete(ForeignKeyAction::Restrict),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("case_suspensions_case")
                .table("case_suspensions")
                .col("case_id")
                .to_owned(),
        )
        .await
    }
}
