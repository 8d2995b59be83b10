//! The in-app inbox: reminders before a term's last day and the signal when it passes, one
//! row per person. `dedupe_key` is unique, so however many workers sweep at once, nobody is
//! told the same thing twice. And each person's private calendar feed: only the SHA-256 of
//! its secret token is stored.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("notifications")
                .col(pk_auto("id"))
                .col(uuid_uniq("public_id"))
                .col(integer("user_id"))
                .col(integer_null("case_id"))
                .col(integer_null("term_id"))
                .col(string_len("kind", 16))
                .col(string_len_uniq("dedupe_key", 200))
                .col(string_len("title", 300))
                .col(text("body"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone_null("read_at"))
                .foreign_key(
                    ForeignKey::create()
                        .from("notifications", "user_id")
                        .to("users", "id")
                        .on_delete(ForeignKeyAction::Restrict),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from("notifications", "case_id")
                        .to("cases", "id")
                        .on_delete(ForeignKeyAction::Restrict),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("notifications_user")
                .table("notifications")
                .col("user_id")
                .col("id")
                .to_owned(),
        )
        .await?;
        // E-mail waiting to be sent, sent, or given up on after retries: never lost silently.
        m.create_table(
            Table::create()
                .table("email_outbox")
                .col(pk_auto("id"))
                .col(string_len_uniq("dedupe_key", 200))
                .col(string_len("to_address", 254))
                .col(string_len("subject", 300))
                .col(text("body"))
                // queued, sending, sent, failed
                .col(string_len("status", 16))
                .col(integer("attempts").default(0))
                .col(timestamp_with_time_zone("next_attempt_at"))
                .col(timestamp_with_time_zone_null("locked_until"))
                .col(text_null("last_error"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone_null("sent_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("email_outbox_due")
                .table("email_outbox")
                .col("status")
                .col("next_attempt_at")
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("calendar_feeds")
                .col(integer("user_id").primary_key())
                .col(string_len_uniq("token_hash", 64))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(
                    ForeignKey::create()
                        .from("calendar_feeds", "user_id")
                        .to("users", "id")
                        .on_delete(ForeignKeyAction::Restrict),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("case_terms_sweep")
                .table("case_terms")
                .col("status")
                .col("due_on")
                .col("id")
                .to_owned(),
        )
        .await
    }
}
