use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "ruling_documents")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub ruling_id: i32,
    pub document_id: i32,
    pub sha256: String,
    pub html: String,
    pub issued_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
