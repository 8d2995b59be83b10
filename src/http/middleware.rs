//! Middleware of our own: the request span (with the request id on every log line), the
//! request timeout, and the security headers every response carries.

use std::time::Duration;

use axum::{
    extract::State,
    http::{HeaderName, HeaderValue, Method, Request, Response, StatusCode, header},
    middleware::Next,
    response::IntoResponse,
};
use tracing::Span;

use super::{api::openapi::API_VERSION, web};
use crate::{
    domain::characters::{self, TextUse},
    error::Error,
};

pub fn request_span<B>(req: &Request<B>) -> Span {
    let request_id = req
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("-");
    // The path only: query strings may carry search text and are not needed to trace a request.
    tracing::info_span!("request", method = %req.method(), path = %req.uri().path(), request_id = %request_id)
}

const HEADERS: [(&str, &str); 8] = [
    ("x-content-type-options", "nosniff"),
    ("x-frame-options", "DENY"),
    // `same-origin`, not `no-referrer`: with `no-referrer` browsers send `Origin: null` on our own
    // form posts, and the same-origin check of the web forms could not tell them from forgeries.
    ("referrer-policy", "same-origin"),
    (
        "content-security-policy",
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
    ),
    (
        "permissions-policy",
        "camera=(), microphone=(), geolocation=(), payment=()",
    ),
    ("cross-origin-opener-policy", "same-origin"),
    ("cross-origin-resource-policy", "same-origin"),
    ("strict-transport-security", "max-age=31536000; includeSubDomains"),
];

pub async fn security_headers<B>(mut res: Response<B>) -> Response<B> {
    let h = res.headers_mut();
    for (name, value) in HEADERS {
        h.insert(HeaderName::from_static(name), HeaderValue::from_static(value));
    }
    h.insert(
        HeaderName::from_static("api-version"),
        HeaderValue::from_static(API_VERSION),
    );
    if !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    res
}

/// Whether the request carries a file upload, which takes as long as the file takes to
/// arrive; it is bounded by its size limit and by an idle timeout while it streams instead.
fn is_upload<B>(req: &Request<B>) -> bool {
    let path = req.uri().path();
    req.method() == Method::POST && (path.ends_with("/documents") || path.ends_with("/stukken"))
}

/// Ends a request that takes longer than `limit` to answer with 408 (a download is answered
/// once its headers are ready, so only its start counts).
pub async fn timeout(
    State(limit): State<Duration>,
    req: axum::extract::Request,
    next: Next,
) -> axum::response::Response {
    if is_upload(&req) {
        return next.run(req).await;
    }
    match tokio::time::timeout(limit, next.run(req)).await {
        Ok(res) => res,
        Err(_) => StatusCode::REQUEST_TIMEOUT.into_response(),
    }
}

/// Refuses a request whose address holds a control character once decoded (`?q=a%00b`): no
/// handler, and so no database, ever sees one. The answer is 400, as problem+json or as a
/// Dutch page for a person's browser.
pub async fn refuse_control_characters(req: axum::extract::Request, next: Next) -> axum::response::Response {
    let uri = req.uri();
    let decoded = |s: &str| percent_encoding::percent_decode_str(s).decode_utf8_lossy().into_owned();
    let bad = [Some(uri.path()), uri.query()]
        .into_iter()
        .flatten()
        .any(|part| characters::check(&decoded(part), TextUse::Raw).is_err());
    if !bad {
        return next.run(req).await;
    }
    let error = Error::BadRequest("the address holds a control character".into());
    if web::wants_page(&req) {
        web::page::PageError::from(error).into_response()
    } else {
        error.into_response()
    }
}

/// Takes a client's `X-Request-Id` only when it is a plain identifier of at most 64
/// characters; any other is dropped, so a fresh one is made, and no client can put 60 KB or
/// a forged log line into every log line of its request.
pub async fn drop_unfit_request_id<B>(mut req: Request<B>) -> Request<B> {
    let fit = |v: &HeaderValue| {
        let b = v.as_bytes();
        !b.is_empty() && b.len() <= 64 && b.iter().all(|c| c.is_ascii_alphanumeric() || b"-_.:".contains(c))
    };
    if req.headers().get("x-request-id").is_some_and(|v| !fit(v)) {
        req.headers_mut().remove("x-request-id");
    }
    req
}
