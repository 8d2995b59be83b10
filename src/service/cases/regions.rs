//! Which regions the parties of a dispute belong to, on a day: for the reglement's rule that
//! a dispute *binnen de regio* is between parties of one region.

use std::collections::{BTreeSet, HashMap};

use chrono::NaiveDate;
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter};

use crate::{
    domain::{OrganisationKind, dispute::share_a_region},
    error::Result,
    storage::entities::{organisation, region_membership},
};

/// The memberships of `members` that hold on `on` (from the start date to the end date,
/// both included), as member → regions. The conflict-of-interest check reads them too.
pub async fn memberships(
    db: &impl ConnectionTrait,
    members: &[i32],
    on: NaiveDate,
) -> Result<HashMap<i32, BTreeSet<i32>>> {
    let rows = region_membership::Entity::find()
        .filter(region_membership::Column::MemberId.is_in(members.to_vec()))
        .filter(region_membership::Column::StartDate.lte(on))
        .filter(
            Condition::any()
                .add(region_membership::Column::EndDate.is_null())
                .add(region_membership::Column::EndDate.gte(on)),
        )
        .all(db)
        .await?;
    let mut map: HashMap<i32, BTreeSet<i32>> = HashMap::new();
    for r in rows {
        map.entry(r.member_id).or_default().insert(r.region_id);
    }
    Ok(map)
}

/// Whether all these organisations stand in one region on `on`: each belongs to its own
/// regions, to the regions those belong to (a sub-region's region), and — being a region —
/// to itself.
pub async fn in_one_region(db: &impl ConnectionTrait, parties: &[organisation::Model], on: NaiveDate) -> Result<bool> {
    let ids: Vec<i32> = parties.iter().map(|p| p.id).collect();
    let direct = memberships(db, &ids, on).await?;
    let middle: Vec<i32> = direct.values().flatten().copied().collect();
    let above = memberships(db, &middle, on).await?;
    let regions: Vec<BTreeSet<i32>> = parties
        .iter()
        .map(|p| {
            let mut set: BTreeSet<i32> = direct.get(&p.id).cloned().unwrap_or_default();
            let up: Vec<i32> = set.iter().filter_map(|r| above.get(r)).flatten().copied().collect();
            set.extend(up);
            if OrganisationKind::parse(&p.kind).is_some_and(|k| k.is_region()) {
                set.insert(p.id);
            }
            set
        })
        .collect();
    Ok(share_a_region(&regions))
}
