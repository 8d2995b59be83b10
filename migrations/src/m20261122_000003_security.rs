//! Login throttling counters (shared by every app node) and the audit log of
//! administrative changes.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("login_throttles")
                .col(string_len("key", 300).primary_key())
                .col(integer("failures"))
                // Unix seconds: compared in SQL, identically on both databases.
                .col(big_integer("window_started_at"))
                .col(big_integer_null("blocked_until"))
                // How many refusal periods this key has earned; each doubles the next.
                .col(integer("strikes").default(0))
                .col(big_integer("updated_at"))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("audit_events")
                .col(big_pk_auto("id"))
                .col(uuid_uniq("public_id"))
                .col(timestamp_with_time_zone("occurred_at"))
                .col(integer_null("actor_user_id"))
                .col(string_len("actor", 100))
                .col(string_len("action", 64))
                .col(string_len("subject_type", 32))
                .col(uuid_null("subject_id"))
                .col(json_null("before"))
                .col(json_null("after"))
                .col(text_null("reason"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("audit_events_subject")
                .table("audit_events")
                .col("subject_type")
                .col("subject_id")
                .to_owned(),
        )
        .await
    }
}
