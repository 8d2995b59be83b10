use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "cases")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub public_id: Uuid,
    pub number: String,
    pub kind: String,
    pub domain: String,
    pub title: String,
    pub summary: String,
    pub claimant_id: i32,
    pub filed_by: i32,
    pub phase: String,
    pub stage: Option<String>,
    pub facts: Option<Json>,
    pub mediator_id: Option<i32>,
    pub chair_id: Option<i32>,
    pub mediation_outcome: Option<String>,
    pub mediation_summary: Option<String>,
    pub hearing_at: Option<DateTimeUtc>,
    pub hearing_location: Option<String>,
    pub hearing_summary: Option<String>,
    pub closing_reason: Option<String>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub submitted_at: Option<DateTimeUtc>,
    pub closed_at: Option<DateTimeUtc>,
    /// The last day of the case's first running term, empty while it has none or is
    /// suspended: for "a term has passed" (see `service::cases::terms::refresh_parties`).
    pub next_due_on: Option<Date>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
