//! The term calculator.

use axum::{
    Json,
    extract::{Query, State},
};

use crate::{
    error::Result,
    http::problem::Problem,
    service::{
        App,
        calendar::{self, DeadlineQuery, DeadlineView},
    },
};

/// The last day of a term from `start`, with the Algemene termijnenwet applied, and the steps
/// that produced it (public).
#[utoipa::path(get, path = "/calendar/deadline", tag = "calendar", params(DeadlineQuery),
    responses(
        (status = 200, body = DeadlineView),
        (status = 400, description = "A malformed date or duration, or an absurd term", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn deadline(State(app): State<App>, Query(q): Query<DeadlineQuery>) -> Result<Json<DeadlineView>> {
    Ok(Json(calendar::deadline(&app, q)?))
}
