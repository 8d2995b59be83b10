//! Cases: filing, the scoped list, the case itself, procedural steps, mediation, rulings,
//! correspondence and the audit trail. Both the JSON API and the web UI call these.

pub mod access;
pub mod affiliations;
pub mod assignable;
pub mod audit;
pub mod bundle;
pub mod conflicts;
pub mod create;
pub mod edit;
pub mod facts;
pub mod ledger;
pub mod list;
pub mod lookup;
pub mod mediation;
pub mod messages;
pub mod narrowing;
pub mod page;
pub mod queue;
pub mod regions;
pub mod rulebook;
pub mod ruling_draft;
pub mod rulings;
pub mod step_input;
pub mod steps;
pub mod suspension;
pub mod terms;
pub mod trail;
pub mod verify;
pub mod view;
pub mod visits;

use uuid::Uuid;

use super::{Actor, App, identity};
use crate::error::Result;

/// One case, if the caller may see it (404 otherwise).
pub async fn get(app: &App, actor: &Actor, id: Uuid) -> Result<view::CaseView> {
    let c = access::visible(&app.db, actor, id).await?;
    view::detail(app, actor, &c)
}

/// The case as [`get`] answers it, to whoever a bearer token names: the caller and the case
/// are read in one statement, and the token is admitted exactly as for any other request
/// ([`identity::admit`]) before the rule book looks at the case.
pub async fn get_presented(app: &App, presented: &identity::Presented, id: Uuid) -> Result<view::CaseView> {
    let (caller, read) = bundle::fetch_as(&app.db, presented, id).await?;
    let actor = identity::admit(app, presented, caller).await?;
    let c = access::visible_in(&actor, read)?;
    view::detail(app, &actor, &c)
}

/// Whether `actor` may take `action` on case `id` now (404 if they may not see it; 403 or
/// 409 with the rule book's reason if not), for pages that open a form before acting.
pub async fn check(app: &App, actor: &Actor, id: Uuid, action: crate::domain::rules::Action) -> Result<()> {
    let c = access::visible(&app.db, actor, id).await?;
    rulebook::check(app, actor, &c, action)
}
