//! The public register in the web: the list of published rulings with its filters, each
//! ruling's page (and its PDF), and the Atom feed of new publications. Nothing here reads a
//! case: only what the secretary published.

use std::collections::HashMap;

use askama::Template;
use axum::{
    extract::{Path, Query, State},
    http::header,
    response::{IntoResponse, Response},
};

use super::{
    page::{Layout, PageError, render},
    session::MaybeSigned,
};
use crate::{
    domain::{dispute::DisputeKind, nvo::nl_date},
    error::Error,
    service::{
        App,
        register::{self, Published, RegisterQuery},
    },
};

#[derive(Template)]
#[template(path = "uitspraken.html")]
struct RegisterPage {
    layout: Layout,
    entries: Vec<Published>,
    kinds: Vec<(&'static str, String)>,
    kind: String,
    outcome: String,
    year: String,
    next: Option<String>,
    errors: Vec<(String, String)>,
}

impl RegisterPage {
    fn date(&self, d: &chrono::NaiveDate) -> String {
        nl_date(*d)
    }
    fn kind_label(&self, k: &DisputeKind) -> String {
        self.kinds
            .iter()
            .find(|(code, _)| *code == k.as_str())
            .map_or_else(|| k.as_str().to_owned(), |(_, l)| l.clone())
    }
    fn error_for(&self, field: &str) -> Option<&str> {
        self.errors.iter().find(|(f, _)| f == field).map(|(_, m)| m.as_str())
    }
    fn outcomes(&self) -> &'static [(&'static str, &'static str)] {
        &OUTCOMES
    }
}

const OUTCOMES: [(&str, &str); 4] = [
    ("gegrond", "Gegrond"),
    ("deels_gegrond", "Deels gegrond"),
    ("ongegrond", "Ongegrond"),
    ("niet_ontvankelijk", "Niet-ontvankelijk"),
];

fn kinds(app: &App) -> Vec<(&'static str, String)> {
    [
        DisputeKind::BinnenRegio,
        DisputeKind::TussenRegios,
        DisputeKind::RegioAanbieder,
        DisputeKind::Uittreding,
        DisputeKind::Woonplaatsbeginsel,
    ]
    .into_iter()
    .map(|k| (k.as_str(), app.reglement.kind(k).label.clone()))
    .collect()
}

/// `/uitspraken?soort=…&uitkomst=…&jaar=…`: the published rulings, newest first.
pub async fn list(
    State(app): State<App>,
    MaybeSigned(session): MaybeSigned,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let get = |k: &str| q.get(k).map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
    let mut page = RegisterPage {
        layout: Layout::new(session.as_ref(), "/uitspraken"),
        entries: Vec::new(),
        kinds: kinds(&app),
        kind: get("soort").unwrap_or_default(),
        outcome: get("uitkomst").unwrap_or_default(),
        year: get("jaar").unwrap_or_default(),
        next: None,
        errors: Vec::new(),
    };
    let year = match get("jaar").map(|y| y.parse::<i32>()) {
        Some(Ok(y)) if (2000..=2200).contains(&y) => Some(y),
        Some(_) => {
            page.errors
                .push(("jaar".into(), "Vul een jaar in, bijvoorbeeld 2026.".into()));
            None
        }
        None => None,
    };
    let query = RegisterQuery {
        kind: get("soort"),
        outcome: get("uitkomst"),
        year,
        limit: Some(50),
        cursor: get("vanaf"),
    };
    if page.errors.is_empty() {
        match register::list(&app, query).await {
            Ok(p) => {
                page.entries = p.items;
                page.next = p.next_cursor;
            }
            Err(Error::Validation(fields)) => {
                let web = |f: &str| -> String {
                    match f {
                        "kind" => "soort",
                        "outcome" => "uitkomst",
                        "year" => "jaar",
                        other => other,
                    }
                    .to_owned()
                };
                page.errors = fields.iter().map(|f| (web(&f.field), f.message_nl.clone())).collect();
            }
            Err(e) => return Err(e.into()),
        }
    }
    Ok(render(&page))
}

#[derive(Template)]
#[template(path = "uitspraak.html")]
struct RulingPage {
    layout: Layout,
    ruling: Published,
    kind: String,
    /// The public text in parts: headings and paragraphs.
    blocks: Vec<(bool, String)>,
}

impl RulingPage {
    fn date(&self, d: &chrono::NaiveDate) -> String {
        nl_date(*d)
    }
}

/// The public text as blocks: a line that is one of the ruling's headings is a heading.
fn blocks(text: &str) -> Vec<(bool, String)> {
    const HEADINGS: [&str; 6] = [
        "De partijen",
        "De feiten",
        "Het geschil",
        "De beoordeling",
        "De beslissing",
        "De kosten",
    ];
    text.split("\n\n")
        .skip(1) // the title: the page's own heading
        .map(|b| (HEADINGS.contains(&b.trim()), b.trim().to_owned()))
        .filter(|(_, b)| !b.is_empty())
        .collect()
}

/// `/uitspraken/{number}` (and `/uitspraken/{number}.pdf`): one published ruling.
pub async fn ruling(
    State(app): State<App>,
    MaybeSigned(session): MaybeSigned,
    Path(number): Path<String>,
) -> Result<Response, PageError> {
    if let Some(number) = number.strip_suffix(".pdf") {
        let pdf = register::pdf(&app, number).await?;
        return Ok((
            [
                (header::CONTENT_TYPE, "application/pdf".to_owned()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("inline; filename=\"uitspraak-{number}.pdf\""),
                ),
                (header::CACHE_CONTROL, "public, max-age=300".to_owned()),
            ],
            pdf,
        )
            .into_response());
    }
    let ruling = register::get(&app, &number).await?;
    let kind = app.reglement.kind(ruling.kind).label.clone();
    let blocks = blocks(ruling.text.as_deref().unwrap_or_default());
    Ok(render(&RulingPage {
        layout: Layout::new(session.as_ref(), "/uitspraken"),
        ruling,
        kind,
        blocks,
    }))
}

#[derive(Template)]
#[template(path = "uitspraken_feed.xml")]
struct Feed {
    base: String,
    updated: String,
    entries: Vec<Published>,
}

impl Feed {
    fn outcome(&self, p: &Published) -> &'static str {
        p.outcome_nl()
    }
}

/// `/uitspraken/feed.atom`: the 50 newest publications.
pub async fn feed(State(app): State<App>) -> Result<Response, PageError> {
    let page = register::list(
        &app,
        RegisterQuery {
            limit: Some(50),
            ..Default::default()
        },
    )
    .await?;
    let updated = page
        .items
        .first()
        .map_or_else(|| chrono::DateTime::<chrono::Utc>::UNIX_EPOCH, |p| p.published_at)
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let feed = Feed {
        base: app.config.public_url.trim_end_matches('/').to_owned(),
        updated,
        entries: page.items,
    };
    let body = feed
        .render()
        .map_err(|e| Error::internal(format!("the feed template: {e}")))?;
    Ok(([(header::CONTENT_TYPE, "application/atom+xml; charset=utf-8")], body).into_response())
}
