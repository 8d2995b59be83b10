//! Sign-in through an organisation's own identity provider (OpenID Connect), and sessions
//! people can see.
//! - `oidc_logins`: a sign-in begun at a provider and not yet returned; keyed by the SHA-256 of
//!   its `state`, bound to the browser that began it (`browser_hash`, the SHA-256 of a cookie),
//!   holding the `nonce` and the PKCE verifier; deleted when the provider's answer is taken, so
//!   an answer is taken once on whichever node it reaches.
//! - `user_identities`: which person a provider's subject is (one row per provider and subject).
//! - `web_sessions` learn the browser (`user_agent`), the address, when they were last used, and
//!   for a session begun at a provider, which provider and its session id (`sid`) or subject,
//!   so the provider's logout ends it.
//! - `access_tokens`: every API token issued (by its `jti`), so a person sees and ends them.
//! - `known_devices`: the browsers a person signed in from before (SHA-256 of a long-lived
//!   cookie), so a sign-in from a new one is told by e-mail.
//! - `organisations.password_sign_in`: an administrator can switch the password form off for an
//!   organisation whose people sign in through their provider.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("oidc_logins")
                .col(string_len("state_hash", 64).primary_key())
                .col(string_len("browser_hash", 64))
                .col(string_len("provider", 64))
                .col(string_len("nonce", 128))
                .col(string_len("pkce_verifier", 128))
                .col(string_len("return_to", 2000))
                .col(timestamp_with_time_zone("expires_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("oidc_logins_expires")
                .table("oidc_logins")
                .col("expires_at")
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("user_identities")
                .col(pk_auto("id"))
                .col(string_len("provider", 64))
                .col(string_len("subject", 255))
                .col(integer("user_id"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(
                    ForeignKey::create()
                        .from("user_identities", "user_id")
                        .to("users", "id"),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("user_identities_subject")
                .table("user_identities")
                .col("provider")
                .col("subject")
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("user_identities_user")
                .table("user_identities")
                .col("user_id")
                .to_owned(),
        )
        .await?;
        // SQLite alters one column per statement.
        for column in [
            ColumnDef::new("user_agent").string_len(300).null().to_owned(),
            ColumnDef::new("address").string_len(64).null().to_owned(),
            ColumnDef::new("last_used_at")
                .timestamp_with_time_zone()
                .null()
                .to_owned(),
            ColumnDef::new("provider").string_len(64).null().to_owned(),
            ColumnDef::new("provider_session").string_len(255).null().to_owned(),
            ColumnDef::new("public_id").string_len(32).null().to_owned(),
        ] {
            let mut column = column;
            m.alter_table(Table::alter().table("web_sessions").add_column(&mut column).to_owned())
                .await?;
        }
        for (name, cols) in [
            ("web_sessions_user", &["user_id"][..]),
            ("web_sessions_provider", &["provider", "provider_session"][..]),
            ("web_sessions_public", &["public_id"][..]),
        ] {
            let mut index = Index::create();
            index.name(name).table("web_sessions");
            for c in cols {
                index.col(*c);
            }
            m.create_index(index.to_owned()).await?;
        }
        m.create_table(
            Table::create()
                .table("access_tokens")
                .col(uuid("jti").primary_key())
                .col(integer("user_id"))
                .col(string_len_null("user_agent", 300))
                .col(string_len_null("address", 64))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("expires_at"))
                .col(timestamp_with_time_zone_null("last_used_at"))
                .col(timestamp_with_time_zone_null("revoked_at"))
                .foreign_key(ForeignKey::create().from("access_tokens", "user_id").to("users", "id"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("access_tokens_user")
                .table("access_tokens")
                .col("user_id")
                .col("expires_at")
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("known_devices")
                .col(pk_auto("id"))
                .col(integer("user_id"))
                .col(string_len("device_hash", 64))
                .col(timestamp_with_time_zone("first_seen_at"))
                .foreign_key(ForeignKey::create().from("known_devices", "user_id").to("users", "id"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("known_devices_user")
                .table("known_devices")
                .col("user_id")
                .col("device_hash")
                .unique()
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table("organisations")
                .add_column(ColumnDef::new("password_sign_in").boolean().not_null().default(true))
                .to_owned(),
        )
        .await
    }
}
