//! Pages without sign-in: the start page, the term calculator and
//! the accessibility statement.

use std::collections::HashMap;

use askama::Template;
use axum::{
    extract::{Query, State},
    response::{IntoResponse, Response},
};

use super::{
    page::{Layout, PageError, render},
    session::MaybeSigned,
};
use crate::{
    domain::nvo::nl_date,
    error::Error,
    service::{
        App,
        calendar::{DeadlineQuery, DeadlineView, deadline},
    },
};

#[derive(Template)]
#[template(path = "index.html")]
struct IndexPage {
    layout: Layout,
}

pub async fn index(MaybeSigned(session): MaybeSigned) -> Response {
    render(&IndexPage {
        layout: Layout::new(session.as_ref(), "/"),
    })
}

#[derive(Template)]
#[template(path = "toegankelijkheid.html")]
struct AccessibilityPage {
    layout: Layout,
}

pub async fn accessibility(MaybeSigned(session): MaybeSigned) -> Response {
    render(&AccessibilityPage {
        layout: Layout::new(session.as_ref(), "/toegankelijkheid"),
    })
}

#[derive(Template)]
#[template(path = "termijnberekening.html")]
struct CalculatorPage {
    layout: Layout,
    start: String,
    term: String,
    backward: bool,
    atw: bool,
    result: Option<DeadlineView>,
    /// Per field: its message in Dutch.
    errors: Vec<(String, String)>,
}

impl CalculatorPage {
    fn error_for(&self, field: &str) -> Option<&str> {
        self.errors.iter().find(|(f, _)| f == field).map(|(_, m)| m.as_str())
    }
    /// With the weekday: a deadline is acted on, so the day matters.
    fn date(&self, d: &chrono::NaiveDate) -> String {
        format!("{} {}", crate::domain::terms::weekday_nl(*d), nl_date(*d))
    }
}

pub async fn calculator(
    State(app): State<App>,
    MaybeSigned(session): MaybeSigned,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let start = q.get("start").cloned().unwrap_or_default();
    let term = q.get("termijn").cloned().unwrap_or_default();
    let backward = q.get("richting").is_some_and(|r| r == "terug");
    let atw = q.get("atw").is_none_or(|v| v != "nee");
    let mut page = CalculatorPage {
        layout: Layout::new(session.as_ref(), "/termijnberekening"),
        start: start.clone(),
        term: term.clone(),
        backward,
        atw,
        result: None,
        errors: Vec::new(),
    };
    if !start.is_empty() || !term.is_empty() {
        // As people write them: a Dutch date (30-3-2026) and a term in words (2 weken);
        // the ISO forms are read too.
        let iso_term = crate::domain::terms::Term::iso_of_words(&term).unwrap_or_else(|| term.trim().to_uppercase());
        let query = DeadlineQuery {
            start: Some(super::fact_forms::iso_date(&start)),
            term: Some(iso_term),
            direction: Some(if backward { "backward" } else { "forward" }.into()),
            atw: Some(atw.to_string()),
        };
        match deadline(&app, query) {
            Ok(v) => page.result = Some(v),
            Err(Error::Validation(fields)) => {
                page.errors = fields
                    .into_iter()
                    .map(|f| match (f.field.as_str(), f.message.as_str()) {
                        // The service speaks of its own notation; the page asks in the form's.
                        ("term", "is required") => {
                            ("termijn".to_owned(), "Vul een termijn in, zoals 2 weken.".to_owned())
                        }
                        ("term", _) => ("termijn".to_owned(), f.message_nl),
                        ("start", m) if m != "is required" => (
                            "start".to_owned(),
                            "Vul een bestaande datum in, zoals 30-3-2026.".to_owned(),
                        ),
                        _ => (f.field, f.message_nl),
                    })
                    .collect();
            }
            Err(e) => return PageError::from(e).into_response(),
        }
    }
    let mut res = render(&page);
    if !page.errors.is_empty() {
        *res.status_mut() = axum::http::StatusCode::BAD_REQUEST;
    }
    res
}
