//! A second factor for password sign-in: a TOTP secret per person (RFC 6238; confirmed once
//! the person typed a code from it), the last time step a code was accepted for (so a code is
//! never accepted twice), and one-time recovery codes, stored as their SHA-256. A web session
//! of a person whose role requires a second factor and who has none leads only to enrolment
//! (`web_sessions.must_enrol`).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table("web_sessions")
                .add_column(ColumnDef::new("must_enrol").boolean().not_null().default(false))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("second_factors")
                .col(integer("user_id").primary_key())
                .col(string_len("secret", 64))
                .col(timestamp_with_time_zone_null("confirmed_at"))
                .col(big_integer_null("last_step"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(ForeignKey::create().from("second_factors", "user_id").to("users", "id"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("recovery_codes")
                .col(pk_auto("id"))
                .col(integer("user_id"))
                .col(string_len_uniq("code_hash", 64))
                .col(timestamp_with_time_zone_null("used_at"))
                .foreign_key(ForeignKey::create().from("recovery_codes", "user_id").to("users", "id"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("recovery_codes_user")
                .table("recovery_codes")
                .col("user_id")
                .to_owned(),
        )
        .await
    }
}
