//! Conflict of interest: a person never acts in a case where their own organisation, an
//! organisation they declared an affiliation with, or a region one of those belongs to, is a
//! party, nor where a party belongs to one of those (domain.md §2). Assignments that would
//! break this are refused with the organisation named.

use std::collections::BTreeSet;

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use super::{access::Loaded, lookup::organisations_by_id};
use crate::domain::rules::conflict_of_interest;
use crate::{
    error::Result,
    storage::entities::{user, user_affiliation},
};

/// Why `person` may not act in the case, in English and Dutch; `None` when they may.
pub async fn conflict_of(
    db: &impl ConnectionTrait,
    person: &user::Model,
    c: &Loaded,
    today: chrono::NaiveDate,
) -> Result<Option<(String, String)>> {
    let mut own: BTreeSet<i32> = person.organisation_id.into_iter().collect();
    own.extend(
        user_affiliation::Entity::find()
            .filter(user_affiliation::Column::UserId.eq(person.id))
            .all(db)
            .await?
            .into_iter()
            .map(|a| a.organisation_id),
    );
    let parties: BTreeSet<i32> = c.parties.iter().map(|p| p.organisation_id).collect();
    let involved: Vec<i32> = own.iter().chain(parties.iter()).copied().collect();
    let regions = super::regions::memberships(db, &involved, today).await?;
    // The organisation that makes the conflict, and how: the rule book's.
    let found = conflict_of_interest(&own, &parties, &regions);
    let Some((org, en, nl)) = found else {
        return Ok(None);
    };
    let names = organisations_by_id(db, [org]).await?;
    let name = names
        .get(&org)
        .map_or("an organisation", |o| o.name.as_str())
        .to_owned();
    Ok(Some((
        format!("{} has a conflict of interest: {name} {en}", person.display_name),
        format!("{} heeft een belangenconflict: {name} {nl}.", person.display_name),
    )))
}
