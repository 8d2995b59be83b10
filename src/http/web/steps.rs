//! Taking a procedural step from the case page: a form per step, posted to the same service
//! as the API. A stale page (the case moved on) or an invalid field is answered with the form
//! again, in Dutch, with everything the user typed still in it.

use askama::Template;
use axum::{
    Form,
    extract::{Path, State},
    response::{IntoResponse, Redirect, Response},
};
use uuid::Uuid;

use super::{
    field::ShownField,
    forms::{STALE, refusal},
    page::{Layout, PageError, render},
    session::{Signed, check_form},
    step_forms::{FieldSpec, Pool, Widget, body_of, fields_of, pool},
};
use crate::{
    domain::{dispute::DisputeDomain, procedure::Step},
    service::{
        App,
        cases::{self, assignable::assignable_for},
        web_sessions::WebSession,
    },
};

#[derive(Template)]
#[template(path = "stap.html")]
pub(super) struct StepPage {
    layout: Layout,
    case_id: Uuid,
    case_number: String,
    case_title: String,
    step: &'static str,
    step_nl: &'static str,
    version: i32,
    fields: Vec<ShownField>,
    /// A message about the whole form (the case moved on, say).
    problem: Option<String>,
    /// Before a concept is submitted: everything it holds, to check.
    check: Option<Check>,
    facts: Vec<(&'static str, String)>,
    flags: Vec<String>,
    filing_at: u8,
    /// For the ruling: who saved the draft last and when, and whether it was just saved.
    pub(super) draft: Option<String>,
    pub(super) draft_saved: bool,
    /// For a step that cannot be undone, once its form was filled in: the check page.
    confirm: Option<Confirmation>,
    /// The running term this step answers: its label and its last day, in Dutch.
    deadline: Option<(String, String)>,
}

/// What a step that cannot be undone will do, asked before it is taken.
pub struct Confirmation {
    pub happens: &'static str,
    pub lasting: &'static str,
    /// (question, answer) as filled in.
    pub answers: Vec<(&'static str, String)>,
    /// The form as posted, carried to the confirmation.
    pub hidden: Vec<(String, String)>,
}

/// A concept as its filer checks it before submitting.
pub struct Check {
    pub kind: String,
    pub domain: &'static str,
    pub claimant: String,
    pub respondents: String,
    pub summary: String,
    /// (title, kind, file name and size)
    pub documents: Vec<(String, &'static str, String)>,
}

impl StepPage {
    /// Whether the form leads to a confirmation page rather than taking the step at once.
    fn asks_confirmation(&self) -> bool {
        step_named(self.step).is_ok_and(|s| super::nl::consequences(s).is_some())
    }

    fn has_errors(&self) -> bool {
        self.problem.is_some() || self.fields.iter().any(|f| f.error.is_some())
    }
}

pub(super) async fn page(
    app: &App,
    session: &WebSession,
    id: Uuid,
    step: Step,
    form: &[(String, String)],
    errors: &[(String, String)],
    problem: Option<String>,
) -> Result<StepPage, PageError> {
    let case = cases::get(app, &session.actor, id).await?;
    let specs: Vec<FieldSpec> = fields_of(step.name());
    let needs_people = specs
        .iter()
        .any(|s| matches!(s.widget, Widget::Person(_) | Widget::People(_)));
    let people = if needs_people {
        Some(assignable_for(app, &session.actor, id).await?)
    } else {
        None
    };
    let fields = specs
        .into_iter()
        .map(|s| {
            let (kind, options): (&'static str, Vec<(String, String)>) = match &s.widget {
                Widget::Text => ("text", Vec::new()),
                Widget::Textarea => ("textarea", Vec::new()),
                Widget::DateTime => ("datetime", Vec::new()),
                Widget::Select(opts) => (
                    "select",
                    opts.iter().map(|(v, l)| (v.to_string(), l.to_string())).collect(),
                ),
                Widget::Person(p) | Widget::People(p) => (
                    if matches!(s.widget, Widget::People(_)) {
                        "checkboxes"
                    } else {
                        "person"
                    },
                    people
                        .as_ref()
                        .map(|a| {
                            pool(*p, a)
                                .iter()
                                .map(|x| match a.conflicts.get(&x.id) {
                                    // Named, with why: the conflict check explained before the choice.
                                    Some(why) if why.starts_with(&x.display_name) && a.name_of(x) == x.display_name => {
                                        (x.id.to_string(), format!("{why} (niet toe te wijzen)"))
                                    }
                                    Some(why) => (
                                        x.id.to_string(),
                                        format!("{} — niet toe te wijzen: {why}", a.name_of(x)),
                                    ),
                                    None => (x.id.to_string(), a.name_of(x)),
                                })
                                .collect()
                        })
                        .unwrap_or_default(),
                ),
            };
            ShownField {
                name: s.name,
                label: s.label,
                hint: s.hint,
                kind,
                required: s.required,
                values: match s.widget {
                    Widget::DateTime => super::step_forms::moment_parts(s.name, form).to_vec(),
                    // A form not yet sent opens with who is assigned now, so that a change
                    // of assignment starts from the current one.
                    Widget::Person(p) | Widget::People(p) if !form.iter().any(|(k, _)| k == s.name) => match p {
                        Pool::Mediators => case.mediator.iter().map(|m| m.id.to_string()).collect(),
                        Pool::Chairs => case.chair.iter().map(|c| c.id.to_string()).collect(),
                        Pool::Members => case.members.iter().map(|m| m.id.to_string()).collect(),
                    },
                    _ => form
                        .iter()
                        .filter(|(k, _)| k == s.name)
                        .map(|(_, v)| v.clone())
                        .collect(),
                },
                options,
                error: errors.iter().find(|(f, _)| f == s.name).map(|(_, m)| m.clone()),
            }
        })
        .collect();
    let check = if step == Step::Submit {
        let documents = crate::service::documents::list(app, &session.actor, id).await?;
        Some(Check {
            kind: app.reglement.kind(case.kind).label.clone(),
            domain: match case.domain {
                DisputeDomain::Jeugd => "Jeugd",
                DisputeDomain::Bwmo => "Beschermd wonen en maatschappelijke opvang",
            },
            claimant: case.claimant.name.clone(),
            respondents: case
                .respondents
                .iter()
                .map(|r| r.name.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            summary: case.summary.clone(),
            documents: documents
                .into_iter()
                .filter(|d| d.withdrawn.is_none())
                .map(|d| {
                    (
                        d.title,
                        super::nl::document_kind(&d.kind),
                        format!("{}, {}", d.file_name, super::nl::size(d.size)),
                    )
                })
                .collect(),
        })
    } else {
        None
    };
    let deadline = case
        .terms
        .iter()
        .find(|t| t.status == "running" && app.term_rules.get(&t.key).is_some_and(|r| r.answered_by(step.name())))
        .map(|t| (t.label.clone(), crate::domain::nvo::nl_date(t.due_on)));
    Ok(StepPage {
        deadline,
        layout: Layout::new(Some(session), &format!("/geschillen/{id}")),
        check,
        facts: super::fact_forms::rows(case.kind, case.facts.as_ref()),
        flags: case.flags.iter().map(|f| f.message_nl.clone()).collect(),
        filing_at: 4,
        draft: None,
        draft_saved: false,
        confirm: None,
        case_id: id,
        case_number: case.number,
        case_title: case.title,
        step: step.name(),
        step_nl: step.nl(),
        version: case.version,
        fields,
        problem,
    })
}

pub(super) fn step_named(name: &str) -> Result<Step, PageError> {
    Step::ALL
        .iter()
        .copied()
        .find(|s| s.name() == name)
        .ok_or_else(PageError::not_found)
}

pub async fn form(
    State(app): State<App>,
    Signed(session): Signed,
    Path((id, name)): Path<(Uuid, String)>,
) -> Result<Response, PageError> {
    let step = step_named(&name)?;
    Ok(render(&page(&app, &session, id, step, &[], &[], None).await?))
}

pub async fn take(
    State(app): State<App>,
    Signed(session): Signed,
    Path((id, name)): Path<(Uuid, String)>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    take_step(&app, &session, id, step_named(&name)?, form).await
}

/// Adopting the ruling, posted from its own form (which opens with the saved draft).
pub async fn take_adopt(
    State(app): State<App>,
    Signed(session): Signed,
    Path(id): Path<Uuid>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    take_step(&app, &session, id, Step::AdoptRuling, form).await
}

async fn take_step(
    app: &App,
    session: &WebSession,
    id: Uuid,
    step: Step,
    form: Vec<(String, String)>,
) -> Result<Response, PageError> {
    let app = app.clone();
    let token = form.iter().find(|(k, _)| k == "csrf").map(|(_, v)| v.as_str());
    check_form(session, token)?;
    let body = body_of(step.name(), &form);
    let posted = |name: &str| form.iter().any(|(k, _)| k == name);
    // "Terug naar het formulier" from a confirmation: the form again, as filled in.
    if posted("wijzigen") {
        return Ok(render(&page(&app, session, id, step, &form, &[], None).await?).into_response());
    }
    // A step that cannot be undone is checked first and then confirmed on a page that says
    // what will happen (filing has its own check page).
    if let Some((happens, lasting)) = super::nl::consequences(step).filter(|_| !posted("bevestigd")) {
        let refused = match cases::steps::check(&app, &session.actor, id, step.step_name(), &body).await {
            Ok(()) => {
                let mut p = page(&app, session, id, step, &form, &[], None).await?;
                p.confirm = Some(Confirmation {
                    happens,
                    lasting,
                    answers: answers(step, &form),
                    hidden: form
                        .iter()
                        .filter(|(k, _)| !matches!(k.as_str(), "csrf" | "bevestigd" | "wijzigen"))
                        .cloned()
                        .collect(),
                });
                return Ok(render(&p).into_response());
            }
            Err(e) => refusal(e, STALE)?,
        };
        let mut res = render(&page(&app, session, id, step, &form, &refused.errors, refused.problem).await?);
        *res.status_mut() = refused.status;
        return Ok(res);
    }
    let refused = match cases::steps::take(&app, &session.actor, id, step.step_name(), &body).await {
        Ok(_) => return Ok(Redirect::to(&format!("/geschillen/{id}?gedaan={}", step.name())).into_response()),
        Err(e) => refusal(e, STALE)?,
    };
    let (status, errors, problem) = (refused.status, refused.errors, refused.problem);
    let mut res = render(&page(&app, session, id, step, &form, &errors, problem).await?);
    *res.status_mut() = status;
    Ok(res)
}

/// The answers of a filled-in step form as people read them: the label of a choice, a
/// moment in Dutch notation, the text as typed.
fn answers(step: Step, form: &[(String, String)]) -> Vec<(&'static str, String)> {
    fields_of(step.name())
        .into_iter()
        .filter_map(|spec| {
            let value = form.iter().find(|(k, _)| k == spec.name).map(|(_, v)| v.as_str())?;
            if value.is_empty() {
                return None;
            }
            let shown = match spec.widget {
                Widget::Select(options) => super::step_forms::label_of(options, value).to_owned(),
                Widget::DateTime => chrono::NaiveDateTime::parse_from_str(value, "%Y-%m-%dT%H:%M")
                    .map(|t| t.format("%d-%m-%Y %H:%M").to_string())
                    .unwrap_or_else(|_| value.to_owned()),
                _ => value.to_owned(),
            };
            Some((spec.label, shown))
        })
        .collect()
}
