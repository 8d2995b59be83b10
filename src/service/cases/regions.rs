//! Which regions the parties of a dispute belong to, on a day: for the reglement's rule that
//! a dispute *binnen de regio* is between parties of one region.

use std::collections::{BTreeSet, HashMap};

use chrono::NaiveDate;
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, sea_query::Query};

use crate::{
    domain::{OrganisationKind, dispute::share_a_region},
    error::Result,
    storage::entities::{organisation, region_membership},
};

/// Memberships that hold on `on` (from the start date to the end date, both included).
pub fn holding_on(on: NaiveDate) -> Condition {
    Condition::all().add(region_membership::Column::StartDate.lte(on)).add(
        Condition::any()
            .add(region_membership::Column::EndDate.is_null())
            .add(region_membership::Column::EndDate.gte(on)),
    )
}

fn by_member(rows: Vec<region_membership::Model>) -> HashMap<i32, BTreeSet<i32>> {
    let mut map: HashMap<i32, BTreeSet<i32>> = HashMap::new();
    for r in rows {
        map.entry(r.member_id).or_default().insert(r.region_id);
    }
    map
}

/// The memberships of `members` that hold on `on`, as member → regions. The
/// conflict-of-interest check reads them too.
pub async fn memberships(
    db: &impl ConnectionTrait,
    members: &[i32],
    on: NaiveDate,
) -> Result<HashMap<i32, BTreeSet<i32>>> {
    let rows = region_membership::Entity::find()
        .filter(region_membership::Column::MemberId.is_in(members.to_vec()))
        .filter(holding_on(on))
        .all(db)
        .await?;
    Ok(by_member(rows))
}

/// In one statement: the memberships of `members` that hold on `on`, and those of the
/// regions they are members of (a sub-region's region), as member → regions.
async fn memberships_two_up(
    db: &impl ConnectionTrait,
    members: &[i32],
    on: NaiveDate,
) -> Result<HashMap<i32, BTreeSet<i32>>> {
    let regions = Query::select()
        .column(region_membership::Column::RegionId)
        .from(region_membership::Entity)
        .and_where(region_membership::Column::MemberId.is_in(members.to_vec()))
        .cond_where(holding_on(on))
        .to_owned();
    let rows = region_membership::Entity::find()
        .filter(
            Condition::any()
                .add(region_membership::Column::MemberId.is_in(members.to_vec()))
                .add(region_membership::Column::MemberId.in_subquery(regions)),
        )
        .filter(holding_on(on))
        .all(db)
        .await?;
    Ok(by_member(rows))
}

/// Whether all these organisations stand in one region on `on`: each belongs to its own
/// regions, to the regions those belong to (a sub-region's region), and — being a region —
/// to itself.
pub async fn in_one_region(db: &impl ConnectionTrait, parties: &[organisation::Model], on: NaiveDate) -> Result<bool> {
    let ids: Vec<i32> = parties.iter().map(|p| p.id).collect();
    let memberships = memberships_two_up(db, &ids, on).await?;
    let regions: Vec<BTreeSet<i32>> = parties
        .iter()
        .map(|p| {
            let mut set: BTreeSet<i32> = memberships.get(&p.id).cloned().unwrap_or_default();
            let up: Vec<i32> = set
                .iter()
                .filter_map(|r| memberships.get(r))
                .flatten()
                .copied()
                .collect();
            set.extend(up);
            if OrganisationKind::parse(&p.kind).is_some_and(|k| k.is_region()) {
                set.insert(p.id);
            }
            set
        })
        .collect();
    Ok(share_a_region(&regions))
}
