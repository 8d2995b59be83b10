use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_events")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub public_id: Uuid,
    pub occurred_at: DateTimeUtc,
    pub actor_user_id: Option<i32>,
    pub actor: String,
    pub action: String,
    pub subject_type: String,
    pub subject_id: Option<Uuid>,
    pub before: Option<Json>,
    pub after: Option<Json>,
    pub reason: Option<String>,
    /// The place in the hash chain (1, 2, 3, …); empty only before the service chained it.
    pub sequence: Option<i64>,
    pub previous_hash: Option<String>,
    pub hash: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
