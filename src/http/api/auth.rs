use axum::{Json, extract::State};
use serde::Serialize;
use utoipa::ToSchema;

use crate::{
    error::Result,
    http::{
        extract::{Body, ClientAddr},
        problem::Problem,
    },
    service::{
        App,
        login::{self, Credentials},
    },
};

#[derive(Serialize, ToSchema)]
pub struct TokenResponse {
    pub access_token: String,
    /// Always `Bearer`.
    pub token_type: &'static str,
    /// Seconds until the token expires.
    pub expires_in: u64,
}

/// Sign in: exchange a username and password for a short-lived access token.
#[utoipa::path(post, operation_id = "create_token", path = "/auth/token", tag = "auth", request_body = Credentials,
    responses(
        (status = 200, description = "Signed in", body = TokenResponse),
        (status = 400, description = "Invalid request", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Wrong username or password", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many failed attempts; see Retry-After", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn token(
    State(app): State<App>,
    ClientAddr(client): ClientAddr,
    headers: axum::http::HeaderMap,
    Body(credentials): Body<Credentials>,
) -> Result<Json<TokenResponse>> {
    let agent = headers
        .get(axum::http::header::USER_AGENT)
        .and_then(|v| v.to_str().ok());
    let issued = login::login(&app, credentials, client, agent).await?;
    Ok(Json(TokenResponse {
        access_token: issued.access_token,
        token_type: "Bearer",
        expires_in: issued.expires_in.as_secs(),
    }))
}
