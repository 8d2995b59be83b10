//! The web application's sessions in HTTP: the session cookie (HttpOnly, SameSite=Lax,
//! Secure when the service is reached over https), the extractors for pages that need a
//! signed-in user and for those that merely show one, and the checks every form post passes:
//! the session's token in the form, and a same-site `Origin` where the browser sends one.

use axum::{
    extract::FromRequestParts,
    http::{HeaderMap, HeaderValue, header, request::Parts},
    response::{IntoResponse, Redirect, Response},
};

use super::page::PageError;
use crate::service::{
    App,
    web_sessions::{self, WebSession},
};

pub const SESSION_COOKIE: &str = "beslecht_sessie";
/// Carries the sign-in form's token before there is a session (double submit).
pub const LOGIN_COOKIE: &str = "beslecht_inlog";
/// Recognises a browser a person signed in from before (a notice by e-mail for a new one).
pub const DEVICE_COOKIE: &str = "beslecht_apparaat";
/// Binds a sign-in begun at an identity provider to the browser that began it.
pub const PROVIDER_COOKIE: &str = "beslecht_idp";

/// The value of cookie `name` in the request, if any.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim())
}

/// A `Set-Cookie` value for `name`; `None` as the value clears it.
pub fn set_cookie(app: &App, name: &str, value: Option<&str>, max_age: i64) -> HeaderValue {
    let secure = if app.config.public_url.starts_with("https://") {
        "; Secure"
    } else {
        ""
    };
    let v = match value {
        Some(v) => format!("{name}={v}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}"),
        None => format!("{name}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}"),
    };
    HeaderValue::from_str(&v).expect("cookie values are hex")
}

/// The signed-in user of a page that requires one; without a session, the browser is sent
/// to the sign-in page and back here afterwards.
pub struct Signed(pub WebSession);

/// The signed-in user, if any (public pages show who is signed in).
pub struct MaybeSigned(pub Option<WebSession>);

async fn current(parts: &Parts, app: &App) -> Result<Option<WebSession>, PageError> {
    match cookie(&parts.headers, SESSION_COOKIE) {
        None => Ok(None),
        Some(secret) => Ok(web_sessions::resume(app, secret).await?),
    }
}

impl FromRequestParts<App> for MaybeSigned {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, Self::Rejection> {
        Ok(MaybeSigned(current(parts, app).await?))
    }
}

pub struct SignInFirst(String);

impl IntoResponse for SignInFirst {
    fn into_response(self) -> Response {
        Redirect::to(&format!(
            "/inloggen?terug={}",
            percent_encoding::utf8_percent_encode(&self.0, percent_encoding::NON_ALPHANUMERIC)
        ))
        .into_response()
    }
}

impl FromRequestParts<App> for Signed {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, Self::Rejection> {
        match current(parts, app).await {
            // A person who must set up a second factor is led there, and nowhere else.
            Ok(Some(s)) if s.must_enrol && !parts.uri.path().starts_with(ENROLMENT) => {
                Err(axum::response::Redirect::to(ENROLMENT).into_response())
            }
            Ok(Some(s)) => Ok(Signed(s)),
            Ok(None) => {
                let back = parts.uri.path_and_query().map_or("/", |p| p.as_str()).to_owned();
                Err(SignInFirst(back).into_response())
            }
            Err(e) => Err(e.into_response()),
        }
    }
}

/// Where a person who must set up a second factor is led.
pub const ENROLMENT: &str = "/mijn-account/tweede-factor";

/// Where to go after signing in: only a path on this site, never elsewhere.
/// Browsers drop tabs and line breaks from an address and read `\\` as `/`, so
/// `/<TAB>/evil.example` is `//evil.example`: only visible ASCII is taken, and no `\\`.
pub fn safe_return(to: Option<&str>) -> String {
    match to {
        Some(p)
            if p.starts_with('/') && !p.starts_with("//") && p.chars().all(|c| c.is_ascii_graphic() && c != '\\') =>
        {
            p.to_owned()
        }
        _ => "/geschillen".to_owned(),
    }
}

/// How people reach this service: the scheme of `BESLECHT_PUBLIC_URL` (`https` behind a
/// proxy that ends TLS), which a form's `Origin` must carry beside this host.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Origin {
    scheme: &'static str,
}

impl Origin {
    pub fn of(public_url: &str) -> Self {
        let scheme = if public_url.starts_with("https://") {
            "https"
        } else {
            "http"
        };
        Origin { scheme }
    }

    /// Whether a request's `Origin` header, where sent, is this service: same scheme, same
    /// host and port as the request's `Host`.
    pub fn admits(self, headers: &HeaderMap) -> bool {
        let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
            return true;
        };
        let host = headers
            .get(header::HOST)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        !host.is_empty() && origin.strip_prefix(self.scheme).and_then(|o| o.strip_prefix("://")) == Some(host)
    }
}

/// Refuses every form posted to the web application from another site (a browser sends
/// `Origin` with each POST), before any handler reads it. The API is left alone: it takes a
/// bearer token, which a browser never adds by itself.
pub async fn refuse_other_origins(
    axum::extract::State(origin): axum::extract::State<Origin>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let writes = !matches!(*req.method(), axum::http::Method::GET | axum::http::Method::HEAD);
    if writes && !req.uri().path().starts_with("/api/") && !origin.admits(req.headers()) {
        return PageError::forged().into_response();
    }
    next.run(req).await
}

/// Checks a posted form's token against the session's.
/// (The form's origin was checked by [`refuse_other_origins`] before.)
pub fn check_form(session: &WebSession, token: Option<&str>) -> Result<(), PageError> {
    match token {
        Some(t) if web_sessions::csrf_matches(session, t) => Ok(()),
        _ => Err(PageError::forged()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_returned_to() {
        assert_eq!(safe_return(Some("/geschillen/1")), "/geschillen/1");
        for bad in [
            "https://evil.example",
            "//evil.example",
            "/\\evil.example",
            "/\t/evil.example",
            "/\n/evil.example",
            "/\r\n",
            "/ /evil.example",
            "/geschillen?q=café",
            "geschillen",
        ] {
            assert_eq!(safe_return(Some(bad)), "/geschillen", "{bad}");
        }
        assert_eq!(safe_return(None), "/geschillen");
    }

    #[test]
    fn cookies_are_read_by_name() {
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; beslecht_sessie=abc; b=2"),
        );
        assert_eq!(cookie(&h, SESSION_COOKIE), Some("abc"));
        assert_eq!(cookie(&h, "c"), None);
    }

    #[test]
    fn forms_from_elsewhere_are_refused() {
        let https = Origin::of("https://beslecht.example");
        let mut h = HeaderMap::new();
        h.insert(header::HOST, HeaderValue::from_static("beslecht.example"));
        assert!(https.admits(&h), "no Origin: not a browser's cross-site form");
        h.insert(header::ORIGIN, HeaderValue::from_static("https://beslecht.example"));
        assert!(https.admits(&h));
        for other in [
            "http://beslecht.example",
            "https://evil.example",
            "https://beslecht.example.evil.example",
            "null",
            "beslecht.example",
        ] {
            h.insert(header::ORIGIN, HeaderValue::from_static(other));
            assert!(!https.admits(&h), "{other}");
        }
        let http = Origin::of("http://127.0.0.1:8080");
        h.insert(header::ORIGIN, HeaderValue::from_static("http://beslecht.example"));
        assert!(http.admits(&h));
        h.insert(header::ORIGIN, HeaderValue::from_static("https://beslecht.example"));
        assert!(!http.admits(&h));
    }
}
