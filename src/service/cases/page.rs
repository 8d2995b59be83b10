//! Everything the case page shows, read with the case loaded once: the case itself, its
//! trail, documents, messages, the mediation's sessions and the draft ruling — each only as
//! far as the rule book lets this person see it now.

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};
use uuid::Uuid;

use super::{
    access::visible,
    audit::{self, AuditTrail},
    mediation::{self, SessionView},
    messages::{self, MessageView},
    ruling_draft::{self, DraftView},
    view::{self, CaseView},
    visits,
};
use crate::{
    domain::procedure::Phase,
    error::Result,
    service::{
        Actor, App,
        documents::{
            DocumentView,
            view::{of_case, visible_views},
            visibility::Seen,
        },
        identity::label_parts,
        now,
    },
    storage::entities::user,
};

pub struct CasePage {
    pub case: CaseView,
    pub trail: AuditTrail,
    pub documents: Vec<DocumentView>,
    /// `None` where the person may not read the correspondence.
    pub messages: Option<Vec<MessageView>>,
    /// Empty where the person may not read the mediation's notes.
    pub sessions: Vec<SessionView>,
    /// While the commission may still change it, for those who may read it.
    pub draft: Option<DraftView>,
    /// The names of the people who acted in the trail, by the username its entries carry
    /// (an entry's actor is written as `username (role)` inside the hash chain).
    pub names: HashMap<String, String>,
    /// When this person opened the page before this visit (`None` the first time).
    pub previous_visit: Option<DateTime<Utc>>,
}

/// The display names of these users, in one statement.
async fn names_of(app: &App, usernames: Vec<String>) -> Result<HashMap<String, String>> {
    if usernames.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(user::Entity::find()
        .select_only()
        .column(user::Column::Username)
        .column(user::Column::DisplayName)
        .filter(user::Column::Username.is_in(usernames))
        .into_tuple::<(String, String)>()
        .all(&app.db)
        .await?
        .into_iter()
        .collect())
}

pub async fn case_page(app: &App, actor: &Actor, id: Uuid) -> Result<CasePage> {
    let loaded = visible(&app.db, actor, id).await?;
    let previous_visit = visits::record(&app.db, actor.internal_id, loaded.case.id, now()).await?;
    let case = view::detail(app, actor, &loaded)?;
    let may = |action: &str| case.available_actions.iter().any(|a| a == action);
    let messages = if may("read-messages") {
        Some(messages::list_of(app, actor, &loaded).await?)
    } else {
        None
    };
    let sessions = if may("read-mediation-notes") {
        mediation::sessions_of(app, actor, &loaded).await?
    } else {
        Vec::new()
    };
    let draft = if may("save-ruling-draft") || (may("read-ruling-draft") && case.phase == Phase::Commissie) {
        ruling_draft::get_of(app, actor, &loaded).await?
    } else {
        None
    };
    let seen = Seen::of(app, actor, loaded)?;
    // The case's documents, read once: the trail leaves out entries about those this person
    // may not read, and the list shows the others.
    let all = of_case(&app.db, seen.case.case.id).await?;
    let trail = audit::trail_among(app, actor, &seen, &all).await?;
    let documents = visible_views(&app.db, actor, &seen, &all).await?;
    let usernames: BTreeSet<String> = trail
        .entries
        .iter()
        .map(|e| label_parts(&e.actor).0.to_owned())
        .collect();
    let names = names_of(app, usernames.into_iter().collect()).await?;
    Ok(CasePage {
        previous_visit,
        names,
        case,
        trail,
        documents,
        messages,
        sessions,
        draft,
    })
}
