//! The issued ruling document of each ruling version: the PDF (a row in `documents`, kind
//! `uitspraak`, with its bytes in the object store), its SHA-256 for the authenticity check
//! (indexed: anyone may ask whether a file was issued here), and the HTML version typeset
//! from the same template. Written once when a ruling (or a correction) is issued, never
//! changed: a ruling's row is never updated, so the document hangs off it here.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("ruling_documents")
                .col(integer("ruling_id").primary_key())
                .col(integer("document_id"))
                .col(string_len("sha256", 64))
                .col(text("html"))
                .col(timestamp_with_time_zone("issued_at"))
                .foreign_key(
                    ForeignKey::create()
                        .from("ruling_documents", "ruling_id")
                        .to("rulings", "id"),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from("ruling_documents", "document_id")
                        .to("documents", "id"),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ruling_documents_sha256")
                .table("ruling_documents")
                .col("sha256")
                .to_owned(),
        )
        .await?;
        // Whether a version was corrected since (the check says so): by the version corrected.
        m.create_index(
            Index::create()
                .name("rulings_corrects")
                .table("rulings")
                .col("corrects_id")
                .to_owned(),
        )
        .await
    }
}
