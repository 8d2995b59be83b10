//! Case actions that are not steps of the procedure, each as a form: the secretary suspends
//! and resumes the handling and extends a term; the mediator records a mediation session; a
//! party releases the mediation notes to the commission. Each goes to the same service as
//! the API, which decides whether this person may.

use askama::Template;
use axum::{
    Form,
    extract::{Path, Query, State},
    response::{IntoResponse, Redirect, Response},
};
use serde_json::{Value, json};
use uuid::Uuid;

use super::{
    fact_forms::iso_date,
    field::ShownField,
    forms::{self, STALE, Spec, refusal, spec},
    page::{Layout, PageError, render},
    session::{Signed, check_form},
    step_forms::{NATURES, OUTCOMES},
};
use crate::{
    domain::rules::Action,
    error::{Error, FieldError, Result},
    service::{
        Actor, App,
        cases::{
            self, mediation, rulings,
            suspension::{self, Extension, NewSuspension},
            view::CaseView,
        },
        documents::{self, DocumentView, withdraw},
        input::FromFields,
        web_sessions::WebSession,
    },
};

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum CaseAction {
    Suspend,
    Resume,
    Extend,
    Session,
    Release,
    WithdrawDocument,
    CorrectRuling,
}

impl CaseAction {
    pub const ALL: [CaseAction; 7] = [
        Self::Suspend,
        Self::Resume,
        Self::Extend,
        Self::Session,
        Self::Release,
        Self::WithdrawDocument,
        Self::CorrectRuling,
    ];

    /// Its name in the URL.
    pub fn name(self) -> &'static str {
        match self {
            Self::Suspend => "opschorten",
            Self::Resume => "hervatten",
            Self::Extend => "termijn-verlengen",
            Self::Session => "bemiddelingsgesprek",
            Self::Release => "verslagen-vrijgeven",
            Self::WithdrawDocument => "stuk-intrekken",
            Self::CorrectRuling => "uitspraak-verbeteren",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Self::Suspend => "Behandeling opschorten",
            Self::Resume => "Behandeling hervatten",
            Self::Extend => "Termijn verlengen",
            Self::Session => "Bemiddelingsgesprek vastleggen",
            Self::Release => "Aantekeningen van de bemiddeling vrijgeven",
            Self::WithdrawDocument => "Stuk intrekken",
            Self::CorrectRuling => "Uitspraak verbeteren",
        }
    }

    /// What the case page says after it was done.
    pub fn done(self) -> &'static str {
        match self {
            Self::Suspend => "De behandeling is opgeschort. De termijnen staan stil tot de behandeling wordt hervat.",
            Self::Resume => "De behandeling is hervat. De termijnen lopen verder; hun einddatum is opgeschoven.",
            Self::Extend => "De termijn is verlengd. De nieuwe einddatum staat bij de termijnen.",
            Self::Session => "Het bemiddelingsgesprek is vastgelegd.",
            Self::Release => "U hebt de aantekeningen van de bemiddeling vrijgegeven.",
            Self::WithdrawDocument => {
                "Het stuk is ingetrokken. Het blijft in de lijst staan met de reden, maar is niet meer te openen."
            }
            Self::CorrectRuling => {
                "De uitspraak is verbeterd. De verbeterde versie staat bovenaan; de eerdere versie blijft bewaard."
            }
        }
    }

    fn intro(self) -> &'static str {
        match self {
            Self::Suspend => {
                "Tijdens een opschorting staan alle lopende termijnen stil. Bij hervatten schuiven ze op met het aantal opgeschorte dagen."
            }
            Self::Resume => {
                "Bij hervatten lopen de termijnen weer; hun laatste dag schuift op met het aantal opgeschorte dagen."
            }
            Self::Extend => {
                "Een termijn kan worden verlengd zoals het reglement toestaat; de uiterste einddatum staat bij de termijnen van het geschil."
            }
            Self::Session => {
                "De bemiddelaar en de partijen zien de aantekeningen; de commissie pas als alle partijen ze hebben vrijgegeven."
            }
            Self::Release => {
                "De commissie ziet de aantekeningen van de bemiddeling pas als alle partijen ze hebben vrijgegeven. Vrijgeven kan niet worden teruggedraaid."
            }
            Self::WithdrawDocument => {
                "Een ingetrokken stuk blijft in de lijst van stukken staan, met wie het introk, wanneer en waarom; niemand kan het nog openen. Intrekken kan niet worden teruggedraaid."
            }
            Self::CorrectRuling => {
                "Verbeter alleen een kennelijke fout, zoals een verschrijving of een rekenfout. De verbetering wordt een nieuwe versie met de reden erbij; de eerdere versie blijft bewaard en zichtbaar."
            }
        }
    }

    /// The rule book's action this form takes.
    pub fn action(self) -> Action {
        match self {
            Self::Suspend => Action::Suspend,
            Self::Resume => Action::Resume,
            Self::Extend => Action::ExtendTerm,
            Self::Session => Action::RecordMediationSession,
            Self::Release => Action::ReleaseMediationNotes,
            Self::WithdrawDocument => Action::WithdrawDocument { withdrawn: false },
            Self::CorrectRuling => Action::CorrectRuling,
        }
    }

    fn named(name: &str) -> Result<Self, PageError> {
        Self::ALL
            .into_iter()
            .find(|a| a.name() == name)
            .ok_or_else(PageError::not_found)
    }

    /// The form's fields; `documents` are the case's documents this person sees (read only
    /// for the withdrawal).
    fn specs(self, case: &CaseView, documents: &[DocumentView]) -> Vec<Spec> {
        let date_hint = |hint| Spec {
            hint: Some(hint),
            ..spec("", "", "date", false)
        };
        match self {
            Self::Suspend => vec![
                spec("reason", "Waarom wordt de behandeling opgeschort?", "textarea", true),
                Spec {
                    hint: Some("Bijvoorbeeld: artikel 12 van het reglement, op verzoek van partijen."),
                    ..spec("legal_basis", "Grondslag", "text", true)
                },
                Spec {
                    name: "from",
                    label: "Vanaf",
                    required: false,
                    ..date_hint("Leeg laten voor vandaag. Bijvoorbeeld 1-12-2026.")
                },
            ],
            Self::Extend => vec![
                Spec {
                    options: case
                        .terms
                        .iter()
                        .filter(|t| t.status == "running")
                        .map(|t| (t.key.clone(), t.label.clone()))
                        .collect(),
                    ..spec("termijn", "Welke termijn?", "select", true)
                },
                spec("reason", "Waarom wordt de termijn verlengd?", "textarea", true),
                Spec {
                    options: vec![("true".into(), "Partijen stemmen in met de verlenging".into())],
                    ..spec("parties_consent", "Instemming", "checkboxes", false)
                },
            ],
            Self::Session => vec![
                Spec {
                    name: "held_on",
                    label: "Datum van het gesprek",
                    required: true,
                    ..date_hint("Bijvoorbeeld 20-11-2026.")
                },
                Spec {
                    hint: Some("Eén naam per regel."),
                    ..spec("attendees", "Aanwezigen", "textarea", true)
                },
                spec("notes", "Aantekeningen", "textarea", true),
            ],
            Self::WithdrawDocument => vec![
                Spec {
                    options: documents
                        .iter()
                        .filter(|d| d.withdrawn.is_none())
                        .map(|d| {
                            let when = super::nl::moment(&d.uploaded_at);
                            (d.id.to_string(), format!("{} ({}, {when})", d.title, d.file_name))
                        })
                        .collect(),
                    ..spec("stuk", "Welk stuk?", "select", true)
                },
                spec("reason", "Waarom wordt het stuk ingetrokken?", "textarea", true),
            ],
            Self::CorrectRuling => {
                let choice = |options: &[(&str, &str)]| -> Vec<(String, String)> {
                    options
                        .iter()
                        .map(|(v, l)| ((*v).to_owned(), (*l).to_owned()))
                        .collect()
                };
                vec![
                    Spec {
                        hint: Some("Welke fout wordt verbeterd? Dit staat bij de verbeterde versie."),
                        ..spec("reason", "Reden van de verbetering", "textarea", true)
                    },
                    Spec {
                        options: choice(OUTCOMES),
                        ..spec("outcome", "Uitkomst", "select", true)
                    },
                    Spec {
                        options: choice(NATURES),
                        ..spec("nature", "Aard van de uitspraak", "select", true)
                    },
                    spec("dictum", "Dictum", "textarea", true),
                    spec("reasoning", "Overwegingen", "textarea", true),
                    spec("cost_allocation", "Verdeling van de kosten", "textarea", false),
                ]
            }
            Self::Resume | Self::Release => Vec::new(),
        }
    }

    /// What the form holds when it opens: for a correction, the ruling as it stands.
    fn initial(self, case: &CaseView) -> Vec<(String, String)> {
        match (self, case.rulings.last()) {
            (Self::CorrectRuling, Some(r)) => [
                ("outcome", r.outcome.clone()),
                ("nature", r.nature.clone()),
                ("dictum", r.dictum.clone()),
                ("reasoning", r.reasoning.clone()),
                ("cost_allocation", r.cost_allocation.clone().unwrap_or_default()),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect(),
            _ => Vec::new(),
        }
    }

    /// The API's body for the posted form.
    fn body(self, form: &[(String, String)]) -> Value {
        let mut body = forms::body(
            form,
            &[
                "reason",
                "legal_basis",
                "parties_consent",
                "notes",
                "outcome",
                "nature",
                "dictum",
                "reasoning",
                "cost_allocation",
            ],
        );
        if let Some(d) = forms::value(form, "from").filter(|v| !v.trim().is_empty()) {
            body["from"] = json!(iso_date(d));
        }
        if let Some(d) = forms::value(form, "held_on").filter(|v| !v.trim().is_empty()) {
            body["held_on"] = json!(iso_date(d));
        }
        if self == Self::Session {
            let names: Vec<&str> = forms::value(form, "attendees")
                .unwrap_or_default()
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .collect();
            body["attendees"] = json!(names);
        }
        body
    }

    async fn perform(self, app: &App, actor: &Actor, id: Uuid, form: &[(String, String)]) -> Result<()> {
        let body = self.body(form);
        match self {
            Self::Suspend => suspension::suspend(app, actor, id, NewSuspension::from_json(&body)?)
                .await
                .map(drop),
            Self::Resume => suspension::resume(app, actor, id).await.map(drop),
            Self::Extend => {
                let key = forms::value(form, "termijn").unwrap_or_default();
                if key.is_empty() {
                    return Err(Error::Validation(vec![FieldError::with_nl(
                        "termijn",
                        "choose a term",
                        "Kies de termijn die u wilt verlengen.",
                    )]));
                }
                suspension::extend(app, actor, id, key, Extension::from_json(&body)?)
                    .await
                    .map(drop)
            }
            Self::Session => mediation::record_session(app, actor, id, mediation::NewSession::from_json(&body)?)
                .await
                .map(drop),
            Self::Release => mediation::release(app, actor, id).await.map(drop),
            Self::WithdrawDocument => {
                let Some(document) = forms::value(form, "stuk").and_then(|d| Uuid::parse_str(d.trim()).ok()) else {
                    return Err(Error::Validation(vec![FieldError::with_nl(
                        "stuk",
                        "choose a document",
                        "Kies het stuk dat u wilt intrekken.",
                    )]));
                };
                withdraw::withdraw(app, actor, id, document, withdraw::Withdraw::from_json(&body)?)
                    .await
                    .map(drop)
            }
            Self::CorrectRuling => {
                let case = cases::get(app, actor, id).await?;
                let ruling = case.rulings.last().ok_or(Error::NotFound("ruling"))?;
                rulings::correct(app, actor, id, ruling.id, rulings::Correction::from_json(&body)?)
                    .await
                    .map(drop)
            }
        }
    }
}

/// The actions the case page offers this person now (the service has the last word). A
/// document is withdrawn from its own row in the list of documents.
pub fn offered(case: &CaseView) -> Vec<CaseAction> {
    CaseAction::ALL
        .into_iter()
        .filter(|a| *a != CaseAction::WithdrawDocument)
        .filter(|a| case.available_actions.iter().any(|name| name == a.action().name()))
        .collect()
}

#[derive(Template)]
#[template(path = "handeling.html")]
struct ActionPage {
    layout: Layout,
    case_id: Uuid,
    case_number: String,
    case_title: String,
    name: &'static str,
    title: &'static str,
    intro: &'static str,
    fields: Vec<ShownField>,
    problem: Option<String>,
}

impl ActionPage {
    fn has_errors(&self) -> bool {
        self.problem.is_some() || self.fields.iter().any(|f| f.error.is_some())
    }
}

async fn page(
    app: &App,
    session: &WebSession,
    id: Uuid,
    action: CaseAction,
    form: &[(String, String)],
    errors: &[(String, String)],
    problem: Option<String>,
) -> Result<ActionPage, PageError> {
    let case = cases::get(app, &session.actor, id).await?;
    let documents = if action == CaseAction::WithdrawDocument {
        documents::view::list(app, &session.actor, id).await?
    } else {
        Vec::new()
    };
    let initial;
    let form = if form.iter().all(|(k, _)| k == "stuk") {
        // A form just opened (a document may be named in the address): what it starts with.
        initial = [action.initial(&case), form.to_vec()].concat();
        &initial[..]
    } else {
        form
    };
    Ok(ActionPage {
        layout: Layout::new(Some(session), &format!("/geschillen/{id}")),
        case_id: id,
        name: action.name(),
        title: action.title(),
        intro: action.intro(),
        fields: forms::shown(action.specs(&case, &documents), form, errors),
        case_number: case.number,
        case_title: case.title,
        problem,
    })
}

pub async fn form(
    State(app): State<App>,
    Signed(session): Signed,
    Path((id, name)): Path<(Uuid, String)>,
    Query(q): Query<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let action = CaseAction::named(&name)?;
    Ok(render(&page(&app, &session, id, action, &q, &[], None).await?))
}

pub async fn take(
    State(app): State<App>,
    Signed(session): Signed,
    Path((id, name)): Path<(Uuid, String)>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let action = CaseAction::named(&name)?;
    check_form(&session, forms::value(&form, "csrf"))?;
    let refused = match action.perform(&app, &session.actor, id, &form).await {
        Ok(()) => return Ok(Redirect::to(&format!("/geschillen/{id}?klaar={}", action.name())).into_response()),
        Err(e) => refusal(e, STALE)?,
    };
    let mut res = render(&page(&app, &session, id, action, &form, &refused.errors, refused.problem).await?);
    *res.status_mut() = refused.status;
    Ok(res)
}
