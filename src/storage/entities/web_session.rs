use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "web_sessions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub token_hash: String,
    pub user_id: i32,
    pub csrf_token: String,
    pub credentials_version: i32,
    pub created_at: DateTimeUtc,
    pub expires_at: DateTimeUtc,
    /// The person must set up a second factor before anything else.
    pub must_enrol: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
