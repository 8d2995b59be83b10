//! Organisations, region membership (with dates, for uittreding) and accounthouderschap.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("organisations")
                .col(pk_auto("id"))
                .col(uuid_uniq("public_id"))
                .col(string_len("kind", 32))
                .col(string_len("name", 200))
                .col(string_len_null("cbs_code", 6).unique_key())
                .col(integer_null("parent_id"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .foreign_key(
                    ForeignKey::create()
                        .from("organisations", "parent_id")
                        .to("organisations", "id")
                        .on_delete(ForeignKeyAction::Restrict),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("organisations_kind_name")
                .table("organisations")
                .col("kind")
                .col("name")
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("organisations_name_id")
                .table("organisations")
                .col("name")
                .col("id")
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("region_memberships")
                .col(pk_auto("id"))
                .col(uuid_uniq("public_id"))
                .col(integer("member_id"))
                .col(integer("region_id"))
                .col(date("start_date"))
                .col(date_null("end_date"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(
                    ForeignKey::create()
                        .from("region_memberships", "member_id")
                        .to("organisations", "id")
                        .on_delete(ForeignKeyAction::Restrict),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from("region_memberships", "region_id")
                        .to("organisations", "id")
                        .on_delete(ForeignKeyAction::Restrict),
                )
                .to_owned(),
        )
        .await?;
        for (name, col) in [
            ("region_memberships_member", "member_id"),
            ("region_memberships_region", "region_id"),
        ] {
            m.create_index(
                Index::create()
                    .name(name)
                    .table("region_memberships")
                    .col(col)
                    .to_owned(),
            )
            .await?;
        }

        m.create_table(
            Table::create()
                .table("accounthouderschappen")
                .col(pk_auto("id"))
                .col(uuid_uniq("public_id"))
                .col(integer("region_id"))
                .col(integer("provider_id"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(
                    ForeignKey::create()
                        .from("accounthouderschappen", "region_id")
                        .to("organisations", "id")
                        .on_delete(ForeignKeyAction::Restrict),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from("accounthouderschappen", "provider_id")
                        .to("organisations", "id")
                        .on_delete(ForeignKeyAction::Restrict),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("accounthouderschappen_pair")
                .table("accounthouderschappen")
                .col("region_id")
                .col("provider_id")
                .unique()
                .to_owned(),
        )
        .await
    }
}
