//! What the ruling orders, on `/geschillen/{id}/verplichtingen`: the obligations with their
//! last day and where they stand; the secretary records one (`…/nieuw`) or cancels one
//! recorded in error (`…/{obligation}/vervallen`); the side it binds reports it done
//! (`…/{obligation}/nagekomen`). The same service as the API (`rulings::obligations`).

use askama::Template;
use axum::{
    Form,
    extract::{Path, State},
    response::{IntoResponse, Redirect, Response},
};
use serde_json::json;
use uuid::Uuid;

use super::{
    admin::{FormPage, refused},
    fact_forms::{cents_of, euro},
    forms::{self, Spec, field_errors, spec},
    page::{Layout, PageError, render},
    session::{Signed, check_form},
};
use crate::{
    domain::{nvo::nl_date, obligation::Obligor, rules::Action, terms::weekday_nl},
    service::{
        App, cases,
        input::FromFields,
        rulings::obligations::{self, CancelInput, Change, FulfilmentInput, ObligationInput, ObligationView},
        web_sessions::WebSession,
    },
};

#[derive(Template)]
#[template(path = "verplichtingen.html")]
struct ListPage {
    layout: Layout,
    case: Uuid,
    number: String,
    obligations: Vec<ObligationView>,
    may_record: bool,
}

impl ListPage {
    fn date(&self, d: &chrono::NaiveDate) -> String {
        format!("{} {}", weekday_nl(*d), nl_date(*d))
    }
    fn amount(&self, cents: &i64) -> String {
        format!("€ {}", euro(*cents))
    }
}

pub async fn list(
    State(app): State<App>,
    Signed(session): Signed,
    Path(id): Path<Uuid>,
) -> Result<Response, PageError> {
    let (number, may_record, obligations) = obligations::page(&app, &session.actor, id).await?;
    Ok(render(&ListPage {
        layout: Layout::new(Some(&session), "/geschillen"),
        case: id,
        number,
        may_record,
        obligations,
    }))
}

fn back(id: Uuid) -> (String, &'static str) {
    (
        format!("/geschillen/{id}/verplichtingen"),
        "Terug naar de verplichtingen",
    )
}

async fn new_page(
    app: &App,
    session: &WebSession,
    id: Uuid,
    form: &[(String, String)],
    errors: &[(String, String)],
) -> Result<FormPage, PageError> {
    cases::check(app, &session.actor, id, Action::RecordObligation).await?;
    let specs = vec![
        Spec {
            options: Obligor::ALL
                .iter()
                .map(|o| (o.as_str().to_owned(), capitalised(o.nl())))
                .collect(),
            ..spec("who", "Wie moet het doen", "select", true)
        },
        Spec {
            hint: Some("Zoals de uitspraak het zegt, bijvoorbeeld: betaalt aan de regio het achterstallige bedrag."),
            ..spec("description", "Wat moet er gebeuren", "textarea", true)
        },
        Spec {
            hint: Some("Alleen als de uitspraak een bedrag noemt, bijvoorbeeld 12.500,00."),
            ..spec("amount", "Bedrag in euro", "text", false)
        },
        Spec {
            hint: Some("De dag die de uitspraak noemt, bijvoorbeeld 1-3-2027. Of vul hieronder een termijn in."),
            ..spec("due_on", "Uiterste datum", "date", false)
        },
        Spec {
            hint: Some(
                "Een termijn vanaf de datum van de uitspraak, bijvoorbeeld 6 weken. Beslecht berekent de laatste dag.",
            ),
            ..spec("within", "Of: termijn vanaf de uitspraak", "text", false)
        },
    ];
    Ok(FormPage {
        layout: Layout::new(Some(session), "/geschillen"),
        title: "Verplichting uit de uitspraak vastleggen",
        action: format!("/geschillen/{id}/verplichtingen/nieuw"),
        back: back(id),
        button: "Vastleggen",
        fields: forms::shown(specs, form, errors),
        problem: None,
    })
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map_or_else(String::new, |f| f.to_uppercase().chain(c).collect())
}

pub async fn new(State(app): State<App>, Signed(session): Signed, Path(id): Path<Uuid>) -> Result<Response, PageError> {
    Ok(render(&new_page(&app, &session, id, &[], &[]).await?))
}

pub async fn record(
    State(app): State<App>,
    Signed(session): Signed,
    Path(id): Path<Uuid>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    check_form(&session, forms::value(&form, "csrf"))?;
    let mut body = forms::body_with_dates(&form, &["who", "description", "within"], &["due_on"]);
    let mut errors = Vec::new();
    if let Some(v) = forms::value(&form, "amount").map(str::trim).filter(|v| !v.is_empty()) {
        match cents_of(v) {
            Some(c) => body["amount_cents"] = json!(c),
            None => errors.push(("amount".to_owned(), "Schrijf een bedrag als 12.500,00.".to_owned())),
        }
    }
    let outcome = match ObligationInput::from_json(&body) {
        Ok(input) if errors.is_empty() => obligations::record(&app, &session.actor, id, input).await,
        Ok(_) => Err(crate::error::Error::Validation(Vec::new())),
        Err(e) => Err(e),
    };
    match outcome {
        Ok(_) => Ok(Redirect::to(&format!("/geschillen/{id}/verplichtingen")).into_response()),
        Err(e) => {
            let mut all = field_errors(e)?;
            // The amount's field is the form's own (the API takes cents).
            for e in &mut all {
                if e.0 == "amount_cents" {
                    e.0 = "amount".to_owned();
                }
            }
            all.extend(errors);
            Ok(refused(&new_page(&app, &session, id, &form, &all).await?))
        }
    }
}

async fn change_page(
    app: &App,
    session: &WebSession,
    (id, obligation): (Uuid, Uuid),
    change: Change,
    form: &[(String, String)],
    errors: &[(String, String)],
) -> Result<FormPage, PageError> {
    obligations::may_change(app, &session.actor, id, obligation, change).await?;
    let (title, path, button, specs) = match change {
        Change::Report => (
            "Verplichting als nagekomen melden",
            "nagekomen",
            "Melden",
            vec![
                Spec {
                    hint: Some("De dag waarop de verplichting is nagekomen, bijvoorbeeld 2-2-2027."),
                    ..spec("fulfilled_on", "Nagekomen op", "date", true)
                },
                Spec {
                    hint: Some("Bijvoorbeeld het kenmerk van de betaling."),
                    ..spec("note", "Toelichting", "textarea", false)
                },
            ],
        ),
        Change::Cancel => (
            "Verplichting laten vervallen",
            "vervallen",
            "Laten vervallen",
            vec![Spec {
                hint: Some("Bijvoorbeeld: per vergissing vastgelegd, of vervangen na de verbetering van de uitspraak."),
                ..spec("reason", "Reden", "textarea", true)
            }],
        ),
    };
    Ok(FormPage {
        layout: Layout::new(Some(session), "/geschillen"),
        title,
        action: format!("/geschillen/{id}/verplichtingen/{obligation}/{path}"),
        back: back(id),
        button,
        fields: forms::shown(specs, form, errors),
        problem: None,
    })
}

pub async fn report_form(
    State(app): State<App>,
    Signed(session): Signed,
    Path(ids): Path<(Uuid, Uuid)>,
) -> Result<Response, PageError> {
    Ok(render(
        &change_page(&app, &session, ids, Change::Report, &[], &[]).await?,
    ))
}

pub async fn cancel_form(
    State(app): State<App>,
    Signed(session): Signed,
    Path(ids): Path<(Uuid, Uuid)>,
) -> Result<Response, PageError> {
    Ok(render(
        &change_page(&app, &session, ids, Change::Cancel, &[], &[]).await?,
    ))
}

pub async fn report(
    State(app): State<App>,
    Signed(session): Signed,
    Path(ids): Path<(Uuid, Uuid)>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    check_form(&session, forms::value(&form, "csrf"))?;
    let body = forms::body_with_dates(&form, &["note"], &["fulfilled_on"]);
    let outcome = match FulfilmentInput::from_json(&body) {
        Ok(input) => obligations::report(&app, &session.actor, ids.0, ids.1, input).await,
        Err(e) => Err(e),
    };
    done(&app, &session, ids, Change::Report, &form, outcome.map(|_| ())).await
}

pub async fn cancel(
    State(app): State<App>,
    Signed(session): Signed,
    Path(ids): Path<(Uuid, Uuid)>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    check_form(&session, forms::value(&form, "csrf"))?;
    let body = forms::body(&form, &["reason"]);
    let outcome = match CancelInput::from_json(&body) {
        Ok(input) => obligations::cancel(&app, &session.actor, ids.0, ids.1, input.reason).await,
        Err(e) => Err(e),
    };
    done(&app, &session, ids, Change::Cancel, &form, outcome.map(|_| ())).await
}

async fn done(
    app: &App,
    session: &WebSession,
    ids: (Uuid, Uuid),
    change: Change,
    form: &[(String, String)],
    outcome: crate::error::Result<()>,
) -> Result<Response, PageError> {
    match outcome {
        Ok(()) => Ok(Redirect::to(&format!("/geschillen/{}/verplichtingen", ids.0)).into_response()),
        Err(e) => {
            let errors = field_errors(e)?;
            Ok(refused(&change_page(app, session, ids, change, form, &errors).await?))
        }
    }
}
