//! Signing in and out, and staying signed in.

use std::collections::HashMap;

use askama::Template;
use axum::{
    Form,
    extract::{Query, State},
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Redirect, Response},
};

use super::{
    page::{Layout, PageError, render},
    session::{
        DEVICE_COOKIE, LOGIN_COOKIE, MaybeSigned, SESSION_COOKIE, Signed, check_form, cookie, safe_return, set_cookie,
    },
};
use crate::{
    error::Error,
    http::extract::ClientAddr,
    service::{
        App,
        login::{Credentials, verify},
        web_sessions,
    },
};

#[derive(Template)]
#[template(path = "inloggen.html")]
struct SignInPage {
    layout: Layout,
    token: String,
    back: String,
    username: String,
    error: Option<String>,
    /// A field left empty, with its message beside it: (username, password).
    missing: (Option<&'static str>, Option<&'static str>),
    /// The identity providers to sign in through: (name, label).
    providers: Vec<(String, String)>,
}

pub(super) fn sign_in_page(
    app: &App,
    status: StatusCode,
    back: String,
    username: String,
    error: Option<String>,
) -> Response {
    form_page(app, status, back, username, error, (None, None))
}

fn form_page(
    app: &App,
    status: StatusCode,
    back: String,
    username: String,
    error: Option<String>,
    missing: (Option<&'static str>, Option<&'static str>),
) -> Response {
    let token = crate::service::secrets::random_token();
    let page = SignInPage {
        layout: Layout::new(None, "/inloggen"),
        token: token.clone(),
        back,
        username,
        error,
        missing,
        providers: app
            .federation
            .all()
            .map(|p| (p.name.clone(), p.label.clone()))
            .collect(),
    };
    let mut res = render(&page);
    *res.status_mut() = status;
    res.headers_mut()
        .append(header::SET_COOKIE, set_cookie(app, LOGIN_COOKIE, Some(&token), 3600));
    res
}

pub async fn form(
    State(app): State<App>,
    MaybeSigned(session): MaybeSigned,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let back = safe_return(q.get("terug").map(String::as_str));
    if session.is_some() {
        return Redirect::to(&back).into_response();
    }
    sign_in_page(&app, StatusCode::OK, back, String::new(), None)
}

pub async fn sign_in(
    State(app): State<App>,
    ClientAddr(client): ClientAddr,
    headers: HeaderMap,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    let back = safe_return(f.get("terug").map(String::as_str));
    // The form's fields are `username` and `password` (../shared/api.md); the Dutch names
    // of earlier versions are still read.
    let field = |en: &str, nl: &str| f.get(en).or_else(|| f.get(nl)).cloned().unwrap_or_default();
    let username = field("username", "gebruikersnaam");
    // The sign-in form's token must match its cookie (there is no session yet).
    let token_ok =
        matches!((cookie(&headers, LOGIN_COOKIE), f.get("csrf")), (Some(c), Some(t)) if !c.is_empty() && c == t);
    if !token_ok {
        return PageError::forged().into_response();
    }
    let password = field("password", "wachtwoord");
    // A field left empty is named as such, not called a wrong password, and is not counted
    // as a failed attempt.
    let missing = (
        username.trim().is_empty().then_some("Vul uw gebruikersnaam in."),
        password.is_empty().then_some("Vul uw wachtwoord in."),
    );
    if missing.0.is_some() || missing.1.is_some() {
        return form_page(&app, StatusCode::BAD_REQUEST, back, username, None, missing);
    }
    let code = f.get("code").cloned().filter(|c| !c.trim().is_empty());
    let credentials = Credentials {
        username: username.clone(),
        password,
        code: None,
    };
    // The password first, then (for a person who has one) the second factor's code.
    let verified = match verify(&app, credentials, client).await {
        Ok(user) => crate::service::second_factor::check(&app, &user, code.as_deref())
            .await
            .map(|()| user),
        Err(e) => Err(e),
    };
    match verified {
        Ok(user) => match web_sessions::start(&app, user, origin(&headers, client, None)).await {
            Ok(started) => {
                let mut res = signed_in(&app, back, &started);
                res.headers_mut()
                    .append(header::SET_COOKIE, set_cookie(&app, LOGIN_COOKIE, None, 0));
                res
            }
            Err(e) => PageError::from(e).into_response(),
        },
        Err(Error::Unauthenticated(_)) => sign_in_page(
            &app,
            StatusCode::UNAUTHORIZED,
            back,
            username,
            Some("De gebruikersnaam of het wachtwoord klopt niet. Let op hoofdletters in het wachtwoord.".into()),
        ),
        Err(Error::SecondFactorRequired(_)) => sign_in_page(
            &app,
            StatusCode::UNAUTHORIZED,
            back,
            username,
            Some(
                "U hebt een tweede factor ingesteld. Vul uw wachtwoord opnieuw in, met de code die uw authenticator-app nu toont (of een van uw herstelcodes)."
                    .into(),
            ),
        ),
        Err(Error::TooManyRequests { retry_after }) => sign_in_page(
            &app,
            StatusCode::TOO_MANY_REQUESTS,
            back,
            username,
            Some(format!(
                "Er is te vaak een verkeerd wachtwoord ingevuld. Probeer het over {} opnieuw.",
                minutes(retry_after.as_secs())
            )),
        ),
        Err(e) => PageError::from(e).into_response(),
    }
}

/// Where a web session is begun: the browser's own name, its address and device cookie.
pub(super) fn origin(
    headers: &HeaderMap,
    client: std::net::IpAddr,
    provider: Option<(String, String)>,
) -> web_sessions::Origin {
    web_sessions::Origin {
        user_agent: headers
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned),
        address: Some(client.to_string()),
        device: cookie(headers, DEVICE_COOKIE).map(str::to_owned),
        provider,
    }
}

/// The answer to a sign-in: to `back` (or to enrolment in a second factor, for a person who
/// must; the administrator, who has no cases, to the users), with the session's and the
/// device's cookies.
pub(super) fn signed_in(app: &App, back: String, started: &web_sessions::Started) -> Response {
    let session = &started.session;
    let back = if session.must_enrol {
        super::session::ENROLMENT.to_owned()
    } else if session.actor.role == crate::domain::Role::Beheerder && back == "/geschillen" {
        "/beheer/gebruikers".to_owned()
    } else {
        back
    };
    let mut res = Redirect::to(&back).into_response();
    let h = res.headers_mut();
    h.append(
        header::SET_COOKIE,
        set_cookie(
            app,
            SESSION_COOKIE,
            Some(&started.secret),
            web_sessions::LONGEST.num_seconds(),
        ),
    );
    h.append(
        header::SET_COOKIE,
        set_cookie(
            app,
            DEVICE_COOKIE,
            Some(&started.device),
            crate::service::devices::DEVICE_COOKIE_DAYS * 86_400,
        ),
    );
    res
}

fn minutes(secs: u64) -> String {
    match secs.div_ceil(60) {
        1 => "een minuut".into(),
        n => format!("{n} minuten"),
    }
}

pub async fn sign_out(
    State(app): State<App>,
    headers: HeaderMap,
    Signed(session): Signed,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    if let Err(e) = check_form(&session, f.get("csrf").map(String::as_str)) {
        return e.into_response();
    }
    if let Some(secret) = cookie(&headers, SESSION_COOKIE)
        && let Err(e) = web_sessions::end(&app, secret).await
    {
        return PageError::from(e).into_response();
    }
    let mut res = Redirect::to("/").into_response();
    res.headers_mut()
        .append(header::SET_COOKIE, set_cookie(&app, SESSION_COOKIE, None, 0));
    res
}

/// Staying signed in: resuming the session (done by the extractor) moved its end.
pub async fn extend(headers: HeaderMap, Signed(session): Signed, Form(f): Form<HashMap<String, String>>) -> Response {
    if let Err(e) = check_form(&session, f.get("csrf").map(String::as_str)) {
        return e.into_response();
    }
    let back = headers
        .get(header::REFERER)
        .and_then(|v| v.to_str().ok())
        .and_then(|r| r.split_once("://").map(|(_, rest)| rest))
        .and_then(|rest| rest.find('/').map(|i| &rest[i..]));
    Redirect::to(&safe_return(back)).into_response()
}
