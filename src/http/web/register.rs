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
        register::{self, Published, PublishedRuling, RegisterQuery},
    },
};

#[derive(Template)]
#[template(path = "uitspraken.html")]
struct RegisterPage {
    layout: Layout,
    entries: Vec<Published>,
    kinds: Vec<(&'static str, String)>,
    agreements: Vec<(String, String)>,
    chambers: Vec<String>,
    regions: Vec<String>,
    /// The search and filters as asked, by their Dutch names (`zoek`, `soort`, …).
    asked: Vec<(&'static str, String)>,
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
    /// What was asked for `field` (empty when nothing).
    fn asked(&self, field: &str) -> &str {
        self.asked
            .iter()
            .find(|(f, _)| *f == field)
            .map_or("", |(_, v)| v.as_str())
    }
    fn filtered(&self) -> bool {
        !self.asked.is_empty()
    }
    /// The address of the next page: the same search and filters, from `cursor`.
    fn next_href(&self, cursor: &str) -> String {
        let mut q: Vec<String> = self
            .asked
            .iter()
            .map(|(f, v)| {
                format!(
                    "{f}={}",
                    percent_encoding::utf8_percent_encode(v, percent_encoding::NON_ALPHANUMERIC)
                )
            })
            .collect();
        q.push(format!(
            "vanaf={}",
            percent_encoding::utf8_percent_encode(cursor, percent_encoding::NON_ALPHANUMERIC)
        ));
        format!("/uitspraken?{}", q.join("&"))
    }
}

/// The register's fields by their Dutch names in the web and the API's names.
const FIELDS: [(&str, &str); 7] = [
    ("zoek", "q"),
    ("soort", "kind"),
    ("uitkomst", "outcome"),
    ("jaar", "year"),
    ("overeenkomst", "agreement"),
    ("kamer", "chamber"),
    ("regio", "region"),
];

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

/// `/uitspraken?zoek=…&soort=…&uitkomst=…&jaar=…&overeenkomst=…&kamer=…&regio=…`: the
/// published rulings, newest first, searched and filtered.
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
        agreements: app
            .reglement
            .agreements
            .iter()
            .map(|(n, t)| (n.to_string(), t.clone()))
            .collect(),
        chambers: app.reglement.chambers().into_iter().map(str::to_owned).collect(),
        regions: register::regions(&app).await?,
        asked: FIELDS.iter().filter_map(|(nl, _)| Some((*nl, get(nl)?))).collect(),
        next: None,
        errors: Vec::new(),
    };
    let number = |field: &'static str,
                  valid: std::ops::RangeInclusive<i32>,
                  message: &str,
                  errors: &mut Vec<(String, String)>| {
        match get(field).map(|y| y.parse::<i32>()) {
            Some(Ok(y)) if valid.contains(&y) => Some(y),
            Some(_) => {
                errors.push((field.into(), message.into()));
                None
            }
            None => None,
        }
    };
    let mut errors = Vec::new();
    let year = number("jaar", 2000..=2200, "Vul een jaar in, bijvoorbeeld 2026.", &mut errors);
    let agreement = number("overeenkomst", 1..=255, "Kies een afspraak uit de lijst.", &mut errors);
    page.errors = errors;
    let query = RegisterQuery {
        q: get("zoek"),
        kind: get("soort"),
        outcome: get("uitkomst"),
        year,
        agreement: agreement.and_then(|a| u8::try_from(a).ok()),
        chamber: get("kamer"),
        region: get("regio"),
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
                    FIELDS
                        .iter()
                        .find(|(_, api)| *api == f)
                        .map_or(f, |(nl, _)| nl)
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
    ruling: PublishedRuling,
    kind: String,
    kinds: Vec<(&'static str, String)>,
    /// The public text in parts: headings and paragraphs.
    blocks: Vec<(bool, String)>,
}

impl RulingPage {
    fn date(&self, d: &chrono::NaiveDate) -> String {
        nl_date(*d)
    }
    fn kind_label(&self, k: &DisputeKind) -> String {
        self.kinds
            .iter()
            .find(|(code, _)| *code == k.as_str())
            .map_or_else(|| k.as_str().to_owned(), |(_, l)| l.clone())
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
    let kind = app.reglement.kind(ruling.ruling.kind).label.clone();
    let blocks = blocks(ruling.ruling.text.as_deref().unwrap_or_default());
    Ok(render(&RulingPage {
        layout: Layout::new(session.as_ref(), "/uitspraken"),
        ruling,
        kind,
        kinds: kinds(&app),
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
