//! Documents: a record per stored file (its bytes live in the object store under
//! `storage_key`, never under a name a user chose), the uploads between storing the bytes and
//! committing the record (so an interrupted one can be cleaned up), and the NEN 7513 log of
//! who viewed or downloaded which document.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("documents")
                .col(pk_auto("id"))
                .col(uuid_uniq("public_id"))
                .col(integer("case_id"))
                .col(string_len("kind", 32))
                .col(string_len("title", 200))
                .col(text_null("description"))
                .col(string_len("confidentiality", 32))
                .col(string_len("audience", 16))
                .col(string_len("file_name", 255))
                .col(string_len("content_type", 120))
                .col(big_integer("size"))
                .col(string_len("sha256", 64))
                .col(string_len_uniq("storage_key", 200))
                .col(integer("uploaded_by"))
                .col(integer_null("organisation_id"))
                .col(timestamp_with_time_zone("uploaded_at"))
                // A new version points at the one it replaces; each has at most one successor.
                .col(integer_null("replaces_id").unique_key())
                .col(timestamp_with_time_zone_null("withdrawn_at"))
                .col(integer_null("withdrawn_by"))
                .col(text_null("withdrawal_reason"))
                .foreign_key(ForeignKey::create().from("documents", "case_id").to("cases", "id"))
                .foreign_key(ForeignKey::create().from("documents", "uploaded_by").to("users", "id"))
                .foreign_key(
                    ForeignKey::create()
                        .from("documents", "organisation_id")
                        .to("organisations", "id"),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from("documents", "replaces_id")
                        .to("documents", "id"),
                )
                .foreign_key(ForeignKey::create().from("documents", "withdrawn_by").to("users", "id"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("documents_case")
                .table("documents")
                .col("case_id")
                .col("id")
                .to_owned(),
        )
        .await?;
        // Bytes stored (or being stored) whose record is not committed yet. A row older than
        // an upload can take belongs to an interrupted upload: its object is deleted.
        m.create_table(
            Table::create()
                .table("document_uploads")
                .col(pk_auto("id"))
                .col(string_len_uniq("storage_key", 200))
                .col(timestamp_with_time_zone("started_at"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("document_access_log")
                .col(big_pk_auto("id"))
                .col(integer("document_id"))
                .col(integer("case_id"))
                .col(integer("user_id"))
                .col(integer_null("organisation_id"))
                // view (the record) or download (the bytes)
                .col(string_len("action", 16))
                .col(string_len_null("byte_range", 64))
                .col(timestamp_with_time_zone("at"))
                .foreign_key(
                    ForeignKey::create()
                        .from("document_access_log", "document_id")
                        .to("documents", "id"),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from("document_access_log", "user_id")
                        .to("users", "id"),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("document_access_log_document")
                .table("document_access_log")
                .col("document_id")
                .col("id")
                .to_owned(),
        )
        .await
    }
}
