use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "case_audit_entries")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub case_id: i32,
    pub sequence: i64,
    pub occurred_at: DateTimeUtc,
    pub actor: String,
    pub organisation: Option<String>,
    pub action: String,
    pub subject: String,
    pub reason: Option<String>,
    pub before: Option<Json>,
    pub after: Option<Json>,
    pub previous_hash: String,
    pub hash: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
