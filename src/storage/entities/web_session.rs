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
    /// The browser, as it named itself.
    pub user_agent: Option<String>,
    pub address: Option<String>,
    pub last_used_at: Option<DateTimeUtc>,
    /// The identity provider the session was begun at, and its session id there (or the
    /// person's subject, where the provider names no session).
    pub provider: Option<String>,
    pub provider_session: Option<String>,
    /// How the person names this session to end it (not its secret).
    pub public_id: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
