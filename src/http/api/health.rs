use axum::{Json, extract::State, http::StatusCode};
use serde::Serialize;
use utoipa::ToSchema;

use crate::service::App;

#[derive(Serialize, ToSchema)]
pub struct Health {
    pub status: &'static str,
}

/// Liveness: the process answers.
#[utoipa::path(get, operation_id = "get_liveness", path = "/health/live", tag = "health", responses((status = 200, body = Health)))]
pub async fn live() -> Json<Health> {
    Json(Health { status: "ok" })
}

/// Readiness: the database answers and its schema is up to date.
#[utoipa::path(get, operation_id = "get_readiness", path = "/health/ready", tag = "health",
    responses((status = 200, body = Health), (status = 503, description = "Not ready", body = Health)))]
pub async fn ready(State(app): State<App>) -> (StatusCode, Json<Health>) {
    match crate::storage::pending_migrations(&app.db).await {
        Ok(0) => (StatusCode::OK, Json(Health { status: "ok" })),
        Ok(_) => (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(Health {
                status: "migrations pending",
            }),
        ),
        Err(e) => {
            tracing::warn!(error = %e, "readiness check failed");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(Health {
                    status: "database unavailable",
                }),
            )
        }
    }
}
