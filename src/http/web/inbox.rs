//! The inbox: the cases that changed since the person last opened them, then their reminders
//! and signals about terms, newest first, with what is still unread marked and a button to
//! mark it read. The same services as `GET /api/v1/me/notifications` and the overview's
//! "Bijgewerkt" marker.

use std::collections::HashMap;

use askama::Template;
use axum::{
    Form,
    extract::{Path, Query, State},
    response::{IntoResponse, Redirect, Response},
};
use uuid::Uuid;

use super::{
    nl,
    page::{Layout, PageError, render},
    session::{Signed, check_form},
};
use crate::{
    authz::{Action, Resource},
    service::{
        App,
        cases::visits,
        inbox::{self, InboxFilter},
    },
};

pub const INBOX: &str = "/meldingen";

pub struct Row {
    pub id: Uuid,
    pub title: String,
    pub body: String,
    pub case: Option<Uuid>,
    pub at: String,
    pub unread: bool,
    pub passed: bool,
}

#[derive(Template)]
#[template(path = "meldingen.html")]
struct InboxPage {
    layout: Layout,
    /// The cases changed since the person last opened them: (id, number, title, when).
    changed: Vec<(Uuid, String, String, String)>,
    rows: Vec<Row>,
    only_unread: bool,
    next: Option<String>,
}

pub async fn inbox_page(
    State(app): State<App>,
    Signed(session): Signed,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let only_unread = q.get("ongelezen").is_some_and(|v| v == "ja");
    let cursor = match q.get("verder").map(|c| Uuid::parse_str(c)) {
        None => None,
        Some(Ok(c)) => Some(c),
        Some(Err(_)) => return Err(PageError::not_found()),
    };
    let page = inbox::list(
        &app,
        &session.actor,
        InboxFilter {
            unread: only_unread.then_some(true),
            cursor,
            limit: Some(50),
        },
    )
    .await?;
    // On the first page, for whoever lists cases (the policies decide, as for the API).
    let lists_cases = app
        .authorize(&session.actor, Action::CaseList, &Resource::Directory("cases"))
        .is_ok();
    let changed = if cursor.is_none() && lists_cases {
        visits::changed_since_visit(&app, &session.actor, 20)
            .await?
            .into_iter()
            .map(|c| (c.id, c.number, c.title, nl::moment(&c.updated_at)))
            .collect()
    } else {
        Vec::new()
    };
    let rows = page
        .items
        .into_iter()
        .map(|n| Row {
            id: n.id,
            passed: n.kind == "verlopen",
            title: n.title,
            body: n.body,
            case: n.case,
            at: nl::moment(&n.created_at),
            unread: n.read_at.is_none(),
        })
        .collect();
    let next = page.next_cursor.map(|c| {
        let mut pairs = vec![("verder", c.as_str())];
        if only_unread {
            pairs.push(("ongelezen", "ja"));
        }
        format!("{INBOX}?{}", super::forms::query(&pairs))
    });
    Ok(render(&InboxPage {
        layout: Layout::new(Some(&session), INBOX),
        changed,
        rows,
        only_unread,
        next,
    }))
}

/// "Gelezen": marks one's own notification read and goes back to the inbox.
pub async fn mark_read(
    State(app): State<App>,
    Signed(session): Signed,
    Path(id): Path<Uuid>,
    Form(f): Form<HashMap<String, String>>,
) -> Result<Response, PageError> {
    check_form(&session, f.get("csrf").map(String::as_str))?;
    inbox::mark_read(&app, &session.actor, id).await?;
    Ok(Redirect::to(INBOX).into_response())
}
