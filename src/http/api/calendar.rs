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
#[utoipa::path(get, operation_id = "compute_deadline", path = "/calendar/deadline", tag = "calendar", params(DeadlineQuery),
    responses(
        (status = 200, body = DeadlineView),
        (status = 400, description = "A malformed date or duration, or an absurd term", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn deadline(State(app): State<App>, Query(q): Query<DeadlineQuery>) -> Result<Json<DeadlineView>> {
    Ok(Json(calendar::deadline(&app, q)?))
}

/// A new private calendar-feed URL for the caller (the previous one stops working).
#[utoipa::path(post, operation_id = "create_calendar_feed", path = "/me/calendar-feed", tag = "calendar", security(("bearer" = [])),
    responses((status = 201, body = crate::service::calendar_feed::FeedLink)))]
pub async fn create_feed(
    State(app): State<App>,
    actor: crate::service::Actor,
) -> Result<(axum::http::StatusCode, Json<crate::service::calendar_feed::FeedLink>)> {
    Ok((
        axum::http::StatusCode::CREATED,
        Json(crate::service::calendar_feed::create(&app, &actor).await?),
    ))
}

/// A person's calendar feed (iCalendar): the last days of running terms and the hearings of
/// the cases they may see. The secret in the path is the only credential.
#[utoipa::path(get, operation_id = "get_calendar_feed", path = "/calendar/feeds/{token}", tag = "calendar",
    params(("token" = String, Path, description = "The secret from POST /me/calendar-feed, with .ics")),
    responses(
        (status = 200, description = "text/calendar", content_type = "text/calendar"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn feed(
    State(app): State<App>,
    axum::extract::Path(token): axum::extract::Path<String>,
) -> Result<([(axum::http::HeaderName, &'static str); 2], String)> {
    let body = crate::service::calendar_feed::feed(&app, &token).await?;
    Ok((
        [
            (axum::http::header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
            (axum::http::header::CACHE_CONTROL, "private, max-age=300"),
        ],
        body,
    ))
}
