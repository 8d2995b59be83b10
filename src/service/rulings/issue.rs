//! Issuing a ruling: the document typeset from `templates/uitspraak.typ` (PDF and HTML),
//! stored as the case's `uitspraak` document with its SHA-256, recorded in the case's trail
//! and sent to everyone in the case (inbox and e-mail).
//!
//! It runs right after the chair adopts (or corrects) a ruling, outside the step's
//! transaction: typesetting takes CPU, not locks, and a ruling is adopted whether or not its
//! document could be made at that moment. What could not be issued then is issued by the
//! worker's next round ([`sweep`]), or when someone asks for the document — whichever comes
//! first; issuing twice is impossible (one document per ruling version, checked under the
//! case's lock, and the table's key).

use std::collections::HashSet;

use sea_orm::{
    ActiveValue::{NotSet, Set},
    ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, TransactionTrait,
};
use serde_json::json;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::contents::{self, Context};
use crate::{
    domain::{
        OrganisationKind,
        documents::{Audience, Confidentiality, DocumentKind},
        nvo::nl_date,
    },
    error::{Error, Result},
    service::{
        App,
        cases::{
            access::kind_of,
            bundle::{self, Bundle},
            trail::{self, Record},
        },
        documents::store,
        identity, notify, now,
        secrets::hex,
    },
    storage::{
        entities::{document, organisation, ruling, ruling_document, user},
        objects,
    },
    typeset::{self, Template},
};

/// The ruling's template: read it, adjust it; the binary carries it.
pub static TEMPLATE: Template = Template {
    name: "uitspraak",
    text: include_str!("../../../templates/uitspraak.typ"),
};

/// How far back the worker looks for rulings without their document (by the index on
/// `adopted_at`); older ones are issued when someone asks for them.
const SWEEP_DAYS: i64 = 14;

/// Issues the document of each ruling version of the case that has none yet, oldest first;
/// answers how many it issued.
pub async fn pending(app: &App, case: Uuid) -> Result<usize> {
    let Some(b) = bundle::fetch(&app.db, case).await? else {
        return Ok(0);
    };
    let ids: Vec<i32> = b.rulings.iter().map(|r| r.id).collect();
    let issued: HashSet<i32> = ruling_document::Entity::find()
        .select_only()
        .column(ruling_document::Column::RulingId)
        .filter(ruling_document::Column::RulingId.is_in(ids))
        .into_tuple::<i32>()
        .all(&app.db)
        .await?
        .into_iter()
        .collect();
    if b.rulings.iter().all(|r| issued.contains(&r.id)) {
        return Ok(0);
    }
    let entries = trail::entries(&app.db, b.case.id).await?;
    let rulings = in_order(&b);
    let mut count = 0;
    for (i, r) in rulings.iter().enumerate() {
        if issued.contains(&r.id) {
            continue;
        }
        let (earlier, upto) = version_context(&rulings, &entries, r);
        if issue(app, &b, &upto, r, earlier, i + 1).await? {
            count += 1;
        }
    }
    Ok(count)
}

/// The case's ruling versions, the first adopted first.
pub fn in_order(b: &Bundle) -> Vec<ruling::Model> {
    let mut rulings = b.rulings.clone();
    rulings.sort_by_key(|r| (r.adopted_at, r.id));
    rulings
}

type Entries = Vec<crate::storage::entities::case_audit_entry::Model>;

/// For version `r`: the version it corrects, and the trail up to its adoption.
fn version_context<'a>(
    rulings: &'a [ruling::Model],
    entries: &Entries,
    r: &ruling::Model,
) -> (Option<&'a ruling::Model>, Entries) {
    let earlier = r.corrects_id.and_then(|id| rulings.iter().find(|e| e.id == id));
    let upto = entries
        .iter()
        .filter(|e| e.occurred_at <= r.adopted_at)
        .cloned()
        .collect();
    (earlier, upto)
}

/// The current version of the case's ruling and its template data, if it has a ruling.
pub async fn current_data(app: &App, b: &Bundle) -> Result<Option<(ruling::Model, serde_json::Value)>> {
    let rulings = in_order(b);
    let Some(r) = rulings.last() else {
        return Ok(None);
    };
    let entries = trail::entries(&app.db, b.case.id).await?;
    let (earlier, upto) = version_context(&rulings, &entries, r);
    let data = document_data(app, b, &upto, r, earlier, rulings.len()).await?;
    Ok(Some((r.clone(), data)))
}

/// [`pending`], logging instead of failing: for the moment right after a ruling is adopted,
/// when the adoption itself has succeeded whatever happens here.
pub async fn pending_or_later(app: &App, case: Uuid) {
    if let Err(e) = pending(app, case).await {
        tracing::warn!(%case, error = %e, "the ruling document could not be issued now; the worker retries");
    }
}

/// The worker's round: the cases with a ruling of the last [`SWEEP_DAYS`] days that has no
/// document, each issued (answers how many documents).
pub async fn sweep(app: &App) -> Result<usize> {
    let since = now() - chrono::Duration::days(SWEEP_DAYS);
    let recent: Vec<(i32, i32)> = ruling::Entity::find()
        .select_only()
        .column(ruling::Column::Id)
        .column(ruling::Column::CaseId)
        .filter(ruling::Column::AdoptedAt.gt(since))
        .order_by_asc(ruling::Column::AdoptedAt)
        .into_tuple()
        .all(&app.db)
        .await?;
    if recent.is_empty() {
        return Ok(0);
    }
    let issued: HashSet<i32> = ruling_document::Entity::find()
        .select_only()
        .column(ruling_document::Column::RulingId)
        .filter(ruling_document::Column::RulingId.is_in(recent.iter().map(|r| r.0)))
        .into_tuple::<i32>()
        .all(&app.db)
        .await?
        .into_iter()
        .collect();
    let mut cases: Vec<i32> = recent.iter().filter(|r| !issued.contains(&r.0)).map(|r| r.1).collect();
    cases.dedup();
    let mut count = 0;
    for id in crate::service::cases::lookup::cases_by_id(&app.db, cases)
        .await?
        .values()
    {
        count += pending(app, id.public_id).await?;
    }
    Ok(count)
}

/// What the template is filled with for ruling `r` (version `version`) of the case in `b`,
/// whose trail up to the ruling is `entries`: the document, and the public version before
/// personal data is replaced in it.
pub async fn document_data(
    app: &App,
    b: &Bundle,
    entries: &[crate::storage::entities::case_audit_entry::Model],
    r: &ruling::Model,
    earlier: Option<&ruling::Model>,
    version: usize,
) -> Result<serde_json::Value> {
    let (kind, _) = kind_of(&b.case)?;
    let commission = organisation::Entity::find()
        .filter(organisation::Column::Kind.eq(OrganisationKind::Commissie.as_str()))
        .order_by_asc(organisation::Column::Id)
        .one(&app.db)
        .await?
        .map_or_else(|| "Geschillencommissie".to_owned(), |o| o.name);
    let label = app.reglement.kind(kind).label.clone();
    Ok(contents::data(
        b,
        entries,
        r,
        earlier,
        version,
        &Context {
            kind_label: &label,
            commission: &commission,
        },
    ))
}

/// Typesets, stores and records one ruling version's document; `false` when another node
/// issued it first.
async fn issue(
    app: &App,
    b: &Bundle,
    entries: &[crate::storage::entities::case_audit_entry::Model],
    r: &ruling::Model,
    earlier: Option<&ruling::Model>,
    version: usize,
) -> Result<bool> {
    let data = document_data(app, b, entries, r, earlier, version).await?;
    let (day, ident) = (r.adopted_on, r.public_id.to_string());
    let (pdf, html) = tokio::task::spawn_blocking(move || {
        let pdf = typeset::pdf(&TEMPLATE, &data, day, &ident)?;
        let html = typeset::html(&TEMPLATE, &data, day)?;
        Ok::<_, typeset::TypesetError>((pdf, html))
    })
    .await
    .map_err(Error::internal)?
    .map_err(Error::internal)?;
    let sha256 = hex(&Sha256::digest(&pdf));
    let size = pdf.len() as i64;

    let chair_row = user::Entity::find_by_id(r.chair_id)
        .one(&app.db)
        .await?
        .ok_or_else(|| Error::internal("the ruling's chair does not exist"))?;
    let chair = identity::actor_of(app, chair_row).await?;
    let key = objects::new_key();
    store::put_bytes(app, &key, pdf).await?;

    let c = b.case.clone();
    let (ruling_id, ruling_public) = (r.id, r.public_id);
    let document_public = Uuid::new_v4();
    let at = now();
    let number = c.number.clone();
    let title = match version {
        1 => format!("Uitspraak {number}"),
        v => format!("Uitspraak {number}, verbeterd (versie {v})"),
    };
    let file_name = format!("uitspraak-{number}-v{version}.pdf");
    let message = notify::Message {
        kind: "uitspraak",
        key: format!("ruling-issued:{ruling_public}"),
        term_id: None,
        title: format!("{title} is uitgegeven"),
        body: format!(
            "De {} in het geschil {number} van {} staat als document bij het geschil.",
            if version == 1 {
                "uitspraak"
            } else {
                "verbeterde uitspraak"
            },
            nl_date(r.adopted_on)
        ),
    };
    let (app_tx, key_tx, sha_tx) = (app.clone(), key.clone(), sha256.clone());
    let done = app
        .db
        .transaction::<_, bool, Error>(|tx| {
            Box::pin(async move {
                // The case's lock first (trail::touch): a second node waits here, then finds
                // the document issued.
                trail::touch(tx, c.id, None, at).await?;
                if ruling_document::Entity::find_by_id(ruling_id).one(tx).await?.is_some() {
                    return Ok(false);
                }
                let row = document::ActiveModel {
                    id: NotSet,
                    public_id: Set(document_public),
                    case_id: Set(c.id),
                    kind: Set(DocumentKind::Uitspraak.as_str().to_owned()),
                    title: Set(title),
                    description: Set(None),
                    confidentiality: Set(Confidentiality::DEFAULT.as_str().to_owned()),
                    audience: Set(Audience::Partijen.as_str().to_owned()),
                    file_name: Set(file_name),
                    content_type: Set("application/pdf".to_owned()),
                    size: Set(size),
                    sha256: Set(sha_tx.clone()),
                    storage_key: Set(key_tx.clone()),
                    uploaded_by: Set(chair.internal_id),
                    organisation_id: Set(chair.organisation.as_ref().map(|o| o.internal_id)),
                    uploaded_at: Set(at),
                    replaces_id: Set(None),
                    withdrawn_at: Set(None),
                    withdrawn_by: Set(None),
                    withdrawal_reason: Set(None),
                };
                let document_id = document::Entity::insert(row).exec(tx).await?.last_insert_id;
                ruling_document::Entity::insert(ruling_document::ActiveModel {
                    ruling_id: Set(ruling_id),
                    document_id: Set(document_id),
                    sha256: Set(sha_tx.clone()),
                    html: Set(html),
                    issued_at: Set(at),
                })
                .exec_without_returning(tx)
                .await?;
                let record = Record::new("ruling.issue", format!("case {}", c.number)).after(json!({
                    "ruling": ruling_public,
                    "document": document_public,
                    "version": version,
                    "sha256": sha_tx,
                    "size": size,
                }));
                trail::append(tx, c.id, &chair, record, at).await?;
                store::settle(tx, &key_tx).await?;
                notify::tell_everyone(tx, &app_tx, &c, message).await?;
                Ok(true)
            })
        })
        .await;
    match done {
        Ok(true) => Ok(true),
        Ok(false) => {
            store::discard(app, &key).await;
            Ok(false)
        }
        Err(e) => {
            store::discard(app, &key).await;
            Err(e.into())
        }
    }
}
