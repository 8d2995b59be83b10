use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "publications")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub case_id: i32,
    pub ruling_id: i32,
    pub number: String,
    pub status: String,
    pub rules: String,
    pub public_data: String,
    pub text: String,
    pub summary: Option<String>,
    pub reason: Option<String>,
    pub kind: String,
    pub outcome: String,
    pub ruled_on: Date,
    pub prepared_by: i32,
    pub prepared_at: DateTimeUtc,
    pub decided_by: Option<i32>,
    pub published_at: Option<DateTimeUtc>,
    /// The chamber of the commission that heard it.
    pub chamber: String,
    /// The public text's words, for the full-text search ([`crate::domain::search_words::plain`]).
    pub search_text: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
