use sea_orm::entity::prelude::*;

/// The number and span of one audit checkpoint; the checkpoint itself is in the object store.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_checkpoints")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub sequence: i64,
    pub written_at: DateTimeUtc,
    pub case_entries_through: i64,
    pub service_sequence: i64,
    pub mac: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
