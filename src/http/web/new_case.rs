//! Filing a dispute from the browser, first step: the kind, the domain, the other party and
//! what it is about. It creates the concept; on its page the filer adds documents and submits.

use askama::Template;
use axum::{
    Form,
    extract::State,
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
};
use serde_json::{Value, json};

use super::{
    page::{Layout, PageError, render},
    session::{Signed, check_form},
};
use crate::{
    domain::dispute::DisputeKind,
    error::Error,
    service::{
        App,
        cases::create::{self, NewCase},
        input::FromFields,
        organisations::{self, OrganisationFilter},
        web_sessions::WebSession,
    },
};

/// How many organisations a filing may name as respondents here.
const RESPONDENT_FIELDS: usize = 3;

/// The form's fields in the order it asks them, with the label the error summary names.
const FIELDS: [(&str, &str); 5] = [
    ("kind", "Soort geschil"),
    ("domain", "Domein"),
    ("respondent_1", "Verweerder"),
    ("title", "Titel"),
    ("summary", "Samenvatting van het geschil"),
];

#[derive(Template)]
#[template(path = "nieuw.html")]
struct NewCasePage {
    layout: Layout,
    kinds: Vec<(&'static str, String)>,
    /// (kind, [(id, name)]): the organisations that could respond, by kind.
    organisations: Vec<(&'static str, Vec<(String, String)>)>,
    form: Vec<(String, String)>,
    errors: Vec<(String, String)>,
    respondent_fields: Vec<usize>,
}

impl NewCasePage {
    fn value(&self, name: &str) -> &str {
        self.form
            .iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.as_str())
    }
    fn is(&self, name: &str, v: &str) -> bool {
        self.value(name) == v
    }
    fn error_for(&self, name: &str) -> Option<&str> {
        self.errors.iter().find(|(k, _)| k == name).map(|(_, m)| m.as_str())
    }
    fn respondent(&self, i: &usize) -> String {
        format!("respondent_{i}")
    }
    /// The errors for the summary, in the order the form asks, each naming its field:
    /// (field, "label: message").
    fn summary(&self) -> Vec<(&str, String)> {
        let mut found: Vec<(usize, &str, String)> = self
            .errors
            .iter()
            .map(|(field, message)| {
                let (at, label) = FIELDS
                    .iter()
                    .enumerate()
                    .find(|(_, (name, _))| name == field)
                    .map_or((FIELDS.len(), "Formulier"), |(i, (_, label))| (i, *label));
                (at, field.as_str(), format!("{label}: {message}"))
            })
            .collect();
        found.sort_by_key(|(at, _, _)| *at);
        found.into_iter().map(|(_, field, text)| (field, text)).collect()
    }
}

async fn page(
    app: &App,
    session: &WebSession,
    form: Vec<(String, String)>,
    errors: Vec<(String, String)>,
) -> Result<NewCasePage, PageError> {
    let own = session.actor.organisation.as_ref().map(|o| o.id);
    let orgs = organisations::list(
        app,
        &session.actor,
        OrganisationFilter {
            limit: Some(organisations::MAX_PAGE),
            ..Default::default()
        },
    )
    .await?;
    Ok(NewCasePage {
        layout: Layout::new(Some(session), "/geschillen"),
        kinds: DisputeKind::ALL
            .iter()
            .map(|k| (k.as_str(), app.reglement.kind(*k).label.clone()))
            .collect(),
        // Only organisations this filer could bring a dispute against, grouped by kind.
        organisations: session
            .actor
            .organisation
            .as_ref()
            .map(|o| app.reglement.respondent_kinds(o.kind))
            .unwrap_or_default()
            .into_iter()
            .map(|kind| {
                let of_kind: Vec<(String, String)> = orgs
                    .items
                    .iter()
                    .filter(|o| o.kind == kind && Some(o.id) != own)
                    .map(|o| (o.id.to_string(), o.name.clone()))
                    .collect();
                (super::nl::organisation_kind(kind), of_kind)
            })
            .filter(|(_, of_kind)| !of_kind.is_empty())
            .collect(),
        form,
        errors,
        respondent_fields: (1..=RESPONDENT_FIELDS).collect(),
    })
}

pub async fn form(State(app): State<App>, Signed(session): Signed) -> Result<Response, PageError> {
    Ok(render(&page(&app, &session, Vec::new(), Vec::new()).await?))
}

pub async fn file(
    State(app): State<App>,
    Signed(session): Signed,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let token = form.iter().find(|(k, _)| k == "csrf").map(|(_, v)| v.as_str());
    check_form(&session, token)?;
    let get = |name: &str| form.iter().find(|(k, _)| k == name).map(|(_, v)| v.trim().to_owned());
    let respondents: Vec<Value> = (1..=RESPONDENT_FIELDS)
        .filter_map(|i| get(&format!("respondent_{i}")).filter(|v| !v.is_empty()))
        .map(Value::String)
        .collect();
    let mut body = json!({ "respondents": respondents });
    for name in ["kind", "domain", "title", "summary"] {
        if let Some(v) = get(name).filter(|v| !v.is_empty()) {
            body[name] = Value::String(v);
        }
    }
    let created = match NewCase::from_json(&body) {
        Ok(new) => create::create(&app, &session.actor, new).await,
        Err(e) => Err(e),
    };
    let errors: Vec<(String, String)> = match created {
        // On to the facts its kind asks for, or to the documents when it asks none.
        Ok(case) if super::fact_forms::facts_of(case.kind).is_empty() => {
            return Ok(Redirect::to(&format!("/geschillen/{}#stukken", case.id)).into_response());
        }
        Ok(case) => return Ok(Redirect::to(&format!("/geschillen/{}/feiten", case.id)).into_response()),
        Err(Error::Validation(fields)) => fields
            .into_iter()
            .map(|f| {
                let name = if f.field.starts_with("respondents") {
                    "respondent_1".to_owned()
                } else {
                    f.field
                };
                (name, f.message_nl)
            })
            .collect(),
        Err(e) => return Err(e.into()),
    };
    let mut res = render(&page(&app, &session, form, errors).await?);
    *res.status_mut() = StatusCode::BAD_REQUEST;
    Ok(res)
}
