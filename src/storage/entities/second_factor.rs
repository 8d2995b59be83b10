use sea_orm::entity::prelude::*;

/// A person's TOTP secret (base32); in force once `confirmed_at` is set.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "second_factors")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub user_id: i32,
    pub secret: String,
    pub confirmed_at: Option<DateTimeUtc>,
    /// The last time step a code was accepted for.
    pub last_step: Option<i64>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
