//! Sessions of the web application: only the SHA-256 of the cookie's secret is stored, with
//! the token that forms must carry (against cross-site request forgery), and when the session
//! ends if unused. Any node can read them, so a browser may land on any node.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("web_sessions")
                .col(pk_auto("id"))
                .col(string_len_uniq("token_hash", 64))
                .col(integer("user_id"))
                .col(string_len("csrf_token", 64))
                .col(integer("credentials_version"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("expires_at"))
                .foreign_key(ForeignKey::create().from("web_sessions", "user_id").to("users", "id"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("web_sessions_expiry")
                .table("web_sessions")
                .col("expires_at")
                .to_owned(),
        )
        .await
    }
}
