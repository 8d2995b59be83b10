//! RFC 9457 problem details: how every error leaves the JSON API.
//!
//! [`Error`] renders itself here. The [`problem_for_framework_errors`] middleware catches
//! what the framework and middleware answer on their own (unknown route, wrong method, body
//! too large, timeout, panic) and gives those the same problem+json shape.

use axum::{
    Json,
    body::Body,
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::{Error, FieldError};

pub const CONTENT_TYPE: &str = "application/problem+json";

#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    /// A URI naming the kind of problem; `about:blank` where the status says it all.
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    /// The detail in Dutch, where the service has it (refused steps).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail_nl: Option<String>,
    /// For invalid input: every invalid field and why.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    /// `required` when the password was right but the second factor's code was missing or
    /// wrong (`POST /auth/token` with `code`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub second_factor: Option<&'static str>,
}

impl Problem {
    pub fn new(status: StatusCode, detail: impl Into<String>) -> Self {
        Problem {
            kind: "about:blank".into(),
            title: status.canonical_reason().unwrap_or("Error").into(),
            status: status.as_u16(),
            detail: detail.into(),
            detail_nl: None,
            errors: Vec::new(),
            second_factor: None,
        }
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut res = (status, Json(self)).into_response();
        res.headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static(CONTENT_TYPE));
        res
    }
}

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        let mut errors = Vec::new();
        let mut extra = None;
        let mut detail_nl = None;
        let mut second_factor = None;
        let status = StatusCode::from_u16(self.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let detail = match self {
            Error::Refused(r) => {
                detail_nl = Some(r.reason_nl);
                r.reason
            }
            Error::Validation(fields) => {
                let names: Vec<&str> = fields.iter().map(|f| f.field.as_str()).collect();
                let detail = format!("invalid fields: {}", names.join(", "));
                errors = fields;
                detail
            }
            Error::BadRequest(m) | Error::Forbidden(m) | Error::TooLarge(m) | Error::Gone(m) => m,
            Error::Unauthenticated(m) => {
                extra = Some((
                    header::WWW_AUTHENTICATE,
                    HeaderValue::from_static("Bearer realm=\"beslecht\""),
                ));
                m.to_owned()
            }
            Error::SecondFactorRequired(m) => {
                second_factor = Some("required");
                m.to_owned()
            }
            Error::SecondFactorEnrolment => {
                second_factor = Some("enrolment_required");
                Error::SecondFactorEnrolment.to_string()
            }
            Error::NotFound(what) => format!("no {what} with this id"),
            Error::Conflict(m, nl) | Error::Unprocessable(m, nl) => {
                detail_nl = Some(nl);
                m
            }
            Error::UnsupportedMediaType => {
                "the request body must be JSON, sent with Content-Type: application/json".to_owned()
            }
            Error::PayloadTooLarge => "the request body is larger than this service accepts".to_owned(),
            Error::RangeNotSatisfiable(size) => {
                extra = Some((
                    header::CONTENT_RANGE,
                    HeaderValue::from_str(&format!("bytes */{size}")).expect("digits"),
                ));
                format!("the requested range lies outside the file's {size} bytes")
            }
            Error::Unavailable(m) => {
                tracing::warn!(reason = %m, "dependency unavailable");
                extra = Some((header::RETRY_AFTER, HeaderValue::from_static("30")));
                m
            }
            Error::TooManyRequests { retry_after } => {
                let secs = retry_after.as_secs().max(1).to_string();
                extra = Some((header::RETRY_AFTER, HeaderValue::from_str(&secs).expect("digits")));
                "too many attempts; try again later".to_owned()
            }
            Error::Internal(cause) => {
                tracing::error!(%cause, "internal error");
                "something went wrong on our side; it has been logged".to_owned()
            }
        };
        let mut problem = Problem::new(status, detail);
        problem.errors = errors;
        problem.detail_nl = detail_nl;
        problem.second_factor = second_factor;
        let mut res = problem.into_response();
        if let Some((name, value)) = extra {
            res.headers_mut().insert(name, value);
        }
        res
    }
}

/// Gives every error response that is not yet problem+json the problem+json shape, keeping
/// its status and headers (such as `Allow` or `Retry-After`).
pub async fn problem_for_framework_errors<B>(res: axum::http::Response<B>) -> Response
where
    B: axum::body::HttpBody<Data = axum::body::Bytes> + Send + 'static,
    B::Error: Into<axum::BoxError>,
{
    let mut res = res.map(Body::new);
    let status = res.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return res;
    }
    if status == StatusCode::PAYLOAD_TOO_LARGE {
        // The unread rest of the body is still on the wire, so the connection cannot carry
        // another request. Saying so keeps clients from reusing it and failing their next call.
        res.headers_mut()
            .insert(header::CONNECTION, HeaderValue::from_static("close"));
    }
    // Problems stay as they are, and so do the web application's own (Dutch) error pages.
    let own = res
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(CONTENT_TYPE.as_bytes()) || v.as_bytes().starts_with(b"text/html"));
    if own {
        return res;
    }
    let detail = match status {
        StatusCode::NOT_FOUND => "no resource at this path",
        StatusCode::METHOD_NOT_ALLOWED => "this method is not allowed on this path; see the Allow header",
        StatusCode::PAYLOAD_TOO_LARGE => "the request body is larger than this service accepts",
        StatusCode::REQUEST_TIMEOUT => "the request took too long and was stopped",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "the request body must be application/json",
        StatusCode::INTERNAL_SERVER_ERROR => "something went wrong on our side; it has been logged",
        _ => "the request could not be handled",
    };
    let (mut parts, _) = res.into_parts();
    parts.headers.remove(header::CONTENT_LENGTH);
    let body = Problem::new(status, detail).into_response();
    parts
        .headers
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(CONTENT_TYPE));
    let (_, bytes) = body.into_parts();
    Response::from_parts(parts, Body::new(bytes))
}
