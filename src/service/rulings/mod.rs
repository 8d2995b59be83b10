//! Rulings once adopted: the issued document (typeset, stored, sent), its authenticity check,
//! and the document a case's reader asks for.

pub mod check;
pub mod contents;
pub mod issue;
pub mod obligations;
pub mod public_text;
pub mod publication;

use sea_orm::EntityTrait;
use uuid::Uuid;

use crate::{
    error::{Error, Result},
    service::{Actor, App, cases::access::visible, documents::visibility::Seen},
    storage::entities::{document, ruling_document},
};

/// The issued document of the case's ruling as it stands (its latest version) and its row
/// among the case's documents, for someone the rule book lets read it (404 otherwise, and 404
/// while there is no ruling). A version whose document was not issued yet is issued now.
pub async fn current(app: &App, actor: &Actor, case: Uuid) -> Result<(ruling_document::Model, document::Model)> {
    let c = visible(&app.db, actor, case).await?;
    let latest = c
        .rulings
        .iter()
        .max_by_key(|r| (r.adopted_at, r.id))
        .ok_or(Error::NotFound("ruling"))?
        .id;
    let issued = match ruling_document::Entity::find_by_id(latest).one(&app.db).await? {
        Some(issued) => issued,
        None => {
            issue::pending(app, case).await?;
            ruling_document::Entity::find_by_id(latest)
                .one(&app.db)
                .await?
                .ok_or(Error::NotFound("ruling document"))?
        }
    };
    let doc = document::Entity::find_by_id(issued.document_id)
        .one(&app.db)
        .await?
        .ok_or(Error::NotFound("ruling document"))?;
    // The HTML version is the document's content too: the same rule as for its bytes.
    if !Seen::of(app, actor, c)?.may_read(actor, &doc) {
        return Err(Error::NotFound("ruling document"));
    }
    Ok((issued, doc))
}
