//! Extractors: the JSON body (parsed into a command with every invalid field listed), the
//! signed-in user, and the client's address.

use std::net::{IpAddr, SocketAddr};

use axum::{
    body::Bytes,
    extract::{ConnectInfo, FromRequest, FromRequestParts, Request, rejection::BytesRejection},
    http::{header, request::Parts},
};

use crate::{
    error::Error,
    service::{
        Actor, App, identity,
        input::{FromFields, Unread},
    },
};

/// A JSON request body read into a command `T`.
pub struct Body<T>(pub T);

impl<T: FromFields> FromRequest<App> for Body<T> {
    type Rejection = Error;

    async fn from_request(req: Request, state: &App) -> Result<Self, Self::Rejection> {
        let value = json_body(req, state, false).await?;
        T::from_json(&value).map(Body)
    }
}

/// A command's JSON body, handed to the use case unread: it reads it only once the caller
/// is known to be allowed, so a refusal (403) comes before any judgement of the input (400).
pub struct UnreadBody<T>(pub Unread<T>);

impl<T: FromFields> FromRequest<App> for UnreadBody<T> {
    type Rejection = Error;

    async fn from_request(req: Request, state: &App) -> Result<Self, Self::Rejection> {
        let value = json_body(req, state, false).await?;
        Ok(UnreadBody(Unread::new(value)))
    }
}

/// A JSON object body read as it is, for requests whose fields depend on the path (the
/// procedural steps). An empty body counts as `{}`, so a step without fields needs none.
pub struct JsonObject(pub serde_json::Value);

impl FromRequest<App> for JsonObject {
    type Rejection = Error;

    async fn from_request(req: Request, state: &App) -> Result<Self, Self::Rejection> {
        json_body(req, state, true).await.map(JsonObject)
    }
}

async fn json_body(req: Request, state: &App, empty_is_object: bool) -> Result<serde_json::Value, Error> {
    let is_json = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|mime| {
            let m = mime.trim();
            m.eq_ignore_ascii_case("application/json") || m.to_ascii_lowercase().ends_with("+json")
        });
    let has_type = req.headers().contains_key(header::CONTENT_TYPE);
    let bytes = Bytes::from_request(req, state).await.map_err(|e: BytesRejection| {
        if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
            Error::PayloadTooLarge
        } else {
            Error::BadRequest(format!("the request body could not be read: {e}"))
        }
    })?;
    if empty_is_object && bytes.is_empty() && (is_json || !has_type) {
        return Ok(serde_json::Value::Object(Default::default()));
    }
    if !is_json {
        return Err(Error::UnsupportedMediaType);
    }
    let value: serde_json::Value = serde_json::from_slice(&bytes)
        .map_err(|e| Error::BadRequest(format!("the request body is not valid JSON: {e}")))?;
    if !value.is_object() {
        return Err(Error::BadRequest("the request body must be a JSON object".into()));
    }
    Ok(value)
}

/// A bearer token whose signature and lifetime hold, not yet checked against the database:
/// for a handler that reads its caller together with what it asks for (the case detail). Any
/// other handler takes an [`Actor`].
pub struct Bearer(pub identity::Presented);

impl FromRequestParts<App> for Bearer {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, Self::Rejection> {
        let header = parts.headers.get(header::AUTHORIZATION).ok_or(Error::Unauthenticated(
            "sign in first: send Authorization: Bearer <access token>",
        ))?;
        let token = header
            .to_str()
            .ok()
            .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")))
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or(Error::Unauthenticated(
                "the Authorization header must be: Bearer <access token>",
            ))?;
        identity::present(app, token).map(Bearer)
    }
}

impl FromRequestParts<App> for Actor {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, Self::Rejection> {
        let Bearer(presented) = Bearer::from_request_parts(parts, app).await?;
        identity::admit_from_database(app, &presented).await
    }
}

/// The client's address: the socket's peer, or with `BESLECHT_TRUST_FORWARDED_FOR` the
/// address the (trusted) proxy appended last to `X-Forwarded-For`.
pub struct ClientAddr(pub IpAddr);

impl FromRequestParts<App> for ClientAddr {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, Self::Rejection> {
        if app.config.trust_forwarded_for {
            let forwarded = parts
                .headers
                .get_all("x-forwarded-for")
                .iter()
                .filter_map(|v| v.to_str().ok())
                .flat_map(|v| v.split(','))
                .filter_map(|s| s.trim().parse::<IpAddr>().ok())
                .next_back();
            if let Some(ip) = forwarded {
                return Ok(ClientAddr(ip));
            }
        }
        let peer = parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip());
        Ok(ClientAddr(peer.unwrap_or(IpAddr::from([127, 0, 0, 1]))))
    }
}
