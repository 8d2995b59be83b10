//! Signing in through an identity provider in the browser: `/inloggen/{provider}` begins it
//! (a cookie binds it to this browser), `/inloggen/{provider}/terug` is where the provider
//! sends the browser back, and `/inloggen/{provider}/uitloggen` is where the provider ends
//! our sessions when its own ends (a POST with a logout token on the back channel, or a GET
//! with `iss` and `sid` on the front channel).

use std::collections::HashMap;

use axum::{
    Form,
    extract::{Path, Query, State},
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Redirect, Response},
};

use super::{
    account::{origin, sign_in_page, signed_in},
    page::PageError,
    session::{PROVIDER_COOKIE, cookie, safe_return, set_cookie},
};
use crate::{
    error::Error,
    http::extract::ClientAddr,
    service::{App, federation, web_sessions},
};

pub async fn begin(
    State(app): State<App>,
    Path(provider): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let back = safe_return(q.get("terug").map(String::as_str));
    match federation::begin(&app, &provider, &back).await {
        Ok(begun) => {
            let mut res = Redirect::to(&begun.location).into_response();
            res.headers_mut().append(
                header::SET_COOKIE,
                set_cookie(&app, PROVIDER_COOKIE, Some(&begun.browser), 600),
            );
            res
        }
        Err(Error::Unavailable(_)) => sign_in_page(
            &app,
            StatusCode::SERVICE_UNAVAILABLE,
            back,
            String::new(),
            Some("De identiteitsprovider van uw organisatie is nu niet bereikbaar. Probeer het later opnieuw.".into()),
        ),
        Err(e) => PageError::from(e).into_response(),
    }
}

pub async fn back(
    State(app): State<App>,
    Path(provider): Path<String>,
    ClientAddr(client): ClientAddr,
    headers: HeaderMap,
    Query(answer): Query<federation::Answer>,
) -> Response {
    let browser = cookie(&headers, PROVIDER_COOKIE);
    let outcome = match federation::finish(&app, &provider, answer, browser).await {
        Ok(o) => o,
        Err(e) => return PageError::from(e).into_response(),
    };
    let mut res = match outcome {
        Ok(signed) => {
            let from = origin(
                &headers,
                client,
                Some((provider.clone(), signed.provider_session.clone())),
            );
            match web_sessions::start(&app, signed.user, from).await {
                Ok(started) => signed_in(&app, signed.return_to, &started),
                Err(e) => return PageError::from(e).into_response(),
            }
        }
        Err(refused) => sign_in_page(
            &app,
            StatusCode::UNAUTHORIZED,
            "/geschillen".into(),
            String::new(),
            Some(refused.message_nl.into()),
        ),
    };
    res.headers_mut()
        .append(header::SET_COOKIE, set_cookie(&app, PROVIDER_COOKIE, None, 0));
    res
}

/// Back-Channel Logout: 200 when the token is valid (whether or not a session was open),
/// 400 otherwise, as the specification has it; never cached.
pub async fn back_channel(
    State(app): State<App>,
    Path(provider): Path<String>,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    let token = f.get("logout_token").map(String::as_str).unwrap_or_default();
    let outcome = federation::logout::back_channel(&app, &provider, token).await;
    let status = match outcome {
        Ok(ended) => {
            tracing::info!(provider = %provider, ended, "back-channel logout");
            StatusCode::OK
        }
        Err(Error::NotFound(_)) => StatusCode::NOT_FOUND,
        Err(Error::BadRequest(reason)) => {
            tracing::info!(provider = %provider, reason = %reason, "logout token refused");
            StatusCode::BAD_REQUEST
        }
        Err(e) => return PageError::from(e).into_response(),
    };
    (status, [(header::CACHE_CONTROL, "no-store")]).into_response()
}

/// Front-Channel Logout: the provider's page loads this in a frame.
pub async fn front_channel(
    State(app): State<App>,
    Path(provider): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let outcome = federation::logout::front_channel(
        &app,
        &provider,
        q.get("iss").map(String::as_str),
        q.get("sid").map(String::as_str),
    )
    .await;
    match outcome {
        Ok(_) => (StatusCode::OK, [(header::CACHE_CONTROL, "no-store")], "").into_response(),
        Err(Error::BadRequest(_)) => StatusCode::BAD_REQUEST.into_response(),
        Err(e) => PageError::from(e).into_response(),
    }
}
