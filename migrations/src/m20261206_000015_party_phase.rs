//! A party's list narrowed by phase or kind walks an index in the order it returns: each
//! `case_parties` row carries its case's phase and kind (written in the same transaction as
//! the case's: on filing, on editing the respondents, on every step), with an index per narrowing that ends in the
//! case's id. Without them a large organisation's list "in phase X" walked all its cases and
//! looked each up (measured: 131 ms p99 at 1,000,000 cases for one with 40 % of them).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for column in ["phase", "kind"] {
            // SQLite adds a NOT NULL column only with a default; the rows are filled next.
            m.alter_table(
                Table::alter()
                    .table("case_parties")
                    .add_column(ColumnDef::new(column).string_len(32).not_null().default(""))
                    .to_owned(),
            )
            .await?;
        }
        m.get_connection()
            .execute_unprepared(
                "UPDATE case_parties SET \
                 phase = (SELECT c.phase FROM cases c WHERE c.id = case_parties.case_id), \
                 kind = (SELECT c.kind FROM cases c WHERE c.id = case_parties.case_id)",
            )
            .await?;
        for (name, cols) in [
            ("case_parties_phase", &["organisation_id", "phase", "case_id"][..]),
            ("case_parties_kind", &["organisation_id", "kind", "case_id"][..]),
            (
                "case_parties_phase_kind",
                &["organisation_id", "phase", "kind", "case_id"][..],
            ),
        ] {
            let mut index = Index::create();
            index.name(name).table("case_parties");
            for c in cols {
                index.col(*c);
            }
            m.create_index(index.to_owned()).await?;
        }
        Ok(())
    }
}
