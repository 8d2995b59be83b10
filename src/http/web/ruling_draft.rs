//! The chair drafts the ruling on the form that adopts it: "Concept opslaan" keeps what is
//! written so far on the server (the same service as the API's `PUT …/ruling-draft`), and the
//! form opens with the draft the next time. Adopting stays the `adopt-ruling` step.

use axum::{
    Form,
    extract::{Path, Query, State},
    response::{IntoResponse, Redirect, Response},
};
use uuid::Uuid;

use super::{
    forms::{self, STALE, refusal},
    nl,
    page::{PageError, render},
    session::{Signed, check_form},
    steps::{page, step_named},
};
use crate::service::{
    App,
    cases::{
        self,
        ruling_draft::{self, DraftInput, DraftView},
    },
    input::FromFields,
    web_sessions::WebSession,
};

const FIELDS: [&str; 5] = ["outcome", "nature", "dictum", "reasoning", "cost_allocation"];

fn as_form(d: &DraftView) -> Vec<(String, String)> {
    let values = [
        &d.outcome,
        &d.nature,
        &Some(d.dictum.clone()),
        &Some(d.reasoning.clone()),
        &d.cost_allocation,
    ];
    FIELDS
        .iter()
        .zip(values)
        .filter_map(|(k, v)| v.as_ref().map(|v| (k.to_string(), v.clone())))
        .collect()
}

fn note(d: &DraftView) -> String {
    format!(
        "Concept laatst opgeslagen door {} op {}.",
        d.updated_by.display_name,
        nl::moment(&d.updated_at)
    )
}

/// The form that adopts the ruling, opened with the draft if there is one.
/// The form that adopts the ruling, opened with the chair's saved draft.
pub async fn adopt_page(
    State(app): State<App>,
    Signed(session): Signed,
    Path(id): Path<Uuid>,
    Query(q): Query<std::collections::HashMap<String, String>>,
) -> Result<Response, PageError> {
    adopt_form(&app, &session, id, q.contains_key("concept")).await
}

pub async fn adopt_form(app: &App, session: &WebSession, id: Uuid, just_saved: bool) -> Result<Response, PageError> {
    let step = step_named("adopt-ruling")?;
    // The draft is the commission's: whoever may not read it gets the form without it.
    let offered = cases::get(app, &session.actor, id).await?.available_actions;
    let draft = if offered.iter().any(|a| a == "read-ruling-draft") {
        ruling_draft::get(app, &session.actor, id).await?
    } else {
        None
    };
    let form = draft.as_ref().map(as_form).unwrap_or_default();
    let mut shown = page(app, session, id, step, &form, &[], None).await?;
    shown.draft = Some(
        draft
            .as_ref()
            .map_or_else(|| "Er is nog geen concept opgeslagen.".to_owned(), note),
    );
    shown.draft_saved = just_saved;
    Ok(render(&shown))
}

pub async fn save(
    State(app): State<App>,
    Signed(session): Signed,
    Path(id): Path<Uuid>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    check_form(&session, forms::value(&form, "csrf"))?;
    let saved = match DraftInput::from_json(&forms::body(&form, &FIELDS)) {
        Ok(input) => ruling_draft::save(&app, &session.actor, id, input).await,
        Err(e) => Err(e),
    };
    let refused = match saved {
        Ok(_) => {
            return Ok(Redirect::to(&format!("/geschillen/{id}/stap/adopt-ruling?concept=opgeslagen")).into_response());
        }
        Err(e) => refusal(e, STALE)?,
    };
    let step = step_named("adopt-ruling")?;
    let mut shown = page(&app, &session, id, step, &form, &refused.errors, refused.problem).await?;
    shown.draft = Some("Het concept is niet opgeslagen.".to_owned());
    let mut res = render(&shown);
    *res.status_mut() = refused.status;
    Ok(res)
}
