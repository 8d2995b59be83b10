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
    http::{extract::JsonObject, multipart::read_submission, problem::Problem},
    service::{
        Actor, App,
        documents::content,
        input::FromFields,
        register::{self, Published, PublishedRuling, RegisterQuery},
        rulings::{
            self,
            check::{self, Issued},
            publication::{self, Decision, PublicationView, Review},
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
    let (_, document) = rulings::current(&app, &actor, id).await?;
    content_response(content::open(&app, &actor, id, document.public_id, fetch(&method, &headers)).await?)
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

/// Prepare the ruling's public version (the secretary): personal data found and replaced,
/// with the review's own choices (`keep`, `add`). Not public until published.
#[utoipa::path(post, operation_id = "prepare_publication", path = "/cases/{id}/publication", tag = "rulings", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The case's id")),
    request_body(content = Option<Review>, description = "The review: found text to keep, text to replace as well (both optional)"),
    responses(
        (status = 200, body = PublicationView),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn prepare_publication(
    State(app): State<App>,
    actor: Actor,
    Path(id): Path<Uuid>,
    JsonObject(body): JsonObject,
) -> Result<Json<PublicationView>> {
    let review: Review = serde_json::from_value(body).map_err(|e| {
        invalid_field(
            "keep",
            &format!("the review is a list `keep` of texts and a map `add` of text to replacement ({e})"),
            "De controle bestaat uit een lijst 'keep' en een lijst 'add' met vervangingen.",
        )
    })?;
    Ok(Json(publication::prepare(&app, &actor, id, review).await?))
}

/// The publication as it stands (the secretary): status, public text, replacements.
#[utoipa::path(get, operation_id = "get_publication", path = "/cases/{id}/publication", tag = "rulings", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The case's id")),
    responses(
        (status = 200, body = PublicationView),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn get_publication(
    State(app): State<App>,
    actor: Actor,
    Path(id): Path<Uuid>,
) -> Result<Json<PublicationView>> {
    Ok(Json(publication::get(&app, &actor, id).await?))
}

/// Decide the prepared public version (the secretary): `mode` `volledig` (the default),
/// `samenvatting` with a `summary`, or `achtergehouden` with a `reason`.
#[utoipa::path(post, operation_id = "publish_ruling", path = "/cases/{id}/publication/publish", tag = "rulings", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The case's id")),
    request_body(content = Option<Decision>),
    responses(
        (status = 200, body = PublicationView),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not prepared, or changed since it was prepared", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Personal data that is never published is still in the text", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn publish(
    State(app): State<App>,
    actor: Actor,
    Path(id): Path<Uuid>,
    JsonObject(body): JsonObject,
) -> Result<Json<PublicationView>> {
    let decision = Decision::from_json(&body)?;
    Ok(Json(publication::publish(&app, &actor, id, decision).await?))
}

/// The public register (public): published rulings, newest first, searched (`q`: every word,
/// in any inflection) and filtered.
#[utoipa::path(get, operation_id = "list_rulings", path = "/rulings", tag = "rulings", params(RegisterQuery),
    responses(
        (status = 200, body = inline(crate::service::organisations::Page<Published>)),
        (status = 400, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list(
    State(app): State<App>,
    Query(q): Query<RegisterQuery>,
) -> Result<Json<crate::service::organisations::Page<Published>>> {
    Ok(Json(register::list(&app, q).await?))
}

/// One published ruling with its public text, its agreements and regions, whether it was
/// corrected, a court challenge and related rulings (public).
#[utoipa::path(get, operation_id = "get_published_ruling", path = "/rulings/{number}", tag = "rulings",
    params(("number" = String, Path, description = "The case number")),
    responses(
        (status = 200, body = PublishedRuling),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn get_published(State(app): State<App>, Path(number): Path<String>) -> Result<Json<PublishedRuling>> {
    Ok(Json(register::get(&app, &number).await?))
}
