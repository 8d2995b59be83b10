use sea_orm::entity::prelude::*;

/// What a ruling orders one side to do, by when; it runs as the term `term_id`.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "ruling_obligations")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub public_id: Uuid,
    pub case_id: i32,
    pub term_id: i32,
    pub ruling_id: i32,
    pub who: String,
    pub description: String,
    pub amount_cents: Option<i64>,
    pub within: Option<String>,
    pub recorded_by: i32,
    pub recorded_at: DateTimeUtc,
    pub fulfilled_on: Option<Date>,
    pub fulfilled_note: Option<String>,
    pub reported_by: Option<i32>,
    pub reported_at: Option<DateTimeUtc>,
    pub cancel_reason: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
