//! Rows by id for the views that name them: organisations, cases and people — a person
//! only as far as a view shows one (never the password hash). The `_in` forms take what the
//! case as loaded already holds and read only the rest.

use std::collections::HashMap;

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};
use uuid::Uuid;

use super::{access::Loaded, view::PersonView};
use crate::{
    error::Result,
    storage::entities::{case, organisation, user},
};

pub async fn organisations_by_id(
    db: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = i32>,
) -> Result<HashMap<i32, organisation::Model>> {
    let ids: Vec<i32> = ids.into_iter().collect();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(organisation::Entity::find()
        .filter(organisation::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.id, o))
        .collect())
}

pub async fn cases_by_id(
    db: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = i32>,
) -> Result<HashMap<i32, case::Model>> {
    let ids: Vec<i32> = ids.into_iter().collect();
    Ok(case::Entity::find()
        .filter(case::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect())
}

pub async fn people_by_id(
    db: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = i32>,
) -> Result<HashMap<i32, PersonView>> {
    let ids: Vec<i32> = ids.into_iter().collect();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    // Only what a person's view shows: never the password hash or the second factor.
    Ok(user::Entity::find()
        .select_only()
        .columns([user::Column::Id, user::Column::PublicId, user::Column::DisplayName])
        .filter(user::Column::Id.is_in(ids))
        .into_tuple::<(i32, Uuid, String)>()
        .all(db)
        .await?
        .into_iter()
        .map(|(id, public_id, display_name)| {
            (
                id,
                PersonView {
                    id: public_id,
                    display_name,
                },
            )
        })
        .collect())
}

/// The organisations `ids`: the parties' from the case as loaded, any other (the OZJ, the
/// commission) read — and only then.
pub async fn organisations_in(
    db: &impl ConnectionTrait,
    c: &Loaded,
    ids: impl IntoIterator<Item = i32>,
) -> Result<HashMap<i32, organisation::Model>> {
    let (known, others): (Vec<i32>, Vec<i32>) = ids.into_iter().partition(|o| c.organisations.contains_key(o));
    let mut found = organisations_by_id(db, others).await?;
    found.extend(
        known
            .into_iter()
            .filter_map(|o| c.organisations.get(&o).map(|m| (o, m.clone()))),
    );
    Ok(found)
}

/// The people `ids`: those the case names from the case as loaded, anyone else read — and
/// only then.
pub async fn people_in(
    db: &impl ConnectionTrait,
    c: &Loaded,
    ids: impl IntoIterator<Item = i32>,
) -> Result<HashMap<i32, PersonView>> {
    let (known, others): (Vec<i32>, Vec<i32>) = ids.into_iter().partition(|p| c.people.contains_key(p));
    let mut found = people_by_id(db, others).await?;
    found.extend(known.into_iter().filter_map(|p| {
        c.people.get(&p).map(|m| {
            (
                p,
                PersonView {
                    id: m.public_id,
                    display_name: m.display_name.clone(),
                },
            )
        })
    }));
    Ok(found)
}
