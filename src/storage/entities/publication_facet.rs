use sea_orm::entity::prelude::*;

/// One thing a published ruling is filed under: its NvO agreement (`overeenkomst`, by
/// number) or a region (`regio`, by name).
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "publication_facets")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub facet: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub value: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub case_id: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
