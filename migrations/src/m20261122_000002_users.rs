//! Users: one role and (except the administrator) one organisation each.
//! `credentials_version` is raised on every password change and on disabling, which makes
//! every token issued before that moment invalid without any shared session store.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("users")
                .col(pk_auto("id"))
                .col(uuid_uniq("public_id"))
                .col(string_len_uniq("username", 64))
                .col(string_len("display_name", 200))
                .col(string_len_null("email", 254))
                .col(string_len("role", 32))
                .col(integer_null("organisation_id"))
                .col(boolean("may_chair").default(false))
                .col(string_len("password_hash", 255))
                .col(integer("credentials_version").default(1))
                .col(timestamp_with_time_zone_null("disabled_at"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .foreign_key(
                    ForeignKey::create()
                        .from("users", "organisation_id")
                        .to("organisations", "id")
                        .on_delete(ForeignKeyAction::Restrict),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("users_organisation")
                .table("users")
                .col("organisation_id")
                .to_owned(),
        )
        .await
    }
}
