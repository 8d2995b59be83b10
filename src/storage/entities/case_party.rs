use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Deserialize)]
#[sea_orm(table_name = "case_parties")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub case_id: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub organisation_id: i32,
    pub side: String,
    /// The case's phase and kind, kept beside the party so that a party's list narrowed by
    /// them walks one index (written with the case's, in the same transaction).
    pub phase: String,
    pub kind: String,
    /// The last day of the first running term that waits on this party's side (`None`: none,
    /// or the case is suspended), and of the first running term in the case: for "waiting on
    /// us" and "a term has passed" (see `service::cases::terms::refresh_parties`).
    pub waits_until: Option<Date>,
    pub next_due_on: Option<Date>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// So that a case's parties come with their organisations in one query.
    #[sea_orm(
        belongs_to = "super::organisation::Entity",
        from = "Column::OrganisationId",
        to = "super::organisation::Column::Id"
    )]
    Organisation,
}

impl Related<super::organisation::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Organisation.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
