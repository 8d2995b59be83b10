use sea_orm::entity::prelude::*;

/// A party's challenge of the ruling in court (vernietiging, art. 7:904 BW), and its outcome.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "court_challenges")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub case_id: i32,
    pub filed_on: Date,
    pub court: String,
    pub outcome: String,
    pub decided_on: Option<Date>,
    pub note: Option<String>,
    pub recorded_by: i32,
    pub recorded_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
