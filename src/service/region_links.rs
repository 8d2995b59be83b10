//! Links between organisations, kept by the administrator: a municipality's (or sub-region's)
//! membership of a region, from a start date to an optional end date (an uittreding ends
//! one), and a region's accounthouderschap for a provider or GI. Every change is audited.

use chrono::NaiveDate;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, TransactionTrait,
};
use serde_json::json;
use utoipa::ToSchema;
use uuid::Uuid;

use super::{
    Actor, App, audit,
    input::{Fields, FromFields, Unread},
    organisations::{self, OrganisationDetail},
};
use crate::{
    authz::{Action, Resource},
    domain::OrganisationKind,
    error::{Error, Result, field},
    storage::entities::{accounthouderschap, organisation, region_membership},
};

#[derive(Debug, ToSchema)]
pub struct NewMembership {
    /// The region joined.
    pub region: Uuid,
    #[schema(value_type = String, format = Date)]
    pub start_date: NaiveDate,
    #[schema(value_type = Option<String>, format = Date)]
    pub end_date: Option<NaiveDate>,
}

impl FromFields for NewMembership {
    fn read(f: &mut Fields<'_>) -> Option<Self> {
        let region = f.required_uuid("region");
        let start_date = f.required_date("start_date");
        let end_date = f.optional_date("end_date").ok()?;
        let start_date = start_date?;
        if end_date.is_some_and(|end| end < start_date) {
            f.error(
                "end_date",
                "must not be before start_date",
                "De einddatum ligt voor de begindatum.",
            );
            return None;
        }
        Some(Self {
            region: region?,
            start_date,
            end_date,
        })
    }
}

#[derive(Debug, ToSchema)]
pub struct MembershipEnd {
    /// The last day of membership; `null` makes it open-ended again.
    #[schema(value_type = Option<String>, format = Date)]
    pub end_date: Option<NaiveDate>,
}

impl FromFields for MembershipEnd {
    fn read(f: &mut Fields<'_>) -> Option<Self> {
        Some(Self {
            end_date: f.optional_date("end_date").ok()?,
        })
    }
}

#[derive(Debug, ToSchema)]
pub struct NewAccounthouderschap {
    /// The provider or GI this region is accounthouder for.
    pub provider: Uuid,
}

impl FromFields for NewAccounthouderschap {
    fn read(f: &mut Fields<'_>) -> Option<Self> {
        Some(Self {
            provider: f.required_uuid("provider")?,
        })
    }
}

fn kind_of(org: &organisation::Model) -> Result<OrganisationKind> {
    OrganisationKind::parse(&org.kind).ok_or_else(|| Error::internal("unknown kind"))
}

/// Loads the organisation the change is about and asks whether the actor may change it.
async fn authorized_org(app: &App, actor: &Actor, id: Uuid) -> Result<(organisation::Model, OrganisationKind)> {
    let org = organisations::find(app, id).await?;
    let kind = kind_of(&org)?;
    app.authorize(actor, Action::OrganisationUpdate, &Resource::Organisation { id, kind })?;
    Ok((org, kind))
}

fn overlaps(m: &region_membership::Model, start: NaiveDate, end: Option<NaiveDate>) -> bool {
    m.end_date.is_none_or(|e| e >= start) && end.is_none_or(|e| m.start_date <= e)
}

async fn other_memberships(
    db: &impl ConnectionTrait,
    member: i32,
    region: i32,
    except: Option<i32>,
) -> Result<Vec<region_membership::Model>> {
    let mut query = region_membership::Entity::find()
        .filter(region_membership::Column::MemberId.eq(member))
        .filter(region_membership::Column::RegionId.eq(region));
    if let Some(id) = except {
        query = query.filter(region_membership::Column::Id.ne(id));
    }
    Ok(query.all(db).await?)
}

pub async fn add_membership(
    app: &App,
    actor: &Actor,
    member: Uuid,
    new: Unread<NewMembership>,
) -> Result<OrganisationDetail> {
    let org = organisations::find(app, member).await?;
    let kind = OrganisationKind::parse(&org.kind).ok_or_else(|| Error::internal("unknown kind"))?;
    app.authorize(
        actor,
        Action::OrganisationUpdate,
        &Resource::Organisation { id: member, kind },
    )?;
    let new = new.read()?;
    let region = organisations::find(app, new.region)
        .await
        .map_err(|_| field("region", "is not a known organisation"))?;
    let region_kind = OrganisationKind::parse(&region.kind).ok_or_else(|| Error::internal("unknown kind"))?;
    if !kind.may_join(region_kind) {
        return Err(field(
            "region",
            &format!("a {} cannot be a member of a {}", kind.as_str(), region_kind.as_str()),
        ));
    }
    let actor = actor.clone();
    app.db
        .transaction::<_, (), Error>(|tx| {
            Box::pin(async move {
                let existing = other_memberships(tx, org.id, region.id, None).await?;
                if existing.iter().any(|m| overlaps(m, new.start_date, new.end_date)) {
                    return Err(Error::Conflict(
                        format!("{} is already a member of {} in that period", org.name, region.name),
                        format!("{} is in die periode al lid van {}.", org.name, region.name),
                    ));
                }
                insert_membership(tx, org.id, region.id, new.start_date, new.end_date).await?;
                audit::record(
                    tx,
                    Some(&actor),
                    "",
                    audit::Change::of("organisation.membership_added", "organisation", org.public_id).after(
                        json!({"region": region.public_id, "start_date": new.start_date, "end_date": new.end_date}),
                    ),
                )
                .await
            })
        })
        .await?;
    organisations::detail_of(app, member).await
}

/// Sets or clears a membership's end date, e.g. when a municipality leaves its region.
pub async fn end_membership(
    app: &App,
    actor: &Actor,
    member: Uuid,
    membership: Uuid,
    end: Unread<MembershipEnd>,
) -> Result<OrganisationDetail> {
    let (org, _) = authorized_org(app, actor, member).await?;
    let end = end.read()?;
    let row = region_membership::Entity::find()
        .filter(region_membership::Column::PublicId.eq(membership))
        .filter(region_membership::Column::MemberId.eq(org.id))
        .one(&app.db)
        .await?
        .ok_or(Error::NotFound("membership"))?;
    if end.end_date.is_some_and(|e| e < row.start_date) {
        return Err(field("end_date", "must not be before the membership's start_date"));
    }
    let actor = actor.clone();
    app.db
        .transaction::<_, (), Error>(|tx| {
            Box::pin(async move {
                let others = other_memberships(tx, row.member_id, row.region_id, Some(row.id)).await?;
                if others.iter().any(|m| overlaps(m, row.start_date, end.end_date)) {
                    return Err(Error::Conflict(
                        "that end date would overlap another membership of the same region".into(),
                        "Met die einddatum overlapt het lidmaatschap een ander lidmaatschap van dezelfde regio.".into(),
                    ));
                }
                let before = json!({"membership": row.public_id, "end_date": row.end_date});
                let after = json!({"membership": row.public_id, "end_date": end.end_date});
                let mut active: region_membership::ActiveModel = row.into();
                active.end_date = Set(end.end_date);
                active.update(tx).await?;
                audit::record(
                    tx,
                    Some(&actor),
                    "",
                    audit::Change::of("organisation.membership_changed", "organisation", org.public_id)
                        .before(before)
                        .after(after),
                )
                .await
            })
        })
        .await?;
    organisations::detail_of(app, member).await
}

/// Records that a jeugdregio is accounthouder for a provider or GI.
pub async fn add_accounthouderschap(
    app: &App,
    actor: &Actor,
    region: Uuid,
    new: Unread<NewAccounthouderschap>,
) -> Result<OrganisationDetail> {
    let (region_org, kind) = authorized_org(app, actor, region).await?;
    let new = new.read()?;
    if kind != OrganisationKind::Jeugdregio {
        return Err(Error::Conflict(
            "only a jeugdregio can be accounthoudende regio".into(),
            "Alleen een jeugdregio kan accounthoudende regio zijn.".into(),
        ));
    }
    let provider = organisations::find(app, new.provider)
        .await
        .map_err(|_| field("provider", "is not a known organisation"))?;
    if !kind_of(&provider)?.is_provider() {
        return Err(field("provider", "must be a provider (aanbieder) or GI"));
    }
    let actor = actor.clone();
    app.db
        .transaction::<_, (), Error>(|tx| {
            Box::pin(async move {
                let exists = accounthouderschap::Entity::find()
                    .filter(accounthouderschap::Column::RegionId.eq(region_org.id))
                    .filter(accounthouderschap::Column::ProviderId.eq(provider.id))
                    .one(tx)
                    .await?
                    .is_some();
                if exists {
                    return Err(Error::Conflict(
                        format!("{} is already accounthouder for {}", region_org.name, provider.name),
                        format!("{} is al accounthouder voor {}.", region_org.name, provider.name),
                    ));
                }
                insert_accounthouderschap(tx, region_org.id, provider.id).await?;
                audit::record(
                    tx,
                    Some(&actor),
                    "",
                    audit::Change::of(
                        "organisation.accounthouderschap_added",
                        "organisation",
                        region_org.public_id,
                    )
                    .after(json!({"provider": provider.public_id})),
                )
                .await
            })
        })
        .await?;
    organisations::detail_of(app, region).await
}

pub async fn insert_accounthouderschap(db: &impl ConnectionTrait, region: i32, provider: i32) -> Result<()> {
    accounthouderschap::ActiveModel {
        public_id: Set(Uuid::new_v4()),
        region_id: Set(region),
        provider_id: Set(provider),
        created_at: Set(super::now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

pub async fn insert_membership(
    db: &impl ConnectionTrait,
    member: i32,
    region: i32,
    start: NaiveDate,
    end: Option<NaiveDate>,
) -> Result<()> {
    region_membership::ActiveModel {
        public_id: Set(Uuid::new_v4()),
        member_id: Set(member),
        region_id: Set(region),
        start_date: Set(start),
        end_date: Set(end),
        created_at: Set(super::now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}
