//! `/mijn-account/sessies`: the person's own web sessions and API tokens (browser, address,
//! begun, last used) with a button to end each. The same service as the API
//! (`service::sessions`).

use std::collections::HashMap;

use askama::Template;
use axum::{
    Form,
    extract::{Path, State},
    http::{HeaderMap, header},
    response::{IntoResponse, Redirect, Response},
};

use super::{
    nl,
    page::{Layout, PageError, render},
    session::{SESSION_COOKIE, Signed, check_form, cookie, set_cookie},
};
use crate::service::{App, sessions};

/// One row of the page, in Dutch.
struct Row {
    id: String,
    device: String,
    address: String,
    started: String,
    last_used: String,
    extra: String,
    current: bool,
}

#[derive(Template)]
#[template(path = "sessies.html")]
struct Page {
    layout: Layout,
    web: Vec<Row>,
    tokens: Vec<Row>,
    ended: bool,
}

fn device(agent: Option<&str>) -> String {
    agent.map_or_else(|| "Onbekend apparaat".to_owned(), str::to_owned)
}

pub async fn page(
    State(app): State<App>,
    headers: HeaderMap,
    Signed(session): Signed,
    axum::extract::Query(q): axum::extract::Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let current = sessions::Current {
        session_secret: cookie(&headers, SESSION_COOKIE),
        token: None,
    };
    let list = sessions::list(&app, &session.actor, current).await?;
    let optional = |at: Option<chrono::DateTime<chrono::Utc>>| at.as_ref().map_or_else(|| "—".to_owned(), nl::moment);
    let page = Page {
        layout: Layout::new(Some(&session), "/mijn-account"),
        web: list
            .web
            .into_iter()
            .map(|s| Row {
                device: device(s.user_agent.as_deref()),
                address: s.address.unwrap_or_else(|| "—".into()),
                started: nl::moment(&s.started_at),
                last_used: optional(s.last_used_at),
                extra: s.provider.map_or_else(String::new, |p| format!("via {p}")),
                current: s.current,
                id: s.id,
            })
            .collect(),
        tokens: list
            .tokens
            .into_iter()
            .map(|t| Row {
                device: device(t.user_agent.as_deref()),
                address: t.address.unwrap_or_else(|| "—".into()),
                started: nl::moment(&t.issued_at),
                last_used: optional(t.last_used_at),
                extra: format!("verloopt {}", nl::moment(&t.expires_at)),
                current: t.current,
                id: t.id.to_string(),
            })
            .collect(),
        ended: q.contains_key("beeindigd"),
    };
    Ok(render(&page))
}

pub async fn end_session(
    State(app): State<App>,
    headers: HeaderMap,
    Signed(session): Signed,
    Path(id): Path<String>,
    Form(f): Form<HashMap<String, String>>,
) -> Result<Response, PageError> {
    check_form(&session, f.get("csrf").map(String::as_str))?;
    let own = sessions::end_session(&app, &session.actor, &id, cookie(&headers, SESSION_COOKIE)).await?;
    // Ending one's own session here is signing out.
    if own {
        let mut res = Redirect::to("/").into_response();
        res.headers_mut()
            .append(header::SET_COOKIE, set_cookie(&app, SESSION_COOKIE, None, 0));
        return Ok(res);
    }
    Ok(Redirect::to("/mijn-account/sessies?beeindigd").into_response())
}

pub async fn revoke_token(
    State(app): State<App>,
    Signed(session): Signed,
    Path(id): Path<uuid::Uuid>,
    Form(f): Form<HashMap<String, String>>,
) -> Result<Response, PageError> {
    check_form(&session, f.get("csrf").map(String::as_str))?;
    sessions::revoke_token(&app, &session.actor, id).await?;
    Ok(Redirect::to("/mijn-account/sessies?beeindigd").into_response())
}
