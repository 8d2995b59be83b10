//! Looking up organisations: a filtered, keyset-paginated list and one organisation with its
//! region memberships and accounthouderschap.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    sea_query::{Expr, ExprTrait, Func},
};
use serde::Serialize;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::{Actor, App, identity::FindByPublicId};
use crate::{
    authz::{Action, Resource},
    domain::OrganisationKind,
    error::{Error, Result},
    storage::entities::{accounthouderschap, organisation, region_membership},
};

#[derive(Debug, Serialize, ToSchema)]
pub struct OrganisationView {
    pub id: Uuid,
    pub name: String,
    pub kind: OrganisationKind,
    /// CBS municipality code (`GMxxxx`), where known.
    pub cbs_code: Option<String>,
    /// For a sub-region: the jeugdregio it is part of.
    pub parent: Option<Uuid>,
    /// Whether its people may sign in with a password (off where they sign in through their
    /// organisation's identity provider).
    pub password_sign_in: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MembershipView {
    pub id: Uuid,
    pub member: OrganisationSummary,
    pub region: OrganisationSummary,
    pub start_date: NaiveDate,
    pub end_date: Option<NaiveDate>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OrganisationSummary {
    pub id: Uuid,
    pub name: String,
    pub kind: OrganisationKind,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OrganisationDetail {
    #[serde(flatten)]
    pub organisation: OrganisationView,
    /// Regions this organisation is (or was) a member of.
    pub regions: Vec<MembershipView>,
    /// For a region: its members, past and present.
    pub members: Vec<MembershipView>,
    /// For a region: the providers and GI's it is accounthouder for.
    pub accounthouder_for: Vec<OrganisationSummary>,
    /// For a provider or GI: its accounthoudende regio's.
    pub accounthouders: Vec<OrganisationSummary>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// Pass as `cursor` to get the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

#[derive(Debug, Default, serde::Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OrganisationFilter {
    /// Only organisations of this kind.
    pub kind: Option<String>,
    /// Only organisations whose name contains this text (case-insensitive).
    pub name: Option<String>,
    /// From `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Page size, 1–200 (default 50).
    pub limit: Option<u64>,
}

pub const MAX_PAGE: u64 = 200;

pub fn view(m: &organisation::Model, parent: Option<Uuid>) -> Result<OrganisationView> {
    Ok(OrganisationView {
        id: m.public_id,
        name: m.name.clone(),
        kind: kind_of(m)?,
        cbs_code: m.cbs_code.clone(),
        parent,
        password_sign_in: m.password_sign_in,
        created_at: m.created_at,
        updated_at: m.updated_at,
    })
}

fn kind_of(m: &organisation::Model) -> Result<OrganisationKind> {
    OrganisationKind::parse(&m.kind).ok_or_else(|| Error::internal(format!("unknown kind {}", m.kind)))
}

fn summary(m: &organisation::Model) -> Result<OrganisationSummary> {
    Ok(OrganisationSummary {
        id: m.public_id,
        name: m.name.clone(),
        kind: kind_of(m)?,
    })
}

/// Escapes `%`, `_` and `\` for a LIKE pattern.
pub fn like_pattern(text: &str) -> String {
    let escaped: String = text
        .to_lowercase()
        .chars()
        .flat_map(|c| match c {
            '%' | '_' | '\\' => vec!['\\', c],
            c => vec![c],
        })
        .collect();
    format!("%{escaped}%")
}

pub async fn list(app: &App, actor: &Actor, filter: OrganisationFilter) -> Result<Page<OrganisationView>> {
    app.authorize(actor, Action::OrganisationList, &Resource::Directory("organisations"))?;
    let mut errors = Vec::new();
    let kind = match filter.kind.as_deref().filter(|k| !k.is_empty()) {
        None => None,
        Some(k) => OrganisationKind::parse(k).or_else(|| {
            errors.push(("kind", "is not a kind of organisation"));
            None
        }),
    };
    let limit = filter.limit.unwrap_or(50);
    if !(1..=MAX_PAGE).contains(&limit) {
        errors.push(("limit", "must be from 1 to 200"));
    }
    let cursor = match filter.cursor.as_deref().filter(|c| !c.is_empty()) {
        None => None,
        Some(c) => match Uuid::parse_str(c) {
            Ok(id) => organisation::Entity::find()
                .filter_by_public_id(id, &app.db)
                .await?
                .or_else(|| {
                    errors.push(("cursor", "is not a cursor from this list"));
                    None
                }),
            Err(_) => {
                errors.push(("cursor", "is not a cursor from this list"));
                None
            }
        },
    };
    if !errors.is_empty() {
        return Err(Error::Validation(
            errors
                .into_iter()
                .map(|(f, m)| crate::error::FieldError::new(f, m))
                .collect(),
        ));
    }

    let mut query = organisation::Entity::find();
    if let Some(kind) = kind {
        query = query.filter(organisation::Column::Kind.eq(kind.as_str()));
    }
    if let Some(name) = filter.name.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
        let lowered = Expr::expr(Func::lower(Expr::col(organisation::Column::Name)));
        query = query.filter(lowered.like(sea_orm::sea_query::LikeExpr::new(like_pattern(name)).escape('\\')));
    }
    if let Some(after) = &cursor {
        query = query.filter(
            Condition::any()
                .add(organisation::Column::Name.gt(after.name.clone()))
                .add(
                    Condition::all()
                        .add(organisation::Column::Name.eq(after.name.clone()))
                        .add(organisation::Column::Id.gt(after.id)),
                ),
        );
    }
    let mut rows = query
        .order_by_asc(organisation::Column::Name)
        .order_by_asc(organisation::Column::Id)
        .limit(limit + 1)
        .all(&app.db)
        .await?;
    let next_cursor = if rows.len() as u64 > limit {
        rows.truncate(limit as usize);
        rows.last().map(|r| r.public_id.to_string())
    } else {
        None
    };
    let parents = public_ids(app, rows.iter().filter_map(|r| r.parent_id)).await?;
    let items = rows
        .iter()
        .map(|r| {
            view(
                r,
                r.parent_id
                    .and_then(|p| parents.iter().find(|(id, _)| *id == p).map(|(_, u)| *u)),
            )
        })
        .collect::<Result<_>>()?;
    Ok(Page { items, next_cursor })
}

async fn public_ids(app: &App, ids: impl Iterator<Item = i32>) -> Result<Vec<(i32, Uuid)>> {
    let ids: Vec<i32> = ids.collect();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let rows = organisation::Entity::find()
        .filter(organisation::Column::Id.is_in(ids))
        .all(&app.db)
        .await?;
    Ok(rows.into_iter().map(|r| (r.id, r.public_id)).collect())
}

/// Loads an organisation by public id, or 404.
pub async fn find(app: &App, id: Uuid) -> Result<organisation::Model> {
    organisation::Entity::find()
        .filter_by_public_id(id, &app.db)
        .await?
        .ok_or(Error::NotFound("organisation"))
}

pub async fn get(app: &App, actor: &Actor, id: Uuid) -> Result<OrganisationDetail> {
    let org = find(app, id).await?;
    app.authorize(
        actor,
        Action::OrganisationRead,
        &Resource::Organisation {
            id,
            kind: kind_of(&org)?,
        },
    )?;
    detail(app, org).await
}

/// An organisation's detail by public id (after a change, say).
pub async fn detail_of(app: &App, id: Uuid) -> Result<OrganisationDetail> {
    detail(app, find(app, id).await?).await
}

pub async fn detail(app: &App, org: organisation::Model) -> Result<OrganisationDetail> {
    let memberships = region_membership::Entity::find()
        .filter(
            Condition::any()
                .add(region_membership::Column::MemberId.eq(org.id))
                .add(region_membership::Column::RegionId.eq(org.id)),
        )
        .order_by_asc(region_membership::Column::StartDate)
        .order_by_asc(region_membership::Column::Id)
        .all(&app.db)
        .await?;
    let accounts = accounthouderschap::Entity::find()
        .filter(
            Condition::any()
                .add(accounthouderschap::Column::RegionId.eq(org.id))
                .add(accounthouderschap::Column::ProviderId.eq(org.id)),
        )
        .all(&app.db)
        .await?;
    let mut related: Vec<i32> = memberships.iter().flat_map(|m| [m.member_id, m.region_id]).collect();
    related.extend(accounts.iter().flat_map(|a| [a.region_id, a.provider_id]));
    related.extend(org.parent_id);
    related.sort_unstable();
    related.dedup();
    let others = organisation::Entity::find()
        .filter(organisation::Column::Id.is_in(related))
        .all(&app.db)
        .await?;
    let by_id = |id: i32| -> Result<&organisation::Model> {
        others
            .iter()
            .find(|o| o.id == id)
            .ok_or_else(|| Error::internal("dangling organisation reference"))
    };
    let membership = |m: &region_membership::Model| -> Result<MembershipView> {
        Ok(MembershipView {
            id: m.public_id,
            member: summary(by_id(m.member_id)?)?,
            region: summary(by_id(m.region_id)?)?,
            start_date: m.start_date,
            end_date: m.end_date,
        })
    };
    let parent = org.parent_id.map(by_id).transpose()?.map(|p| p.public_id);
    let names = |list: Vec<OrganisationSummary>| {
        let mut list = list;
        list.sort_by(|a, b| a.name.cmp(&b.name));
        list
    };
    Ok(OrganisationDetail {
        regions: memberships
            .iter()
            .filter(|m| m.member_id == org.id)
            .map(membership)
            .collect::<Result<_>>()?,
        members: memberships
            .iter()
            .filter(|m| m.region_id == org.id)
            .map(membership)
            .collect::<Result<_>>()?,
        accounthouder_for: names(
            accounts
                .iter()
                .filter(|a| a.region_id == org.id)
                .map(|a| summary(by_id(a.provider_id)?))
                .collect::<Result<_>>()?,
        ),
        accounthouders: names(
            accounts
                .iter()
                .filter(|a| a.provider_id == org.id)
                .map(|a| summary(by_id(a.region_id)?))
                .collect::<Result<_>>()?,
        ),
        organisation: view(&org, parent)?,
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn like_patterns_escape_wildcards() {
        assert_eq!(super::like_pattern("Maas"), "%maas%");
        assert_eq!(super::like_pattern("10%_x\\"), "%10\\%\\_x\\\\%");
    }
}
