//! Declared affiliations (nevenfuncties, former employers): a mediator or commission member
//! declares the organisations they are tied to, and is then never assigned to a case where
//! one of those, or its region, is a party. Declarations can be added, not withdrawn, so a
//! conflict cannot be hidden by taking one back; the administrator can see them through the
//! audit log.

use chrono::{DateTime, Utc};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, TransactionTrait};
use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;
use uuid::Uuid;

use super::lookup::organisations_by_id;
use crate::{
    domain::Reason,
    error::{Error, FieldError, Result},
    service::{
        Actor, App, audit,
        input::{Fields, FromFields},
        now,
    },
    storage::entities::{organisation, user_affiliation},
};

#[derive(Debug, ToSchema)]
pub struct NewAffiliation {
    pub organisation: Uuid,
    /// What the tie is, e.g. "lid raad van toezicht tot 2025".
    #[schema(value_type = String)]
    pub description: Reason,
}

impl FromFields for NewAffiliation {
    fn read(f: &mut Fields<'_>) -> Option<Self> {
        let organisation = f.required_uuid("organisation");
        let description = f.required("description", Reason::parse);
        Some(NewAffiliation {
            organisation: organisation?,
            description: description?,
        })
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AffiliationView {
    pub organisation: Uuid,
    pub organisation_name: String,
    pub description: String,
    pub declared_at: DateTime<Utc>,
}

pub async fn list(app: &App, actor: &Actor) -> Result<Vec<AffiliationView>> {
    let rows = user_affiliation::Entity::find()
        .filter(user_affiliation::Column::UserId.eq(actor.internal_id))
        .all(&app.db)
        .await?;
    let orgs = organisations_by_id(&app.db, rows.iter().map(|r| r.organisation_id)).await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            orgs.get(&r.organisation_id).map(|o| AffiliationView {
                organisation: o.public_id,
                organisation_name: o.name.clone(),
                description: r.description,
                declared_at: r.declared_at,
            })
        })
        .collect())
}

pub async fn declare(app: &App, actor: &Actor, new: NewAffiliation) -> Result<Vec<AffiliationView>> {
    let org = organisation::Entity::find()
        .filter(organisation::Column::PublicId.eq(new.organisation))
        .one(&app.db)
        .await?
        .ok_or_else(|| {
            Error::Validation(vec![FieldError::new(
                "organisation",
                "names an organisation that does not exist",
            )])
        })?;
    let at = now();
    let by = actor.clone();
    let description = new.description.into_inner();
    app.db
        .transaction::<_, (), Error>(|tx| {
            Box::pin(async move {
                user_affiliation::Entity::insert(user_affiliation::ActiveModel {
                    user_id: Set(by.internal_id),
                    organisation_id: Set(org.id),
                    description: Set(description.clone()),
                    declared_at: Set(at),
                })
                .on_conflict(
                    sea_orm::sea_query::OnConflict::columns([
                        user_affiliation::Column::UserId,
                        user_affiliation::Column::OrganisationId,
                    ])
                    .update_column(user_affiliation::Column::Description)
                    .to_owned(),
                )
                .exec(tx)
                .await?;
                audit::record(
                    tx,
                    Some(&by),
                    "system",
                    audit::Change::of("affiliation.declare", "user", by.id)
                        .after(json!({ "organisation": org.public_id, "description": description })),
                )
                .await
            })
        })
        .await?;
    list(app, actor).await
}
