//! Filing a dispute, the NvO facts: the filer of a concept enters the facts its kind of
//! dispute asks for; each save stores them through the same service as the API and shows the
//! NvO requirements they breach, so the filer sees the flags as the facts are entered.

use askama::Template;
use axum::{
    Form,
    extract::{Path, State},
    response::{IntoResponse, Redirect, Response},
};
use serde_json::json;
use uuid::Uuid;

use super::{
    fact_forms::{self, FactWidget, facts_of},
    field::ShownField,
    forms::refusal,
    page::{Layout, PageError, render},
    session::{Signed, check_form},
};
use crate::{
    domain::rules::Action,
    service::{
        App,
        cases::{self, edit::edit, view::CaseView},
        web_sessions::WebSession,
    },
};

#[derive(Template)]
#[template(path = "feiten.html")]
struct FactsPage {
    layout: Layout,
    case_id: Uuid,
    case_number: String,
    case_title: String,
    version: i32,
    fields: Vec<ShownField>,
    /// The NvO requirements the stored facts breach, in Dutch.
    flags: Vec<String>,
    saved: bool,
    problem: Option<String>,
}

impl FactsPage {
    fn has_errors(&self) -> bool {
        self.problem.is_some() || self.fields.iter().any(|f| f.error.is_some())
    }
}

const STALE_CONCEPT: &str = "Het concept is intussen gewijzigd, bijvoorbeeld in een ander venster. Er is niets opgeslagen; wat u invulde staat hieronder nog. Sla opnieuw op om het over te nemen.";

fn page(
    session: &WebSession,
    case: &CaseView,
    form: &[(String, String)],
    errors: &[(String, String)],
    saved: bool,
    problem: Option<String>,
) -> FactsPage {
    let fields = facts_of(case.kind)
        .iter()
        .map(|spec| ShownField {
            name: spec.name,
            label: spec.label,
            hint: spec.hint,
            kind: match spec.widget {
                FactWidget::Date => "date",
                FactWidget::Months => "number",
                FactWidget::Money => "money",
                FactWidget::Category => "select",
                FactWidget::YesNo => "yesno",
            },
            required: false,
            values: form
                .iter()
                .filter(|(k, _)| k == spec.name)
                .map(|(_, v)| v.clone())
                .collect(),
            options: if spec.widget == FactWidget::Category {
                std::iter::once((String::new(), "Kies…".to_owned()))
                    .chain(fact_forms::care_categories())
                    .collect()
            } else {
                Vec::new()
            },
            error: errors.iter().find(|(f, _)| f == spec.name).map(|(_, m)| m.clone()),
        })
        .collect();
    FactsPage {
        layout: Layout::new(Some(session), &format!("/geschillen/{}", case.id)),
        case_id: case.id,
        case_number: case.number.clone(),
        case_title: case.title.clone(),
        version: case.version,
        fields,
        flags: case.flags.iter().map(|f| f.message_nl.clone()).collect(),
        saved,
        problem,
    }
}

pub async fn form(
    State(app): State<App>,
    Signed(session): Signed,
    Path(id): Path<Uuid>,
) -> Result<Response, PageError> {
    // Only the filer of a concept enters its facts: the rule book's "edit".
    cases::check(&app, &session.actor, id, Action::EditConcept).await?;
    let case = cases::get(&app, &session.actor, id).await?;
    let form = fact_forms::form_of(case.facts.as_ref());
    Ok(render(&page(&session, &case, &form, &[], false, None)))
}

pub async fn save(
    State(app): State<App>,
    Signed(session): Signed,
    Path(id): Path<Uuid>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let token = form.iter().find(|(k, _)| k == "csrf").map(|(_, v)| v.as_str());
    check_form(&session, token)?;
    // Only the filer of a concept enters its facts: the rule book's "edit".
    cases::check(&app, &session.actor, id, Action::EditConcept).await?;
    let case = cases::get(&app, &session.actor, id).await?;
    let mut body = json!({ "facts": fact_forms::facts_body(case.kind, &form) });
    if let Some(v) = form
        .iter()
        .find(|(k, _)| k == "version")
        .and_then(|(_, v)| v.parse::<i64>().ok())
    {
        body["version"] = json!(v);
    }
    let onward = form.iter().any(|(k, _)| k == "verder");
    let (status, errors, problem) = match edit(&app, &session.actor, id, &body).await {
        Ok(_) if onward => return Ok(Redirect::to(&format!("/geschillen/{id}#stukken")).into_response()),
        Ok(saved) => {
            let shown = fact_forms::form_of(saved.facts.as_ref());
            return Ok(render(&page(&session, &saved, &shown, &[], true, None)));
        }
        Err(e) => {
            let mut refused = refusal(e, STALE_CONCEPT)?;
            // The service names facts in the API's notation; the form has its own.
            for (name, message) in &mut refused.errors {
                *name = name.trim_start_matches("facts.").to_owned();
                if let Some(m) = facts_of(case.kind)
                    .iter()
                    .find(|s| s.name == name)
                    .and_then(fact_forms::message_for)
                {
                    *message = m.to_owned();
                }
            }
            (refused.status, refused.errors, refused.problem)
        }
    };
    // The page again with what was typed, carrying the case's current version: after a
    // conflict, saving again is the user's own choice to take over.
    let mut res = render(&page(&session, &case, &form, &errors, false, problem));
    *res.status_mut() = status;
    Ok(res)
}
