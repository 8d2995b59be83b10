//! The second factor in the web, on `/mijn-account/tweede-factor`: what it is and whether the
//! person has one; "instellen" starts enrolment (a QR code, drawn by the server, and the
//! secret to type in) and a code from the app confirms it, after which the recovery codes are
//! shown this once. The same service as the API (`service::second_factor`).

use askama::Template;
use axum::{
    Form,
    extract::State,
    http::StatusCode,
    response::{IntoResponse, Response},
};

use super::{
    forms,
    page::{Layout, PageError, render},
    session::{Signed, check_form},
};
use crate::{
    error::Error,
    service::{
        App,
        second_factor::{self, Enrolment, Standing},
        web_sessions::WebSession,
    },
};

#[derive(Template)]
#[template(path = "tweede_factor.html")]
struct Page {
    layout: Layout,
    active: bool,
    enrolling: Option<Enrolment>,
    /// Why the code was refused.
    error: Option<String>,
    /// Just confirmed: the recovery codes, shown this once.
    codes: Vec<String>,
    /// The person's role requires it and they have none yet.
    must: bool,
}

impl Page {
    fn new(session: &WebSession) -> Page {
        Page {
            layout: Layout::new(Some(session), "/mijn-account"),
            active: false,
            enrolling: None,
            error: None,
            codes: Vec::new(),
            must: session.must_enrol,
        }
    }
}

async fn current(app: &App, session: &WebSession) -> Result<Page, PageError> {
    let mut page = Page::new(session);
    match second_factor::standing(app, &session.actor).await? {
        Standing::Active => page.active = true,
        Standing::Enrolling(e) => page.enrolling = Some(e),
        Standing::None => {}
    }
    Ok(page)
}

pub async fn show(State(app): State<App>, Signed(session): Signed) -> Result<Response, PageError> {
    Ok(render(&current(&app, &session).await?))
}

/// "Tweede factor instellen": a new secret, shown as a QR code with the form for the code.
pub async fn start(
    State(app): State<App>,
    Signed(session): Signed,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    check_form(&session, forms::value(&form, "csrf"))?;
    let enrolment = second_factor::start(&app, &session.actor).await?;
    let mut page = Page::new(&session);
    page.enrolling = Some(enrolment);
    Ok(render(&page))
}

/// The code from the app: in force, and the recovery codes shown; or the code refused next
/// to its field.
pub async fn confirm(
    State(app): State<App>,
    Signed(session): Signed,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    check_form(&session, forms::value(&form, "csrf"))?;
    let code = forms::value(&form, "code").unwrap_or_default().trim().to_owned();
    let refused = if code.is_empty() {
        "Vul de code in die uw authenticator-app nu toont."
    } else {
        match second_factor::confirm(&app, &session.actor, &code).await {
            Ok(codes) => {
                let mut page = Page::new(&session);
                page.active = true;
                page.must = false;
                page.codes = codes.recovery_codes;
                return Ok(render(&page));
            }
            Err(Error::SecondFactorRequired(_)) => {
                "Deze code klopt niet. Controleer of de tijd op uw telefoon goed staat en vul de code in die de app nu toont."
            }
            Err(Error::TooManyRequests { .. }) => {
                "Er is te vaak een verkeerde code ingevuld. Probeer het over een paar minuten opnieuw."
            }
            Err(e) => return Err(e.into()),
        }
    };
    let mut page = current(&app, &session).await?;
    page.error = Some(refused.to_owned());
    let mut res = render(&page);
    *res.status_mut() = StatusCode::BAD_REQUEST;
    Ok(res.into_response())
}
