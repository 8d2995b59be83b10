//! What every page shares: the layout (who is signed in, the navigation, when the session
//! ends, the form token), rendering, and errors as Dutch pages with the right status.

use askama::Template;
use axum::{
    extract::{Request, State},
    http::{StatusCode, header},
    middleware::Next,
    response::{Html, IntoResponse, Response},
};

use super::session::{SESSION_COOKIE, cookie};
use crate::{
    domain::Role,
    error::Error,
    service::{
        App,
        web_sessions::{self, WebSession},
    },
};

pub struct NavItem {
    pub href: &'static str,
    pub label: &'static str,
    pub current: bool,
}

/// The frame around every page.
pub struct Layout {
    /// The signed-in person's name and role, if any.
    pub user: Option<(String, String)>,
    /// The form token of the session (empty without one).
    pub csrf: String,
    /// When the session ends if unused: as RFC 3339 (for the script that warns before it
    /// does) and as HH:MM in Dutch time.
    pub session_ends: Option<(String, String)>,
    pub nav: Vec<NavItem>,
    pub version: &'static str,
}

impl Layout {
    pub fn new(session: Option<&WebSession>, path: &str) -> Layout {
        let mut nav = Vec::new();
        if let Some(s) = session {
            let cases = if s.actor.role == Role::Secretaris {
                "Werkvoorraad"
            } else {
                "Mijn geschillen"
            };
            if s.actor.role == Role::Beheerder {
                nav.push(("/beheer/gebruikers", "Gebruikers"));
                nav.push(("/beheer/organisaties", "Organisaties"));
            } else {
                nav.push(("/geschillen", cases));
                nav.push((super::inbox::INBOX, "Meldingen"));
            }
        }
        nav.push(("/termijnberekening", "Termijnberekening"));
        nav.push(("/uitspraken", "Uitspraken"));
        Layout {
            user: session.map(|s| {
                let who = match &s.actor.organisation {
                    Some(o) => format!("{}, {}", s.actor.role.as_str(), o.name),
                    None => s.actor.role.as_str().to_owned(),
                };
                (s.actor.display_name.clone(), who)
            }),
            csrf: session.map(|s| s.csrf.clone()).unwrap_or_default(),
            session_ends: session.map(|s| {
                (
                    s.expires_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                    s.expires_at
                        .with_timezone(&chrono_tz::Europe::Amsterdam)
                        .format("%H:%M")
                        .to_string(),
                )
            }),
            nav: nav
                .into_iter()
                .map(|(href, label)| NavItem {
                    href,
                    label,
                    current: path == href || (href != "/" && path.starts_with(&format!("{href}/"))),
                })
                .collect(),
            version: env!("CARGO_PKG_VERSION"),
        }
    }
}

/// Renders a page as HTML.
pub fn render(page: &impl Template) -> Response {
    match page.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => PageError::from(Error::internal(e)).into_response(),
    }
}

#[derive(Template)]
#[template(path = "fout.html")]
struct ErrorPage<'a> {
    layout: Layout,
    title: &'a str,
    message: &'a str,
}

/// An error shown as a page, in Dutch.
#[derive(Debug, Clone)]
pub struct PageError {
    pub status: StatusCode,
    pub title: &'static str,
    pub message: String,
}

impl PageError {
    pub fn forged() -> Self {
        PageError {
            status: StatusCode::FORBIDDEN,
            title: "Formulier niet aangenomen",
            message: "Dit formulier is verlopen of komt niet van Beslecht. Er is niets gewijzigd. Ga terug, laad de pagina opnieuw en probeer het nog eens.".into(),
        }
    }

    pub fn not_found() -> Self {
        PageError {
            status: StatusCode::NOT_FOUND,
            title: "Pagina niet gevonden",
            message: "Deze pagina bestaat niet, of u hebt er geen toegang toe. Controleer het adres, of ga naar uw overzicht.".into(),
        }
    }
}

impl From<Error> for PageError {
    /// The error's status and Dutch words are the error's own (`Error::status`,
    /// `Error::dutch`); a page only shows them.
    fn from(e: Error) -> Self {
        if let Error::Internal(cause) = &e {
            tracing::error!(%cause, "internal error");
        }
        let status = StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let (title, message) = e.dutch();
        PageError { status, title, message }
    }
}

impl PageError {
    fn page(&self, layout: Layout) -> Response {
        let mut res = render(&ErrorPage {
            layout,
            title: self.title,
            message: &self.message,
        });
        *res.status_mut() = self.status;
        res
    }
}

impl IntoResponse for PageError {
    /// Without the session: an extractor may have failed before there was one.
    /// `error_pages_show_who_is_signed_in` renders it again with the session's layout.
    fn into_response(self) -> Response {
        let mut res = self.page(Layout::new(None, ""));
        res.extensions_mut().insert(self);
        res
    }
}

/// An error page shows who is signed in, like every other page: where a page answered with
/// an error and the request carries a live session, the error is rendered again in that
/// session's layout (one read, and only on an error).
pub async fn error_pages_show_who_is_signed_in(State(app): State<App>, req: Request, next: Next) -> Response {
    // Only a request with a session cookie (a browser's) keeps anything for after.
    let Some((secret, path)) =
        cookie(req.headers(), SESSION_COOKIE).map(|s| (s.to_owned(), req.uri().path().to_owned()))
    else {
        return next.run(req).await;
    };
    let res = next.run(req).await;
    let Some(error) = res.extensions().get::<PageError>().cloned() else {
        return res;
    };
    let Ok(Some(session)) = web_sessions::resume(&app, &secret).await else {
        return res;
    };
    let (mut parts, _) = res.into_parts();
    let (new_parts, body) = error.page(Layout::new(Some(&session), &path)).into_parts();
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.headers.extend(new_parts.headers);
    Response::from_parts(parts, body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_shows_the_errors_own_status_in_dutch() {
        let conflict = PageError::from(Error::Conflict("taken".into(), "Deze naam is al in gebruik.".into()));
        assert_eq!(
            (conflict.status, conflict.message.as_str()),
            (StatusCode::CONFLICT, "Deze naam is al in gebruik.")
        );
        let large = PageError::from(Error::TooLarge("the file is larger than 100 MiB".into()));
        assert_eq!(large.status, StatusCode::PAYLOAD_TOO_LARGE);
        assert!(
            large.message.contains("groter dan Beslecht aanneemt"),
            "{}",
            large.message
        );
        let internal = PageError::from(Error::internal("database: secret detail"));
        assert_eq!(internal.status, StatusCode::INTERNAL_SERVER_ERROR);
        assert!(!internal.message.contains("secret"));
    }
}
