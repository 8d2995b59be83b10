use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "documents")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub public_id: Uuid,
    pub case_id: i32,
    pub kind: String,
    pub title: String,
    pub description: Option<String>,
    pub confidentiality: String,
    pub audience: String,
    pub file_name: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
    pub storage_key: String,
    pub uploaded_by: i32,
    pub organisation_id: Option<i32>,
    pub uploaded_at: DateTimeUtc,
    pub replaces_id: Option<i32>,
    pub withdrawn_at: Option<DateTimeUtc>,
    pub withdrawn_by: Option<i32>,
    pub withdrawal_reason: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
