//! Rulings once adopted: the issued document (typeset, stored, sent), its authenticity check,
//! and the document a case's reader asks for.

pub mod check;
pub mod contents;
pub mod issue;
pub mod publication;

use sea_orm::EntityTrait;
use uuid::Uuid;

use crate::{
    error::{Error, Result},
    service::{Actor, App, cases::access::visible},
    storage::entities::{document, ruling_document},
};

/// The issued document of the case's ruling as it stands (its latest version), for someone
/// who may see the case (404 otherwise, and 404 while there is no ruling). A version whose
/// document was not issued yet is issued now.
pub async fn current(app: &App, actor: &Actor, case: Uuid) -> Result<ruling_document::Model> {
    let c = visible(&app.db, actor, case).await?;
    let latest = c
        .rulings
        .iter()
        .max_by_key(|r| (r.adopted_at, r.id))
        .ok_or(Error::NotFound("ruling"))?
        .id;
    if let Some(issued) = ruling_document::Entity::find_by_id(latest).one(&app.db).await? {
        return Ok(issued);
    }
    issue::pending(app, case).await?;
    ruling_document::Entity::find_by_id(latest)
        .one(&app.db)
        .await?
        .ok_or(Error::NotFound("ruling document"))
}

/// The id of the current version's PDF among the case's documents (see [`current`]).
pub async fn current_document(app: &App, actor: &Actor, case: Uuid) -> Result<Uuid> {
    let issued = current(app, actor, case).await?;
    let doc = document::Entity::find_by_id(issued.document_id)
        .one(&app.db)
        .await?
        .ok_or(Error::NotFound("ruling document"))?;
    Ok(doc.public_id)
}
