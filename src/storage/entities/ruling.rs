use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Deserialize)]
#[sea_orm(table_name = "rulings")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub public_id: Uuid,
    pub case_id: i32,
    pub outcome: String,
    pub nature: String,
    pub dictum: String,
    pub reasoning: String,
    pub cost_allocation: Option<String>,
    pub adopted_on: Date,
    pub adopted_at: DateTimeUtc,
    pub chair_id: i32,
    pub corrects_id: Option<i32>,
    pub correction_reason: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
