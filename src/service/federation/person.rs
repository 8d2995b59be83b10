//! The person a verified ID token names: the organisation its claim names, an account linked
//! before, linked now to one the administrator made, or created (provisioning).

use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, TransactionTrait};
use serde_json::json;
use uuid::Uuid;

use super::{NO_PASSWORD, Refused, claims::Claimed, providers::Provider, refused};
use crate::{
    domain::{OrganisationKind, Username},
    error::{Error, Result},
    service::{App, audit, secrets::sha256_hex},
    storage::entities::{organisation, user, user_identity},
};

/// The organisation a claim names: by CBS code, or by its id.
async fn organisation_named(app: &App, reference: &str) -> Result<Option<organisation::Model>> {
    let by_code = organisation::Column::CbsCode.eq(reference);
    let condition = match Uuid::parse_str(reference) {
        Ok(id) => sea_orm::Condition::any()
            .add(by_code)
            .add(organisation::Column::PublicId.eq(id)),
        Err(_) => sea_orm::Condition::any().add(by_code),
    };
    Ok(organisation::Entity::find().filter(condition).one(&app.db).await?)
}

const ASK_ADMIN: &str = "U bent (nog) niet bekend in Beslecht. Vraag uw beheerder om u toegang te geven.";

/// The person a verified token names: linked before, linked now to an account the
/// administrator made, or created (provisioning). Their role and organisation follow the
/// provider's at every sign-in.
pub(super) async fn find_or_create(
    app: &App,
    p: &Provider,
    c: &Claimed,
) -> Result<std::result::Result<user::Model, Refused>> {
    let org = match &c.organisation {
        None => None,
        Some(reference) => match organisation_named(app, reference).await? {
            Some(o) => Some(o),
            None => {
                return Ok(Err(refused(
                    format!("the token names an unknown organisation {reference}"),
                    "De organisatie die uw identiteitsprovider doorgeeft, is niet bekend in Beslecht. Vraag uw beheerder om toegang.",
                )));
            }
        },
    };
    let kind = org.as_ref().and_then(|o| OrganisationKind::parse(&o.kind));
    if !c.role.fits_organisation(kind) {
        return Ok(Err(refused(
            format!("the role {} does not fit the organisation", c.role),
            "De rol die uw identiteitsprovider doorgeeft, past niet bij uw organisatie. Vraag uw beheerder om toegang.",
        )));
    }
    let org_id = org.as_ref().map(|o| o.id);
    let name = p.config.name.clone();
    let linked = user_identity::Entity::find()
        .filter(user_identity::Column::Provider.eq(&name))
        .filter(user_identity::Column::Subject.eq(&c.subject))
        .one(&app.db)
        .await?;
    let existing = match linked {
        Some(l) => user::Entity::find_by_id(l.user_id).one(&app.db).await?,
        None if p.config.provisioning => None,
        None => {
            // Without provisioning, the administrator made the account: its username is the
            // one the provider gives, in the same organisation, and not linked yet.
            let Some(username) = c.username.as_deref().map(str::to_lowercase) else {
                return Ok(Err(refused("not provisioned and no username claimed", ASK_ADMIN)));
            };
            let found = user::Entity::find()
                .filter(user::Column::Username.eq(username))
                .one(&app.db)
                .await?
                .filter(|u| u.organisation_id == org_id);
            match found {
                Some(u) => {
                    let taken = user_identity::Entity::find()
                        .filter(user_identity::Column::Provider.eq(&name))
                        .filter(user_identity::Column::UserId.eq(u.id))
                        .one(&app.db)
                        .await?;
                    if taken.is_some() {
                        return Ok(Err(refused("the account is linked to another subject", ASK_ADMIN)));
                    }
                    Some(u)
                }
                None => return Ok(Err(refused("not provisioned and no such account", ASK_ADMIN))),
            }
        }
    };
    if existing.as_ref().is_some_and(|u| u.disabled_at.is_some()) {
        return Ok(Err(refused("the account is disabled", ASK_ADMIN)));
    }
    let username = match &existing {
        Some(u) => u.username.clone(),
        None => free_username(app, p, c).await?,
    };
    let c = c.clone();
    let user = app
        .db
        .transaction::<_, user::Model, Error>(|tx| {
            Box::pin(async move {
                // Reads before it writes: on SQLite it must hold the write lock from the start.
                crate::storage::write_first(tx).await?;
                let now = crate::service::now();
                let label = format!("identity provider {name}");
                let row = match existing {
                    None => {
                        let row = crate::service::users::new_row(crate::service::users::NewRow {
                            username,
                            display_name: c.name.chars().take(200).collect(),
                            email: c.email.clone(),
                            role: c.role,
                            organisation_id: org_id,
                            may_chair: false,
                            password_hash: NO_PASSWORD.to_owned(),
                        })
                        .insert(tx)
                        .await?;
                        audit::record(
                            tx,
                            None,
                            &label,
                            audit::Change::of("user.created", "user", row.public_id).after(json!({
                                "username": row.username, "role": row.role, "provider": name,
                            })),
                        )
                        .await?;
                        row
                    }
                    Some(u) if u.role != c.role.as_str() || u.organisation_id != org_id => {
                        let before = json!({"role": u.role, "organisation_id": u.organisation_id});
                        let mut a: user::ActiveModel = u.into();
                        a.role = Set(c.role.as_str().to_owned());
                        a.organisation_id = Set(org_id);
                        a.updated_at = Set(now);
                        let row = a.update(tx).await?;
                        audit::record(
                            tx,
                            None,
                            &label,
                            audit::Change::of("user.role_from_provider", "user", row.public_id)
                                .before(before)
                                .after(json!({"role": row.role, "organisation_id": row.organisation_id})),
                        )
                        .await?;
                        row
                    }
                    Some(u) => u,
                };
                let known = user_identity::Entity::find()
                    .filter(user_identity::Column::Provider.eq(&name))
                    .filter(user_identity::Column::Subject.eq(&c.subject))
                    .one(tx)
                    .await?;
                if known.is_none() {
                    user_identity::ActiveModel {
                        provider: Set(name.clone()),
                        subject: Set(c.subject.clone()),
                        user_id: Set(row.id),
                        created_at: Set(now),
                        ..Default::default()
                    }
                    .insert(tx)
                    .await?;
                    audit::record(
                        tx,
                        None,
                        &label,
                        audit::Change::of("user.identity_linked", "user", row.public_id)
                            .after(json!({"provider": name})),
                    )
                    .await?;
                }
                Ok(row)
            })
        })
        .await?;
    Ok(Ok(user))
}

/// A username for a new person: the one the provider proposes where it is valid and free,
/// otherwise one made from the provider and the subject.
async fn free_username(app: &App, p: &Provider, c: &Claimed) -> Result<String> {
    let proposed = c
        .username
        .as_deref()
        .and_then(|u| Username::parse(&u.to_lowercase()).ok());
    if let Some(u) = proposed {
        let taken = user::Entity::find()
            .filter(user::Column::Username.eq(u.as_str()))
            .one(&app.db)
            .await?
            .is_some();
        if !taken {
            return Ok(u.as_str().to_owned());
        }
    }
    Ok(format!("{}-{}", p.config.name, &sha256_hex(&c.subject)[..12]))
}
