//! The ruling as a document in the web: its HTML version for those who may see the case,
//! and the public page that checks whether this commission issued a file.

use std::collections::HashMap;

use askama::Template;
use axum::{
    extract::{Multipart, Path, Query, State, multipart::MultipartRejection},
    response::Response,
};
use uuid::Uuid;

use super::{
    page::{Layout, PageError, render},
    session::{MaybeSigned, Signed},
};
use crate::{
    domain::nvo::nl_date,
    error::Error,
    http::{
        api::documents::{content_response, fetch},
        multipart::read_submission,
    },
    service::{
        App,
        rulings::{
            self,
            check::{self, Issued},
        },
    },
};

#[derive(Template)]
#[template(path = "uitspraak_document.html")]
struct DocumentPage {
    layout: Layout,
    case_id: Uuid,
    title: String,
    /// The body of the HTML typeset from the ruling's template: our own typesetter's output
    /// from escaped data, shown as it is.
    body: String,
}

/// What stands between `open` and `close` in a whole HTML document (what typst's HTML
/// export writes: its title, its body).
fn between<'a>(html: &'a str, open: &str, close: &str) -> Option<&'a str> {
    let start = html.find(open)? + open.len();
    let end = html.rfind(close)?;
    html.get(start..end)
}

/// The ruling as it stands, as the HTML typeset from the same template as its PDF, in the
/// application's layout.
pub async fn html(
    State(app): State<App>,
    Signed(session): Signed,
    Path(id): Path<Uuid>,
) -> Result<Response, PageError> {
    let (issued, _) = rulings::current(&app, &session.actor, id).await?;
    Ok(render(&DocumentPage {
        layout: Layout::new(Some(&session), "/geschillen"),
        case_id: id,
        title: between(&issued.html, "<title>", "</title>")
            .unwrap_or("Uitspraak")
            .to_owned(),
        body: between(&issued.html, "<body>", "</body>")
            .unwrap_or(&issued.html)
            .to_owned(),
    }))
}

/// The ruling as it stands, as its PDF (the same rules and access log as every document).
pub async fn pdf(
    State(app): State<App>,
    Signed(session): Signed,
    Path(id): Path<Uuid>,
    method: axum::http::Method,
    headers: axum::http::HeaderMap,
) -> Result<Response, PageError> {
    let (_, document) = rulings::current(&app, &session.actor, id).await?;
    let fetched = fetch(&method, &headers);
    let content =
        crate::service::documents::content::open(&app, &session.actor, id, document.public_id, fetched).await?;
    Ok(content_response(content)?)
}

#[derive(Template)]
#[template(path = "uitspraak_controle.html")]
struct CheckPage {
    layout: Layout,
    sha256: String,
    /// What the check found: the ruling, or `None` for "not issued here".
    outcome: Option<Option<Issued>>,
    /// Per field: its message in Dutch.
    errors: Vec<(String, String)>,
}

impl CheckPage {
    fn error_for(&self, field: &str) -> Option<&str> {
        self.errors.iter().find(|(f, _)| f == field).map(|(_, m)| m.as_str())
    }
    fn date(&self, d: &chrono::NaiveDate) -> String {
        nl_date(*d)
    }
}

/// What a check answered, as the page shows it: found, not found, or the field's error.
async fn looked_up(
    app: &App,
    page: &mut CheckPage,
    field: &str,
    sha256: Result<String, Error>,
) -> Result<(), PageError> {
    match sha256 {
        Err(e) => page.errors.push((field.to_owned(), e.dutch().1)),
        Ok(hash) => match check::by_hash(app, &hash).await {
            Ok(found) => page.outcome = Some(Some(found)),
            Err(Error::NotFound(_)) => page.outcome = Some(None),
            Err(e) => return Err(e.into()),
        },
    }
    Ok(())
}

/// The check by SHA-256 (a GET form, so a result can be linked to).
pub async fn check_page(
    State(app): State<App>,
    MaybeSigned(session): MaybeSigned,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let sha256 = q.get("sha256").cloned().unwrap_or_default();
    let mut page = CheckPage {
        layout: Layout::new(session.as_ref(), "/uitspraken/controle"),
        sha256: sha256.clone(),
        outcome: None,
        errors: Vec::new(),
    };
    if q.contains_key("sha256") {
        looked_up(&app, &mut page, "sha256", check::parse_sha256(&sha256)).await?;
    }
    Ok(render(&page))
}

/// The check of an uploaded file: hashed as it arrives, not kept.
pub async fn check_file(
    State(app): State<App>,
    MaybeSigned(session): MaybeSigned,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, PageError> {
    let multipart = multipart.map_err(|_| PageError::forged())?;
    let submission = read_submission(&app, multipart).await?;
    let mut page = CheckPage {
        layout: Layout::new(session.as_ref(), "/uitspraken/controle"),
        sha256: String::new(),
        outcome: None,
        errors: Vec::new(),
    };
    let hash = match submission.file {
        Some(f) if f.staged.size > 0 => Ok(f.staged.sha256.clone()),
        _ => Err(crate::error::invalid_field(
            "bestand",
            "is required",
            "Kies het bestand dat u wilt controleren.",
        )),
    };
    looked_up(&app, &mut page, "bestand", hash).await?;
    Ok(render(&page))
}
