//! The case page: parties, phase, terms with their explanation, what happened, documents,
//! messages, and what this person may do now. Everything comes from the service layer,
//! exactly as the API sees it.

use std::collections::HashMap;

use askama::Template;
use axum::{
    extract::{Path, Query, State},
    http::HeaderMap,
    response::Response,
};
use uuid::Uuid;

use super::{
    nl,
    page::{Layout, PageError, render},
    session::Signed,
};
use crate::{
    domain::{nvo::nl_date, procedure::Step},
    http::api::documents::{content_response, fetch},
    service::{
        App,
        cases::{self, visits},
        documents,
    },
};

pub struct TermRow {
    pub label: String,
    pub who: &'static str,
    pub status: &'static str,
    pub due_on: String,
    pub explanation: Vec<String>,
}

pub struct EventRow {
    pub at: String,
    pub who: String,
    pub what: String,
    pub reason: Option<String>,
}

pub struct DocumentRow {
    pub href: String,
    pub kind: &'static str,
    pub title: String,
    pub file_name: String,
    pub size: String,
    pub audience: &'static str,
    pub uploaded: String,
    pub withdrawn: Option<String>,
    /// Added by someone else since this person's previous visit.
    pub new: bool,
    /// Where this person may withdraw it (the secretary, while it stands).
    pub withdraw_href: Option<String>,
}

pub struct MessageRow {
    pub at: String,
    pub author: String,
    pub body: String,
}

#[derive(Template)]
#[template(path = "geschil.html")]
pub struct CasePage {
    layout: Layout,
    case: cases::view::CaseView,
    kind: String,
    respondents: String,
    terms: Vec<TermRow>,
    events: Vec<EventRow>,
    documents: Vec<DocumentRow>,
    messages: Option<Vec<MessageRow>>,
    /// (name in the URL, in Dutch)
    steps: Vec<(&'static str, &'static str)>,
    /// After a step: what was done.
    done: Option<&'static str>,
    may_write: bool,
    may_upload: bool,
    forms: Forms,
    /// (code, label) of the document kinds.
    kinds: Vec<(&'static str, &'static str)>,
    /// The NvO facts as (question, answer), and the requirements they breach.
    facts: Vec<(&'static str, String)>,
    flags: Vec<String>,
    /// The filer of a concept sees where filing stands and may change the facts.
    filing: bool,
    filing_at: u8,
    /// Submissions, mediation, hearing and ruling.
    record: super::case_record::Record,
    /// (name in the URL, title) of the other actions this person may take now.
    actions: Vec<(&'static str, &'static str)>,
    /// The mediation sessions, for those who may read them: (date, attendees, notes).
    sessions: Vec<(String, String, String)>,
    /// The chair's draft of the ruling, for the commission and the secretary.
    draft: Option<super::case_record::DraftRow>,
}

/// What the case page's own forms hold after a refused post: the text typed, and why.
#[derive(Default)]
pub struct Forms {
    pub message: String,
    pub message_error: Option<String>,
    pub upload: std::collections::HashMap<String, String>,
    pub upload_errors: Vec<(String, String)>,
}

impl Forms {
    pub fn upload_value(&self, name: &str) -> &str {
        self.upload.get(name).map_or("", String::as_str)
    }
    pub fn upload_is(&self, name: &str, v: &str) -> bool {
        self.upload_value(name) == v
    }
    pub fn upload_error(&self, name: &str) -> Option<&str> {
        self.upload_errors
            .iter()
            .find(|(f, _)| f == name)
            .map(|(_, m)| m.as_str())
    }
}

impl CasePage {
    fn date(&self, d: &chrono::NaiveDate) -> String {
        nl_date(*d)
    }

    /// The running term that ends first (the case's `target_date`): who must act, what, and
    /// by when.
    fn next_term(&self) -> Option<(&'static str, &str, String)> {
        let due = self.case.target_date?;
        let t = self
            .case
            .terms
            .iter()
            .find(|t| t.status == "running" && t.due_on == due)?;
        Some((super::nl::who(&t.who), t.label.as_str(), nl_date(t.due_on)))
    }
}

pub async fn case_page(
    State(app): State<App>,
    Signed(session): Signed,
    Path(id): Path<Uuid>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let done = q
        .get("gedaan")
        .and_then(|d| Step::ALL.iter().find(|s| s.name() == d))
        .map(|s| s.done_nl())
        .or_else(|| {
            let name = q.get("klaar")?;
            super::actions::CaseAction::ALL
                .into_iter()
                .find(|a| a.name() == name)
                .map(|a| a.done())
        });
    Ok(render(&case_view(&app, &session, id, done, Forms::default()).await?))
}

/// Who acted, as people read it: "Anne de Vries (secretaris)", "Jan Jansen (gemeente,
/// Heerlen)". The entry's label (`username (role)`) where the person is not known.
fn who_acted(label: &str, organisation: Option<&str>, names: &HashMap<String, String>) -> String {
    let (username, role) = crate::service::identity::label_parts(label);
    match (names.get(username), role.map(|r| nl::role(r).to_lowercase())) {
        (Some(name), Some(role)) => match organisation {
            Some(o) => format!("{name} ({role}, {o})"),
            None => format!("{name} ({role})"),
        },
        _ => match organisation {
            Some(o) => format!("{label} ({o})"),
            None => label.to_owned(),
        },
    }
}

/// The case page, with what its forms hold.
pub async fn case_view(
    app: &App,
    session: &crate::service::web_sessions::WebSession,
    id: Uuid,
    done: Option<&'static str>,
    forms: Forms,
) -> Result<CasePage, PageError> {
    let actor = &session.actor;
    // Read with the case loaded once; each part only as far as the rule book lets this
    // person see it.
    let cases::page::CasePage {
        case,
        trail,
        documents: docs,
        messages,
        sessions,
        draft,
        names: page_names,
        previous_visit,
    } = cases::page::case_page(app, actor, id).await?;
    // What this person may do here is the rule book's answer, carried by the case view.
    let may = |action: &str| case.available_actions.iter().any(|a| a == action);
    let messages = messages.map(|ms| {
        ms.into_iter()
            .map(|m| MessageRow {
                at: nl::moment(&m.sent_at),
                author: match m.organisation {
                    Some(o) => format!("{} ({o})", m.author.display_name),
                    None => m.author.display_name,
                },
                body: m.body,
            })
            .collect()
    });
    let terms = case
        .terms
        .iter()
        .map(|t| TermRow {
            label: t.label.clone(),
            who: nl::who(&t.who),
            status: nl::term_status(&t.status),
            due_on: nl_date(t.due_on),
            explanation: t.explanation.iter().map(|e| e.text.clone()).collect(),
        })
        .collect();
    let events = trail
        .entries
        .iter()
        .rev()
        .map(|e| EventRow {
            at: nl::moment(&e.occurred_at),
            who: who_acted(&e.actor, e.organisation.as_deref(), &page_names),
            what: nl::action(&e.action),
            reason: e.reason.clone(),
        })
        .collect();
    let may_withdraw = may("withdraw-document");
    let documents = docs
        .into_iter()
        .map(|d| DocumentRow {
            new: visits::arrived_since(d.uploaded_at, d.uploaded_by.id, actor.id, previous_visit),
            withdraw_href: (may_withdraw && d.withdrawn.is_none())
                .then(|| format!("/geschillen/{id}/handeling/stuk-intrekken?stuk={}", d.id)),
            href: format!("/geschillen/{id}/stukken/{}", d.id),
            kind: nl::document_kind(&d.kind),
            title: d.title,
            file_name: d.file_name,
            size: nl::size(d.size),
            audience: nl::audience(&d.audience),
            uploaded: format!("{}, {}", nl::moment(&d.uploaded_at), d.uploaded_by.display_name),
            withdrawn: d
                .withdrawn
                .map(|w| format!("Ingetrokken op {}: {}", nl::moment(&w.at), w.reason)),
        })
        .collect();
    let steps = case
        .available_steps
        .iter()
        .filter_map(|s| Step::ALL.iter().find(|x| x.name() == s).map(|x| (x.name(), x.nl())))
        .collect();
    let may_write = may("send-message");
    let may_upload = may("add-document");
    // The mediator and the parties read the sessions' notes; the commission once released.
    let sessions = sessions
        .into_iter()
        .map(|s| (nl_date(s.held_on), s.attendees.join(", "), s.notes))
        .collect();
    let kind = app.reglement.kind(case.kind).label.clone();
    // The filer of a concept sees where filing stands: the rule book lets them edit it.
    let filing = may("edit");
    let respondents = case
        .respondents
        .iter()
        .map(|r| r.name.clone())
        .collect::<Vec<_>>()
        .join(", ");
    Ok(CasePage {
        layout: Layout::new(Some(session), &format!("/geschillen/{id}")),
        kind,
        respondents,
        terms,
        events,
        documents,
        messages,
        steps,
        done,
        may_write,
        may_upload,
        forms,
        kinds: {
            let mut kinds: Vec<(&'static str, &'static str)> = Vec::new();
            for choice in &case.document_choices {
                if !kinds.iter().any(|(k, _)| *k == choice.kind) {
                    kinds.push((choice.kind, nl::document_kind(choice.kind)));
                }
            }
            kinds
        },
        facts: super::fact_forms::rows(case.kind, case.facts.as_ref()),
        flags: case.flags.iter().map(|f| f.message_nl.clone()).collect(),
        filing,
        filing_at: 3,
        record: super::case_record::record_of(&case),
        actions: super::actions::offered(&case)
            .into_iter()
            .map(|a| (a.name(), a.title()))
            .collect(),
        sessions,
        // The draft is shown while the commission may still change it.
        draft: draft.as_ref().map(super::case_record::draft_row),
        case,
    })
}

/// A document's content for the browser, with the same rules and log as the API.
pub async fn document(
    State(app): State<App>,
    Signed(session): Signed,
    Path((id, doc)): Path<(Uuid, Uuid)>,
    method: axum::http::Method,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let content = documents::content::open(&app, &session.actor, id, doc, fetch(&method, &headers)).await?;
    Ok(content_response(content)?)
}
