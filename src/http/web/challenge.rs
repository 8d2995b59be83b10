//! The secretary records a court challenge of the ruling (vernietiging, art. 7:904 BW) and
//! later its outcome, on `/geschillen/{id}/vernietiging`; the same service as the API
//! (`register::challenge`). The ruling's public page shows it.

use axum::{
    Form,
    extract::{Path, State},
    response::{IntoResponse, Redirect, Response},
};
use uuid::Uuid;

use super::{
    admin::{FormPage, refused},
    forms::{self, Spec, field_errors, spec},
    page::{Layout, PageError, render},
    session::{Signed, check_form},
};
use crate::{
    domain::rules::Action,
    service::{
        App, cases,
        input::FromFields,
        register::challenge::{self, ChallengeInput, OUTCOMES},
        web_sessions::WebSession,
    },
};

const DATES: [&str; 2] = ["filed_on", "decided_on"];

async fn form_page(
    app: &App,
    session: &WebSession,
    id: Uuid,
    form: &[(String, String)],
    errors: &[(String, String)],
) -> Result<FormPage, PageError> {
    cases::check(app, &session.actor, id, Action::RecordChallenge).await?;
    // The form opens with the challenge as recorded.
    let recorded: Vec<(String, String)> = match challenge::get(app, &session.actor, id).await? {
        Some((c, note)) if form.is_empty() => [
            ("filed_on", Some(c.filed_on.format("%-d-%-m-%Y").to_string())),
            ("court", Some(c.court)),
            ("outcome", Some(c.outcome)),
            ("decided_on", c.decided_on.map(|d| d.format("%-d-%-m-%Y").to_string())),
            ("note", note),
        ]
        .into_iter()
        .filter_map(|(k, v)| Some((k.to_owned(), v?)))
        .collect(),
        _ => form.to_vec(),
    };
    let date = |name, label, required, hint| Spec {
        hint: Some(hint),
        ..spec(name, label, "date", required)
    };
    let specs = vec![
        date(
            "filed_on",
            "Beroep ingesteld op",
            true,
            "De dag waarop een partij de rechter vroeg de uitspraak te vernietigen, bijvoorbeeld 15-1-2027.",
        ),
        Spec {
            hint: Some("Bijvoorbeeld Rechtbank Limburg."),
            ..spec("court", "Rechter", "text", true)
        },
        Spec {
            options: OUTCOMES
                .iter()
                .map(|(c, l)| ((*c).to_owned(), (*l).to_owned()))
                .collect(),
            ..spec("outcome", "Stand van de procedure", "select", true)
        },
        date(
            "decided_on",
            "Beslist of ingetrokken op",
            false,
            "Leeg laten zolang de procedure loopt.",
        ),
        Spec {
            hint: Some("Voor het dossier; dit wordt niet gepubliceerd."),
            ..spec("note", "Toelichting", "textarea", false)
        },
    ];
    Ok(FormPage {
        layout: Layout::new(Some(session), "/geschillen"),
        title: "Vernietiging van de uitspraak (artikel 7:904 BW)",
        action: format!("/geschillen/{id}/vernietiging"),
        back: (format!("/geschillen/{id}"), "Terug naar het geschil"),
        button: "Vastleggen",
        fields: forms::shown(specs, &recorded, errors),
        problem: None,
    })
}

pub async fn show(
    State(app): State<App>,
    Signed(session): Signed,
    Path(id): Path<Uuid>,
) -> Result<Response, PageError> {
    Ok(render(&form_page(&app, &session, id, &[], &[]).await?))
}

pub async fn save(
    State(app): State<App>,
    Signed(session): Signed,
    Path(id): Path<Uuid>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    check_form(&session, forms::value(&form, "csrf"))?;
    let body = forms::body_with_dates(&form, &["court", "outcome", "note"], &DATES);
    let outcome = match ChallengeInput::from_json(&body) {
        Ok(input) => challenge::record(&app, &session.actor, id, input).await,
        Err(e) => Err(e),
    };
    match outcome {
        Ok(_) => Ok(Redirect::to(&format!("/geschillen/{id}")).into_response()),
        Err(e) => {
            let errors = field_errors(e)?;
            Ok(refused(&form_page(&app, &session, id, &form, &errors).await?))
        }
    }
}
