//! Who may see a document, and who may add one of which kind. One rule for lists, records
//! and content alike.

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::{
    domain::{
        Role,
        documents::{Audience, DocumentKind},
        procedure::{Participant, Refusal},
    },
    error::{Error, Result},
    service::{
        Actor,
        cases::{
            access::{Loaded, participant, visible},
            mediation::all_released,
        },
    },
    storage::entities::{document, mediation_release},
};

/// A case as seen by one person, with what the document rules need to know.
pub struct Seen {
    pub case: Loaded,
    pub who: Participant,
    /// Whether every party has released the mediation to the commission.
    pub mediation_released: bool,
}

impl Seen {
    pub async fn load(db: &impl ConnectionTrait, actor: &Actor, case_id: Uuid) -> Result<Seen> {
        let case = visible(db, actor, case_id).await?;
        let who = participant(actor, &case);
        let releases = mediation_release::Entity::find()
            .filter(mediation_release::Column::CaseId.eq(case.case.id))
            .all(db)
            .await?;
        let mediation_released = all_released(&case, &releases);
        Ok(Seen {
            case,
            who,
            mediation_released,
        })
    }

    fn commission_side(&self) -> bool {
        self.who.role == Some(Role::Secretaris) || self.who.role == Some(Role::Commissielid)
    }

    /// Whether the person may see this document of the case.
    pub fn may_read(&self, actor: &Actor, doc: &document::Model) -> bool {
        let own = doc.uploaded_by == actor.internal_id
            || (doc.organisation_id.is_some()
                && doc.organisation_id == actor.organisation.as_ref().map(|o| o.internal_id));
        if own {
            return true;
        }
        match Audience::parse(&doc.audience) {
            Some(Audience::Partijen) => true,
            Some(Audience::Commissie) => self.commission_side(),
            Some(Audience::Bemiddeling) => {
                self.who.mediator
                    || self.who.claimant
                    || self.who.respondent
                    || (self.commission_side() && self.mediation_released)
            }
            None => false,
        }
    }

    /// Whether the person may add a document of this kind now (the reason, if not, in
    /// English and Dutch). Parties file their own pieces while the case is open; the mediator
    /// the mediation report; the secretary any piece, and the commission's own (the ruling,
    /// the record of the hearing) also after the case is closed.
    pub fn may_add(&self, kind: DocumentKind) -> Result<(), Refusal> {
        let w = &self.who;
        let closed = self.case.phase().is_closed();
        if w.role == Some(Role::Secretaris) {
            return if closed && !kind.is_commission_document() {
                Err(Refusal::conflict(
                    "the case is closed; only the commission's own documents can still be added",
                    "Het geschil is gesloten; alleen stukken van de commissie kunnen nog worden toegevoegd.",
                ))
            } else {
                Ok(())
            };
        }
        if closed {
            return Err(Refusal::conflict(
                "the case is closed; no documents can be added",
                "Het geschil is gesloten; er kunnen geen stukken meer worden toegevoegd.",
            ));
        }
        let allowed = match kind {
            DocumentKind::Verzoekschrift | DocumentKind::Repliek => w.claimant || self.is_concept_filer(),
            DocumentKind::Verweerschrift | DocumentKind::Dupliek => w.respondent,
            DocumentKind::Bewijsstuk => w.claimant || w.respondent || w.mediator || self.is_concept_filer(),
            DocumentKind::Bemiddelingsverslag => w.mediator,
            DocumentKind::ProcesVerbaal | DocumentKind::Uitspraak | DocumentKind::GeanonimiseerdeUitspraak => false,
        };
        if allowed {
            Ok(())
        } else {
            Err(Refusal::forbidden(
                "your part in this case does not file documents of this kind",
                "Uw rol in dit geschil dient dit soort stukken niet in.",
            ))
        }
    }

    /// In a concept, the filer is the only one who sees the case and acts for the claimant.
    fn is_concept_filer(&self) -> bool {
        self.case.case.submitted_at.is_none()
            && matches!(self.who.role, Some(Role::Gemeente | Role::Regio | Role::Aanbieder))
    }

    /// Whether the person may add documents to this case at all (checked before a byte of
    /// the upload is read).
    pub fn may_add_any(&self) -> Result<(), Refusal> {
        if DocumentKind::ALL.iter().any(|k| self.may_add(*k).is_ok()) {
            Ok(())
        } else {
            self.may_add(DocumentKind::Bewijsstuk)
        }
    }
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
