//! Who may see a document, and who may add one of which kind. One rule for lists, records
//! and content alike.

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::{
    domain::{
        Role,
        documents::{Audience, DocumentKind},
        procedure::{Participant, Refusal},
        rules::{self, Action, Situation},
    },
    error::{Error, Result},
    service::{
        Actor, App,
        cases::{
            access::{Loaded, participant, visible},
            rulebook,
        },
    },
    storage::entities::document,
};

/// A case as seen by one person, with what the rule book needs to know.
pub struct Seen {
    pub case: Loaded,
    pub who: Participant,
    pub situation: Situation,
}

impl Seen {
    pub async fn load(app: &App, actor: &Actor, case_id: Uuid) -> Result<Seen> {
        Seen::of(app, actor, visible(&app.db, actor, case_id).await?)
    }

    /// A case already loaded (and seen by `actor`), as the document rules need it.
    pub fn of(app: &App, actor: &Actor, case: Loaded) -> Result<Seen> {
        let who = participant(actor, &case);
        let situation = rulebook::situation(app, &case)?;
        Ok(Seen { case, who, situation })
    }

    /// Whether the person may see this document of the case. A document is the reader's own
    /// when they uploaded it, or — for a party — when their organisation did; officials
    /// share no documents through their organisation, so the mediation's wall does not
    /// depend on who employs whom.
    pub fn may_read(&self, actor: &Actor, doc: &document::Model) -> bool {
        let own = owns(actor, doc);
        let Some(audience) = Audience::parse(&doc.audience) else {
            tracing::error!(document = %doc.public_id, audience = %doc.audience, "a stored document has an unknown audience");
            return false;
        };
        rules::may(&self.situation, &self.who, Action::ReadDocument { audience, own }).is_ok()
    }

    /// Asks the rule book about `action` on this case (403 or 409 if refused).
    pub fn check(&self, action: Action) -> Result<()> {
        rules::may(&self.situation, &self.who, action).map_err(Error::Refused)
    }

    /// Whether the person may add a document of this kind for this audience now (the reason,
    /// if not, in English and Dutch).
    pub fn may_add(&self, kind: DocumentKind, audience: Audience) -> Result<(), Refusal> {
        rules::may(&self.situation, &self.who, Action::AddDocument(kind, audience))
    }

    /// Whether the person may add documents to this case at all (checked before a byte of
    /// the upload is read).
    pub fn may_add_any(&self) -> Result<(), Refusal> {
        let any = DocumentKind::ALL
            .iter()
            .any(|k| Audience::ALL.iter().any(|a| self.may_add(*k, *a).is_ok()));
        if any {
            Ok(())
        } else {
            self.may_add(DocumentKind::Bewijsstuk, Audience::Partijen)
        }
    }
}

/// Whether the document is the person's own: they uploaded it, or — for a party — their
/// organisation did.
pub fn owns(actor: &Actor, doc: &document::Model) -> bool {
    let party = matches!(actor.role, Role::Gemeente | Role::Regio | Role::Aanbieder);
    doc.uploaded_by == actor.internal_id
        || (party
            && doc.organisation_id.is_some()
            && doc.organisation_id == actor.organisation.as_ref().map(|o| o.internal_id))
}

/// The document with this id in the case, if the person may see it; otherwise 404.
pub async fn visible_document(
    db: &impl ConnectionTrait,
    actor: &Actor,
    seen: &Seen,
    document_id: Uuid,
) -> Result<document::Model> {
    let doc = document::Entity::find()
        .filter(document::Column::PublicId.eq(document_id))
        .filter(document::Column::CaseId.eq(seen.case.case.id))
        .one(db)
        .await?
        .filter(|d| seen.may_read(actor, d))
        .ok_or(Error::NotFound("document"))?;
    Ok(doc)
}
