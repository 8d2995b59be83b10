//! Rulings as documents: the issued PDF of a case's ruling, and the public authenticity check.

use axum::{
    Json,
    extract::{Multipart, Path, Query, State},
    http::{HeaderMap, Method},
    response::Response,
};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::documents::{content_response, fetch};
use crate::{
    error::{Result, invalid_field},
    http::{multipart::read_submission, problem::Problem},
    service::{
        Actor, App,
        documents::content,
        rulings::{
            self,
            check::{self, Issued},
        },
    },
};

/// The case's ruling as issued (its latest version), as a tagged PDF, for those who may see
/// the case. Downloads are logged like every document's.
#[utoipa::path(get, operation_id = "get_ruling_pdf", path = "/cases/{id}/ruling/pdf", tag = "rulings", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The case's id")),
    responses(
        (status = 200, description = "The ruling document", content_type = "application/pdf"),
        (status = 404, description = "No such case, or no ruling yet", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn pdf(
    State(app): State<App>,
    actor: Actor,
    Path(id): Path<Uuid>,
    method: Method,
    headers: HeaderMap,
) -> Result<Response> {
    let document = rulings::current_document(&app, &actor, id).await?;
    content_response(content::open(&app, &actor, id, document, fetch(&method, &headers)).await?)
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct CheckQuery {
    /// The SHA-256 of the file, as 64 hexadecimal digits.
    pub sha256: String,
}

/// Whether this commission issued a ruling document with this SHA-256 (public): 200 with the
/// case number, date and outcome, 404 when it did not.
#[utoipa::path(get, operation_id = "check_ruling", path = "/rulings/check", tag = "rulings", params(CheckQuery),
    responses(
        (status = 200, body = Issued),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Not issued by this commission", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn check_hash(State(app): State<App>, Query(q): Query<CheckQuery>) -> Result<Json<Issued>> {
    Ok(Json(check::by_hash(&app, &check::parse_sha256(&q.sha256)?).await?))
}

/// The file to check, as `multipart/form-data`.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct CheckForm {
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
}

/// The same check for the file itself (public; multipart part `file`). The file is hashed as
/// it arrives and not kept.
#[utoipa::path(post, operation_id = "check_ruling_file", path = "/rulings/check", tag = "rulings",
    request_body(content = CheckForm, content_type = "multipart/form-data"),
    responses(
        (status = 200, body = Issued),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Not issued by this commission", body = Problem, content_type = "application/problem+json"),
        (status = 413, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn check_file(State(app): State<App>, multipart: Multipart) -> Result<Json<Issued>> {
    let submission = read_submission(&app, multipart).await?;
    let Some(file) = submission.file else {
        return Err(invalid_field(
            "file",
            "is required: the file to check",
            "Kies een bestand.",
        ));
    };
    Ok(Json(check::by_hash(&app, &file.staged.sha256).await?))
}
