use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Deserialize)]
#[sea_orm(table_name = "case_terms")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub public_id: Uuid,
    pub case_id: i32,
    pub key: String,
    /// What the term is called when no rule of the reglement names it (a ruling's obligation).
    pub label: Option<String>,
    /// Whom it waits on (its rule's `wie` when it started).
    pub who: String,
    pub starts_on: Date,
    pub due_on: Date,
    pub fatal_on: Date,
    pub extensions: i32,
    pub suspended_days: i32,
    pub reminders_sent: i32,
    pub overdue_signalled: bool,
    /// The day the reminder sweep is next to look at it (see `domain::terms::reminders`);
    /// empty once nothing more is owed.
    pub sweep_on: Option<Date>,
    pub status: String,
    pub created_at: DateTimeUtc,
    pub ended_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
