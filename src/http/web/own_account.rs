//! Everyone's own account: who they are in Beslecht, and changing their own password (which
//! ends their other sessions and tokens, as through the API).

use askama::Template;
use axum::{
    Form,
    extract::{Query, State},
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
};

use super::{
    field::ShownField,
    forms::{self, Spec, field_errors, spec},
    nl,
    page::{Layout, PageError, render},
    session::{Signed, check_form},
};
use crate::service::{
    App, calendar_feed,
    credentials::{PasswordChange, change_own_password},
    input::FromFields,
    web_sessions::WebSession,
};

#[derive(Template)]
#[template(path = "mijn_account.html")]
struct AccountPage {
    layout: Layout,
    name: String,
    username: String,
    role: &'static str,
    organisation: Option<String>,
    fields: Vec<ShownField>,
    /// Always empty (the shared error summary asks for it).
    problem: Option<String>,
    done: bool,
    /// Just made: the full address of the person's new calendar feed (shown once: only its
    /// hash is kept).
    feed: Option<String>,
}

impl AccountPage {
    fn has_errors(&self) -> bool {
        self.fields.iter().any(|f| f.error.is_some())
    }
}

fn page(session: &WebSession, errors: &[(String, String)], done: bool) -> AccountPage {
    let a = &session.actor;
    AccountPage {
        layout: Layout::new(Some(session), "/mijn-account"),
        name: a.display_name.clone(),
        username: a.username.clone(),
        role: nl::role(a.role),
        organisation: a.organisation.as_ref().map(|o| o.name.clone()),
        fields: forms::shown(
            vec![
                Spec {
                    hint: None,
                    ..spec("current_password", "Huidig wachtwoord", "password", true)
                },
                Spec {
                    hint: Some("Ten minste 12 tekens. Een zin van een paar woorden is sterk en goed te onthouden."),
                    ..spec("new_password", "Nieuw wachtwoord", "password", true)
                },
            ],
            &[],
            errors,
        ),
        problem: None,
        done,
        feed: None,
    }
}

pub async fn show(Signed(session): Signed, Query(q): Query<Vec<(String, String)>>) -> Response {
    render(&page(&session, &[], q.iter().any(|(k, _)| k == "gewijzigd")))
}

/// "Agendakoppeling maken": a new private calendar feed (the previous address stops
/// working), shown once on the account page.
pub async fn calendar(
    State(app): State<App>,
    Signed(session): Signed,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    check_form(&session, forms::value(&form, "csrf"))?;
    let link = calendar_feed::create(&app, &session.actor).await?;
    let mut shown = page(&session, &[], false);
    shown.feed = Some(format!("{}{}", app.config.public_url.trim_end_matches('/'), link.path));
    Ok(render(&shown))
}

pub async fn change_password(
    State(app): State<App>,
    Signed(session): Signed,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    check_form(&session, forms::value(&form, "csrf"))?;
    let changed = match PasswordChange::from_json(&forms::body(&form, &["current_password", "new_password"])) {
        Ok(change) => change_own_password(&app, &session.actor, change).await,
        Err(e) => Err(e),
    };
    let errors = match changed {
        // The change ended every session, this one too: sign in again with the new password.
        Ok(()) => return Ok(Redirect::to("/inloggen?terug=%2Fmijn-account%3Fgewijzigd").into_response()),
        Err(e) => field_errors(e)?,
    };
    let mut res = render(&page(&session, &errors, false));
    *res.status_mut() = StatusCode::BAD_REQUEST;
    Ok(res)
}
