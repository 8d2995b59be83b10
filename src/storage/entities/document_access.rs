use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "document_access_log")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub document_id: i32,
    pub case_id: i32,
    pub user_id: i32,
    pub organisation_id: Option<i32>,
    pub action: String,
    pub byte_range: Option<String>,
    pub at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
