//! The service's own audit log (users, organisations, sign-ins, ruling drafts) is hash-chained
//! like a case's trail: each event gets a sequence number, the previous event's hash and its
//! own. One head row holds the last sequence and hash; writers update it first, which
//! serialises them (a row lock on PostgreSQL, the write lock on SQLite), so the chain never
//! forks. Events from before this migration are chained by the service at start-up.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // One column a statement: SQLite adds columns one at a time.
        for def in [
            ColumnDef::new("sequence").big_integer().null().to_owned(),
            ColumnDef::new("previous_hash").string_len(64).null().to_owned(),
            ColumnDef::new("hash").string_len(64).null().to_owned(),
        ] {
            m.alter_table(Table::alter().table("audit_events").add_column(def).to_owned())
                .await?;
        }
        m.create_index(
            Index::create()
                .name("audit_events_sequence")
                .table("audit_events")
                .col("sequence")
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("audit_log_head")
                .col(ColumnDef::new("id").integer().not_null().primary_key())
                .col(ColumnDef::new("sequence").big_integer().not_null())
                .col(ColumnDef::new("hash").string_len(64).not_null())
                .to_owned(),
        )
        .await?;
        m.exec_stmt(
            Query::insert()
                .into_table("audit_log_head")
                .columns(["id", "sequence", "hash"])
                .values_panic([
                    1.into(),
                    0i64.into(),
                    "0000000000000000000000000000000000000000000000000000000000000000".into(),
                ])
                .to_owned(),
        )
        .await
    }
}
