use sea_orm::entity::prelude::*;

/// The public version under review: what the last preparation proposed, until the secretary
/// decides (then it moves to `publications`).
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "publication_reviews")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub case_id: i32,
    pub ruling_id: i32,
    pub rules: String,
    pub public_data: String,
    pub text: String,
    pub prepared_by: i32,
    pub prepared_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
