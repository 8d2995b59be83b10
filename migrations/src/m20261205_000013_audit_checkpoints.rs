//! Audit checkpoints: every so often a node seals the audit entries written since the last
//! checkpoint into a keyed, chained checkpoint written to the object store, outside the
//! database. This table only numbers them, so that two nodes never write the same one (the
//! primary key refuses the second) and `audit verify` knows how many there must be.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("audit_checkpoints")
                .col(ColumnDef::new("sequence").big_integer().not_null().primary_key())
                .col(ColumnDef::new("written_at").timestamp_with_time_zone().not_null())
                // The case trail entries it covers: ids after the previous one's, through this.
                .col(ColumnDef::new("case_entries_through").big_integer().not_null())
                // The service audit log's sequence it covers.
                .col(ColumnDef::new("service_sequence").big_integer().not_null())
                .col(ColumnDef::new("mac").string_len(64).not_null())
                .to_owned(),
        )
        .await
    }
}
