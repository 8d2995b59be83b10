//! The secretary's review of a ruling's public version: every replacement in its context,
//! each one undone with a tick, more added one per line, the proposed text in full, and the
//! decision — publish in full, a summary only, or withhold with a reason. The same service as
//! the API (`rulings::publication`).

use std::collections::BTreeMap;

use askama::Template;
use axum::{
    Form,
    extract::{Path, State},
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
};
use uuid::Uuid;

use super::{
    forms,
    page::{Layout, PageError, render},
    session::{Signed, check_form},
};
use crate::{
    error::Error,
    service::web_sessions::WebSession,
    service::{
        App, cases,
        input::FromFields,
        rulings::publication::{self, PublicationView, Review},
    },
};

#[derive(Template)]
#[template(path = "publicatie.html")]
struct ReviewPage {
    layout: Layout,
    case_id: Uuid,
    number: String,
    publication: Option<PublicationView>,
    /// The added replacements as the form shows them: one per line.
    added: String,
    errors: Vec<(String, String)>,
    problem: Option<String>,
}

impl ReviewPage {
    fn error_for(&self, field: &str) -> Option<&str> {
        self.errors.iter().find(|(f, _)| f == field).map(|(_, m)| m.as_str())
    }
}

async fn page(app: &App, session: &WebSession, id: Uuid) -> Result<ReviewPage, PageError> {
    let case = cases::get(app, &session.actor, id).await?;
    cases::check(app, &session.actor, id, crate::domain::rules::Action::PublishRuling).await?;
    let publication = match publication::get(app, &session.actor, id).await {
        Ok(p) => Some(p),
        Err(Error::NotFound(_)) => None,
        Err(e) => return Err(e.into()),
    };
    let added = publication
        .as_ref()
        .map(|p| {
            p.add
                .iter()
                .map(|(k, v)| format!("{k} = {v}"))
                .collect::<Vec<_>>()
                .join("\n")
        })
        .unwrap_or_default();
    Ok(ReviewPage {
        layout: Layout::new(Some(session), "/geschillen"),
        case_id: id,
        number: case.number,
        publication,
        added,
        errors: Vec::new(),
        problem: None,
    })
}

pub async fn show(
    State(app): State<App>,
    Signed(session): Signed,
    Path(id): Path<Uuid>,
) -> Result<Response, PageError> {
    Ok(render(&page(&app, &session, id).await?))
}

/// The review's lines "text = replacement" (a line without "=" is replaced by "[naam]").
fn added(raw: &str) -> BTreeMap<String, String> {
    raw.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| match l.split_once('=') {
            Some((k, v)) => (k.trim().to_owned(), v.trim().to_owned()),
            None => (l.to_owned(), "[naam]".to_owned()),
        })
        .collect()
}

/// (Re)prepares with the review: the ticked replacements kept, the added lines replaced.
pub async fn prepare(
    State(app): State<App>,
    Signed(session): Signed,
    Path(id): Path<Uuid>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    check_form(&session, forms::value(&form, "csrf"))?;
    let review = Review {
        keep: form
            .iter()
            .filter(|(k, _)| k == "keep")
            .map(|(_, v)| v.clone())
            .collect(),
        add: added(forms::value(&form, "toevoegen").unwrap_or_default()),
    };
    match publication::prepare(&app, &session.actor, id, review).await {
        Ok(_) => Ok(Redirect::to(&format!("/geschillen/{id}/publicatie")).into_response()),
        Err(e) => {
            let refused = forms::refusal(e, forms::STALE)?;
            let mut p = page(&app, &session, id).await?;
            p.errors = refused
                .errors
                .into_iter()
                .map(|(_, m)| ("toevoegen".to_owned(), m))
                .collect();
            p.problem = refused.problem;
            p.added = forms::value(&form, "toevoegen").unwrap_or_default().to_owned();
            let mut res = render(&p);
            *res.status_mut() = refused.status;
            Ok(res)
        }
    }
}

/// The decision.
pub async fn decide(
    State(app): State<App>,
    Signed(session): Signed,
    Path(id): Path<Uuid>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    check_form(&session, forms::value(&form, "csrf"))?;
    let body = forms::body(&form, &["mode", "summary", "reason"]);
    let outcome = match publication::Decision::from_json(&body) {
        Ok(d) => publication::publish(&app, &session.actor, id, d).await,
        Err(e) => Err(e),
    };
    match outcome {
        Ok(_) => Ok(Redirect::to(&format!("/geschillen/{id}/publicatie")).into_response()),
        Err(Error::Unprocessable(_, nl)) => {
            let mut p = page(&app, &session, id).await?;
            p.problem = Some(format!("{nl} Er is niets gepubliceerd."));
            let mut res = render(&p);
            *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(res)
        }
        Err(e) => {
            let refused = forms::refusal(
                e,
                "De uitspraak of het geschil is gewijzigd sinds de voorbereiding, of er is nog niets voorbereid. Er is niets gepubliceerd; bereid de openbare versie opnieuw voor.",
            )?;
            let mut p = page(&app, &session, id).await?;
            p.errors = refused.errors;
            p.problem = refused.problem;
            let mut res = render(&p);
            *res.status_mut() = refused.status;
            Ok(res)
        }
    }
}
