//! Registering and editing organisations and their region memberships (administrator only).
//! Every change is audited in the same transaction.

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
    domain::{CbsCode, OrganisationKind, OrganisationName},
    error::{Error, Result, field},
    storage::entities::organisation,
};

const KINDS: [&str; 8] = [
    "gemeente",
    "jeugdregio",
    "bwmo_regio",
    "subregio",
    "aanbieder",
    "gi",
    "commissie",
    "ozj",
];

#[derive(Debug, ToSchema)]
pub struct NewOrganisation {
    #[schema(value_type = String, example = "Gemeente Vaals")]
    pub name: OrganisationName,
    pub kind: OrganisationKind,
    /// `GMxxxx`; municipalities only.
    #[schema(value_type = Option<String>, example = "GM0981")]
    pub cbs_code: Option<CbsCode>,
    /// For a sub-region: its jeugdregio.
    pub parent: Option<Uuid>,
}

impl FromFields for NewOrganisation {
    fn read(f: &mut Fields<'_>) -> Option<Self> {
        let name = f.required("name", OrganisationName::parse);
        let kind = f.required_enum("kind", OrganisationKind::parse, &KINDS);
        let cbs_code = f.optional("cbs_code", CbsCode::parse);
        let parent = f.optional_uuid("parent");
        let kind = kind?;
        let cbs_code = cbs_code.ok()?;
        if cbs_code.is_some() && kind != OrganisationKind::Gemeente {
            f.error(
                "cbs_code",
                "only municipalities have a CBS code",
                "Alleen gemeenten hebben een CBS-code.",
            );
            return None;
        }
        let parent = parent.ok()?;
        if parent.is_some() != (kind == OrganisationKind::Subregio) {
            f.error(
                "parent",
                "a sub-region, and only a sub-region, names its jeugdregio",
                "Een subregio hoort bij een jeugdregio; andere organisaties niet.",
            );
            return None;
        }
        Some(Self {
            name: name?,
            kind,
            cbs_code,
            parent,
        })
    }
}

#[derive(Debug, ToSchema)]
pub struct OrganisationChanges {
    #[schema(value_type = Option<String>)]
    pub name: Option<OrganisationName>,
    #[schema(value_type = Option<String>)]
    pub cbs_code: Option<CbsCode>,
    /// Whether its people may sign in with a password; switch it off where they sign in
    /// through their organisation's identity provider.
    pub password_sign_in: Option<bool>,
}

impl FromFields for OrganisationChanges {
    fn read(f: &mut Fields<'_>) -> Option<Self> {
        let name = f.optional("name", OrganisationName::parse);
        let cbs_code = f.optional("cbs_code", CbsCode::parse);
        let password_sign_in = f.optional_bool("password_sign_in");
        Some(Self {
            name: name.ok()?,
            cbs_code: cbs_code.ok()?,
            password_sign_in: password_sign_in.ok()?,
        })
    }
}

async fn ensure_unique(
    db: &impl ConnectionTrait,
    kind: OrganisationKind,
    name: &str,
    cbs: Option<&str>,
    except: Option<i32>,
) -> Result<()> {
    let mut same_name = organisation::Entity::find()
        .filter(organisation::Column::Kind.eq(kind.as_str()))
        .filter(organisation::Column::Name.eq(name));
    if let Some(id) = except {
        same_name = same_name.filter(organisation::Column::Id.ne(id));
    }
    if same_name.one(db).await?.is_some() {
        return Err(Error::Conflict(
            format!("a {} named {name:?} already exists", kind.as_str()),
            format!("Er is al een organisatie van deze soort met de naam {name}."),
        ));
    }
    if let Some(cbs) = cbs {
        let mut same_code = organisation::Entity::find().filter(organisation::Column::CbsCode.eq(cbs));
        if let Some(id) = except {
            same_code = same_code.filter(organisation::Column::Id.ne(id));
        }
        if same_code.one(db).await?.is_some() {
            return Err(Error::Conflict(
                format!("CBS code {cbs} is already in use"),
                format!("CBS-code {cbs} is al in gebruik."),
            ));
        }
    }
    Ok(())
}

pub async fn create(app: &App, actor: &Actor, new: Unread<NewOrganisation>) -> Result<OrganisationDetail> {
    app.authorize(actor, Action::OrganisationCreate, &Resource::Directory("organisations"))?;
    let new = new.read()?;
    let parent = match new.parent {
        None => None,
        Some(id) => {
            let p = organisations::find(app, id)
                .await
                .map_err(|_| field("parent", "is not a known organisation"))?;
            if p.kind != OrganisationKind::Jeugdregio.as_str() {
                return Err(field("parent", "must be a jeugdregio"));
            }
            Some(p.id)
        }
    };
    let actor = actor.clone();
    let id = app
        .db
        .transaction::<_, Uuid, Error>(|tx| {
            Box::pin(async move {
                // Reads before it writes: on SQLite it must hold the write lock from the start.
                crate::storage::write_first(tx).await?;
                let cbs = new.cbs_code.as_ref().map(CbsCode::as_str);
                ensure_unique(tx, new.kind, new.name.as_str(), cbs, None).await?;
                let now = super::now();
                let row = organisation::ActiveModel {
                    public_id: Set(Uuid::new_v4()),
                    kind: Set(new.kind.as_str().to_owned()),
                    name: Set(new.name.as_str().to_owned()),
                    cbs_code: Set(cbs.map(str::to_owned)),
                    parent_id: Set(parent),
                    created_at: Set(now),
                    updated_at: Set(now),
                    password_sign_in: Set(true),
                    ..Default::default()
                }
                .insert(tx)
                .await?;
                let after = json!({"name": row.name, "kind": row.kind, "cbs_code": row.cbs_code});
                audit::record(
                    tx,
                    Some(&actor),
                    "",
                    audit::Change::of("organisation.created", "organisation", row.public_id).after(after),
                )
                .await?;
                Ok(row.public_id)
            })
        })
        .await?;
    organisations::detail_of(app, id).await
}

pub async fn update(
    app: &App,
    actor: &Actor,
    id: Uuid,
    changes: Unread<OrganisationChanges>,
) -> Result<OrganisationDetail> {
    let org = organisations::find(app, id).await?;
    let kind = OrganisationKind::parse(&org.kind).ok_or_else(|| Error::internal("unknown kind"))?;
    app.authorize(actor, Action::OrganisationUpdate, &Resource::Organisation { id, kind })?;
    let changes = changes.read()?;
    if changes.cbs_code.is_some() && kind != OrganisationKind::Gemeente {
        return Err(field("cbs_code", "only municipalities have a CBS code"));
    }
    let actor = actor.clone();
    app.db
        .transaction::<_, (), Error>(|tx| {
            Box::pin(async move {
                // Reads before it writes: on SQLite it must hold the write lock from the start.
                crate::storage::write_first(tx).await?;
                let name = changes
                    .name
                    .as_ref()
                    .map_or(org.name.as_str(), OrganisationName::as_str)
                    .to_owned();
                let cbs = changes
                    .cbs_code
                    .as_ref()
                    .map(|c| c.as_str().to_owned())
                    .or(org.cbs_code.clone());
                ensure_unique(tx, kind, &name, cbs.as_deref(), Some(org.id)).await?;
                let password = changes.password_sign_in.unwrap_or(org.password_sign_in);
                let before =
                    json!({"name": org.name, "cbs_code": org.cbs_code, "password_sign_in": org.password_sign_in});
                let after = json!({"name": name, "cbs_code": cbs, "password_sign_in": password});
                let mut row: organisation::ActiveModel = org.clone().into();
                row.name = Set(name);
                row.cbs_code = Set(cbs);
                row.password_sign_in = Set(password);
                row.updated_at = Set(super::now());
                row.update(tx).await?;
                audit::record(
                    tx,
                    Some(&actor),
                    "",
                    audit::Change::of("organisation.updated", "organisation", org.public_id)
                        .before(before)
                        .after(after),
                )
                .await
            })
        })
        .await?;
    organisations::detail_of(app, id).await
}
