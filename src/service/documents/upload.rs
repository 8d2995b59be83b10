//! Adding a document. The order is what makes it safe:
//! 1. who may add to this case is checked before a byte is read ([`prepare`]);
//! 2. the file is staged on local disk while hashed and measured ([`super::staging`]);
//! 3. its type is recognised from the bytes and must agree with its name; every invalid
//!    field is reported at once;
//! 4. the scanner checks it; an infected file is refused and recorded, never stored;
//! 5. the bytes go to the object store under a random key, announced first in
//!    `document_uploads` so that an interrupted upload can be cleaned up;
//! 6. one transaction commits the record, its audit entry, and retires the announcement.
//!
//! Until step 6 commits nobody can see the document; after it, its bytes are complete and
//! durable. A failure at any step leaves nothing visible and nothing half-stored.

use sea_orm::{
    ActiveValue::{NotSet, Set},
    ColumnTrait, EntityTrait, QueryFilter, TransactionTrait,
};
use serde_json::{Map, Value, json};
use uuid::Uuid;

use super::{
    DocumentView,
    scanner::{ScanError, Verdict},
    staging::Staged,
    store,
    view::views,
    visibility::{Seen, visible_document},
};
use crate::{
    domain::{
        CaseTitle, Reason,
        documents::{Audience, Confidentiality, DocumentKind, FileName, FileType, is_zip, sniff},
        rules::{self, Action, Situation},
    },
    error::{Error, FieldError, Result},
    service::{
        Actor, App,
        cases::{
            access::state_of,
            trail::{self, Record},
        },
        input::{Fields, FromFields},
        now,
    },
    storage::entities::{case, document},
};

/// The document's fields (the multipart parts besides `file`).
#[derive(Debug)]
pub struct NewDocument {
    pub kind: DocumentKind,
    pub title: CaseTitle,
    pub description: Option<Reason>,
    pub confidentiality: Confidentiality,
    pub audience: Audience,
    pub replaces: Option<Uuid>,
}

impl FromFields for NewDocument {
    fn read(f: &mut Fields<'_>) -> Option<Self> {
        let kind = f.required_enum("type", DocumentKind::parse, DocumentKind::NAMES);
        let title = f.required("title", CaseTitle::parse);
        let description = f.optional("description", Reason::parse);
        let confidentiality = f.optional_enum("confidentiality", Confidentiality::parse, Confidentiality::NAMES);
        let audience = f.optional_enum("audience", Audience::parse, Audience::NAMES);
        let replaces = f.optional_uuid("replaces");
        let kind = kind?;
        Some(NewDocument {
            kind,
            title: title?,
            description: description.ok()?,
            confidentiality: confidentiality.ok()?.unwrap_or(Confidentiality::DEFAULT),
            // A mediation report stays within the mediation unless said otherwise.
            audience: audience.ok()?.unwrap_or(if kind == DocumentKind::Bemiddelingsverslag {
                Audience::Bemiddeling
            } else {
                Audience::Partijen
            }),
            replaces: replaces.ok()?,
        })
    }
}

/// A received file with the name it was sent under.
pub struct IncomingFile {
    pub name: Option<String>,
    pub staged: Staged,
}

/// What was submitted: the text fields and the file.
pub struct Submission {
    pub fields: Map<String, Value>,
    pub file: Option<IncomingFile>,
}

/// Step 1: the case, if the caller may add documents to it now.
pub async fn prepare(app: &App, actor: &Actor, case_id: Uuid) -> Result<Seen> {
    let seen = Seen::load(app, actor, case_id).await?;
    seen.may_add_any().map_err(Error::Refused)?;
    Ok(seen)
}

fn file_error(message: &str, message_nl: &str) -> FieldError {
    FieldError::with_nl("file", message, message_nl)
}

/// What the staged bytes are, given the name's extension.
async fn recognise(staged: &Staged, extension: &str) -> Result<FileType, FieldError> {
    let sniffed = if is_zip(&staged.head) {
        let path = staged.path().to_owned();
        tokio::task::spawn_blocking(move || super::container::zip_facts(&path))
            .await
            .unwrap_or_default()
            .sniff()
    } else {
        sniff(&staged.head, staged.text)
    };
    let file_type = FileType::decide(&sniffed, extension).map_err(|(en, nl)| file_error(&en, &nl))?;
    if file_type == FileType::Pdf {
        let path = staged.path().to_owned();
        let active = tokio::task::spawn_blocking(move || super::container::pdf_active_content(&path))
            .await
            .map_err(|e| {
                file_error(
                    &format!("the PDF could not be read: {e}"),
                    "De pdf kon niet worden gelezen.",
                )
            })?
            .map_err(|e| {
                file_error(
                    &format!("the PDF could not be read: {e}"),
                    "De pdf kon niet worden gelezen.",
                )
            })?;
        if let Some((en, nl)) = active {
            return Err(file_error(
                &format!("a PDF with {en}, which runs or opens something when the file is opened, is not accepted"),
                &format!(
                    "Een pdf met {nl} wordt niet aangenomen: die voert iets uit of opent iets zodra het bestand wordt geopend. Maak een pdf zonder (bijvoorbeeld via Afdrukken naar pdf)."
                ),
            ));
        }
    }
    Ok(file_type)
}

/// Steps 2–6 for a submission read in full.
pub async fn upload(app: &App, actor: &Actor, seen: Seen, submission: Submission) -> Result<DocumentView> {
    let mut errors = Vec::new();
    let meta = match NewDocument::from_json(&Value::Object(submission.fields)) {
        Ok(m) => Some(m),
        Err(Error::Validation(e)) => {
            errors.extend(e);
            None
        }
        Err(e) => return Err(e),
    };
    let mut checked = None;
    match submission.file {
        None => errors.push(file_error("is required: the file itself", "Kies een bestand.")),
        Some(IncomingFile { name, staged }) => match FileName::parse(name.as_deref().unwrap_or("")) {
            Err(why) => errors.push(FieldError::with_nl("file", &format!("file name {why}"), &why.nl())),
            Ok(_) if staged.size == 0 => errors.push(file_error("is empty", "Het bestand is leeg.")),
            Ok(name) => match recognise(&staged, &name.extension()).await {
                Ok(t) => checked = Some((name, t, staged)),
                Err(e) => errors.push(e),
            },
        },
    }
    let (Some(meta), Some((name, file_type, staged)), true) = (meta, checked, errors.is_empty()) else {
        return Err(Error::Validation(errors));
    };
    seen.may_add(meta.kind, meta.audience).map_err(Error::Refused)?;
    let replaces = match meta.replaces {
        None => None,
        Some(id) => Some(replaceable(app, actor, &seen, id).await?),
    };
    scan(app, actor, &seen, &staged).await?;

    let key = crate::storage::objects::new_key();
    store::put(app, &key, staged.path()).await?;
    let at = now();
    let public_id = Uuid::new_v4();
    let row = document::ActiveModel {
        id: NotSet,
        public_id: Set(public_id),
        case_id: Set(seen.case.case.id),
        kind: Set(meta.kind.as_str().to_owned()),
        title: Set(meta.title.into_inner()),
        description: Set(meta.description.map(Reason::into_inner)),
        confidentiality: Set(meta.confidentiality.as_str().to_owned()),
        audience: Set(meta.audience.as_str().to_owned()),
        file_name: Set(name.into_inner()),
        content_type: Set(file_type.content_type().to_owned()),
        size: Set(staged.size as i64),
        sha256: Set(staged.sha256.clone()),
        storage_key: Set(key.clone()),
        uploaded_by: Set(actor.internal_id),
        organisation_id: Set(actor.organisation.as_ref().map(|o| o.internal_id)),
        uploaded_at: Set(at),
        replaces_id: Set(replaces.as_ref().map(|d| d.id)),
        withdrawn_at: Set(None),
        withdrawn_by: Set(None),
        withdrawal_reason: Set(None),
    };
    // The audit trail is read by everyone in the case: it names the document, not its title.
    let record = Record::new("document.upload", format!("case {}", seen.case.case.number)).after(json!({
        "document": public_id,
        "type": meta.kind.as_str(),
        "audience": meta.audience.as_str(),
        "sha256": staged.sha256,
        "size": staged.size,
        "replaces": replaces.as_ref().map(|d| d.public_id),
    }));
    let (by, case_id, commit_key) = (actor.clone(), seen.case.case.id, key.clone());
    let (then, who, situation, kind, audience) = (
        seen.case.case.phase.clone(),
        seen.who,
        seen.situation,
        meta.kind,
        meta.audience,
    );
    let committed = app
        .db
        .transaction::<_, (), Error>(|tx| {
            Box::pin(async move {
                trail::change(tx, case_id, None, &by, record, at).await?;
                // A large file takes a while to arrive: if the case moved on meanwhile (it
                // was closed, say), the rules are asked again for the case as it is now.
                let now = case::Entity::find_by_id(case_id).one(tx).await?;
                if let Some(now) = now.filter(|c| c.phase != then) {
                    let situation = Situation {
                        state: state_of(&now)?,
                        ..situation
                    };
                    rules::may(&situation, &who, Action::AddDocument(kind, audience)).map_err(Error::Refused)?;
                }
                document::Entity::insert(row).exec_without_returning(tx).await?;
                store::settle(tx, &commit_key).await
            })
        })
        .await;
    if let Err(e) = committed {
        store::discard(app, &key).await;
        return Err(e.into());
    }
    let doc = visible_document(&app.db, actor, &seen, public_id).await?;
    Ok(views(&app.db, &seen.case, vec![doc]).await?.remove(0))
}

/// The earlier version a new one replaces: in this case, visible, not yet replaced, and
/// submitted by the caller's organisation (or the secretary).
async fn replaceable(app: &App, actor: &Actor, seen: &Seen, id: Uuid) -> Result<document::Model> {
    let earlier = visible_document(&app.db, actor, seen, id).await.map_err(|_| {
        crate::error::invalid_field(
            "replaces",
            "no document with this id in this case",
            "Dit stuk bestaat niet in dit geschil.",
        )
    })?;
    let successor = document::Entity::find()
        .filter(document::Column::ReplacesId.eq(earlier.id))
        .one(&app.db)
        .await?;
    seen.check(Action::ReplaceDocument {
        own: super::visibility::owns(actor, &earlier),
        superseded: successor.is_some(),
    })?;
    Ok(earlier)
}

/// Step 4: a clean file passes; an infected one is recorded in the case's trail and refused;
/// without a working scanner nothing passes.
async fn scan(app: &App, actor: &Actor, seen: &Seen, staged: &Staged) -> Result<()> {
    let Some(scanner) = &app.documents.scanner else {
        return Ok(());
    };
    match scanner.scan(staged.path()).await {
        Ok(Verdict::Clean) => Ok(()),
        Ok(Verdict::Infected(signature)) => {
            tracing::warn!(case = %seen.case.case.number, %signature, sha256 = %staged.sha256, "infected upload refused");
            let record = Record::new("document.refused", format!("case {}", seen.case.case.number)).after(json!({
                "reason": "malware",
                "signature": signature,
                "sha256": staged.sha256,
                "size": staged.size,
            }));
            let (by, case_id, at) = (actor.clone(), seen.case.case.id, now());
            app.db
                .transaction::<_, (), Error>(|tx| {
                    Box::pin(async move { trail::change(tx, case_id, None, &by, record, at).await })
                })
                .await?;
            Err(Error::Unprocessable(
                format!("the file contains malware ({signature}) and was refused; it has not been stored"),
                format!("Het bestand bevat malware ({signature}) en is geweigerd; het is niet opgeslagen."),
            ))
        }
        Err(ScanError::Unreachable(e)) => Err(Error::Unavailable(format!(
            "the virus scanner cannot be reached, so no document can be accepted now; try again later ({e})"
        ))),
        Err(ScanError::Failed(e)) => Err(Error::Unavailable(format!(
            "the virus scanner could not check this file, so it was not accepted ({e})"
        ))),
    }
}
