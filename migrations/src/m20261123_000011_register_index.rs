//! The public register lists the latest adopted rulings: an index on their moment of
//! adoption, so the register reads the newest few instead of sorting every ruling.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_index(
            Index::create()
                .name("rulings_adopted_at")
                .table("rulings")
                .col("adopted_at")
                .to_owned(),
        )
        .await
    }
}
