//! Documents in a case: upload (multipart, streamed), list, record, content (streamed, with
//! ranges), withdrawal and the access log.

use axum::{
    Json,
    body::Body as HttpBody,
    extract::{Multipart, Path, State, multipart::MultipartRejection},
    http::{HeaderMap, HeaderValue, Method, StatusCode, header},
    response::{IntoResponse, Response},
};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::{
    domain::documents::content_disposition,
    error::{Error, Result},
    http::{extract::Body, multipart::read_submission, problem::Problem},
    service::{
        Actor, App,
        documents::{
            self, DocumentView,
            access_log::{self, AccessEntry},
            content, upload,
            withdraw::{self, Withdraw},
        },
    },
};

/// The parts of an upload (`multipart/form-data`).
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct UploadForm {
    /// The file. Accepted: PDF, DOCX, XLSX, ODT, ODS, PNG, JPEG, plain text (UTF-8) and
    /// e-mail (.eml), recognised from the bytes; the name's extension must agree.
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
    /// verzoekschrift, verweerschrift, repliek, dupliek, bewijsstuk, bemiddelingsverslag,
    /// proces_verbaal, uitspraak, geanonimiseerde_uitspraak
    #[schema(rename = "type")]
    kind: String,
    title: String,
    description: Option<String>,
    /// openbaar, beperkt_openbaar, intern, zaakvertrouwelijk (default), vertrouwelijk,
    /// confidentieel, geheim, zeer_geheim
    confidentiality: Option<String>,
    /// partijen (default), commissie, bemiddeling (default for a bemiddelingsverslag)
    audience: Option<String>,
    /// The id of the document this one is a new version of.
    replaces: Option<Uuid>,
}

/// Add a document to the case. The file is streamed, recognised from its bytes, scanned for
/// malware (when a scanner is configured) and stored before its record is committed.
#[utoipa::path(post, operation_id = "create_document", path = "/cases/{id}/documents", tag = "documents", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The case's id")),
    request_body(content = UploadForm, content_type = "multipart/form-data"),
    responses(
        (status = 201, body = DocumentView, headers(("Location" = String, description = "The document's record"))),
        (status = 400, description = "Invalid fields or file", body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The case is closed, or the document already has a newer version", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The file is over the limit", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Malware found; refused and recorded", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The virus scanner or the store cannot be reached", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn upload(
    State(app): State<App>,
    actor: Actor,
    Path(id): Path<Uuid>,
    multipart: std::result::Result<Multipart, MultipartRejection>,
) -> Result<Response> {
    // Who may add to this case is settled before a byte of the file is read.
    let seen = upload::prepare(&app, &actor, id).await?;
    let multipart = multipart.map_err(|_| {
        Error::BadRequest("send the document as multipart/form-data, with the parts `file`, `type` and `title`".into())
    })?;
    let submission = read_submission(&app, multipart).await?;
    let view = upload::upload(&app, &actor, seen, submission).await?;
    let location = format!("/api/v1/cases/{id}/documents/{}", view.id);
    let mut res = (StatusCode::CREATED, Json(view)).into_response();
    res.headers_mut().insert(
        header::LOCATION,
        HeaderValue::from_str(&location).map_err(Error::internal)?,
    );
    Ok(res)
}

/// The case's documents the caller may see, oldest first (withdrawn ones included, marked).
#[utoipa::path(get, operation_id = "list_documents", path = "/cases/{id}/documents", tag = "documents", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The case's id")),
    responses(
        (status = 200, body = Vec<DocumentView>),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list(State(app): State<App>, actor: Actor, Path(id): Path<Uuid>) -> Result<Json<Vec<DocumentView>>> {
    Ok(Json(documents::list(&app, &actor, id).await?))
}

/// One document's record (the view is logged).
#[utoipa::path(get, operation_id = "get_document", path = "/cases/{id}/documents/{document_id}", tag = "documents", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The case's id"), ("document_id" = Uuid, Path, description = "The document's id")),
    responses(
        (status = 200, body = DocumentView),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn get(
    State(app): State<App>,
    actor: Actor,
    Path((id, document_id)): Path<(Uuid, Uuid)>,
) -> Result<Json<DocumentView>> {
    Ok(Json(documents::get(&app, &actor, id, document_id).await?))
}

/// The file itself, streamed, as an attachment; one byte range may be asked with `Range`
/// (206). The download is logged.
#[utoipa::path(get, operation_id = "get_document_content", path = "/cases/{id}/documents/{document_id}/content", tag = "documents", security(("bearer" = [])),
    params(
        ("id" = Uuid, Path, description = "The case's id"),
        ("document_id" = Uuid, Path, description = "The document's id"),
        ("Range" = Option<String>, Header, description = "One range, e.g. bytes=0-1023"),
        ("If-Range" = Option<String>, Header, description = "The ETag the range belongs to; another sends the whole file"),
    ),
    responses(
        (status = 200, description = "The whole file", content_type = "application/octet-stream"),
        (status = 206, description = "The range asked for", content_type = "application/octet-stream"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 410, description = "Withdrawn from the case", body = Problem, content_type = "application/problem+json"),
        (status = 416, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn content(
    State(app): State<App>,
    actor: Actor,
    Path((id, document_id)): Path<(Uuid, Uuid)>,
    method: Method,
    headers: HeaderMap,
) -> Result<Response> {
    content_response(content::open(&app, &actor, id, document_id, fetch(&method, &headers)).await?)
}

/// How a request asks for a document's bytes (`Range`, `If-Range`, `HEAD`).
pub fn fetch<'a>(method: &Method, headers: &'a HeaderMap) -> content::Fetch<'a> {
    let header = |name| headers.get(name).and_then(|v: &HeaderValue| v.to_str().ok());
    content::Fetch {
        range: header(header::RANGE),
        if_range: header(header::IF_RANGE),
        head_only: method == Method::HEAD,
    }
}

/// A document's bytes as a response: streamed, as an attachment, with its checked type and
/// its hash as `ETag`; 206 for a range. The web application serves downloads the same way.
pub fn content_response(c: content::Content) -> Result<Response> {
    let (status, length) = match c.range {
        Some((first, last)) => (StatusCode::PARTIAL_CONTENT, last - first + 1),
        None => (StatusCode::OK, c.size),
    };
    let mut res = Response::new(HttpBody::from_stream(c.body));
    *res.status_mut() = status;
    let h = res.headers_mut();
    let value = |s: &str| HeaderValue::from_str(s).map_err(Error::internal);
    h.insert(header::CONTENT_TYPE, value(&c.content_type)?);
    h.insert(header::CONTENT_LENGTH, value(&length.to_string())?);
    h.insert(header::CONTENT_DISPOSITION, value(&content_disposition(&c.file_name))?);
    h.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    h.insert(header::ETAG, value(&content::Fetch::etag(&c.sha256))?);
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    if let Some((first, last)) = c.range {
        h.insert(
            header::CONTENT_RANGE,
            value(&format!("bytes {first}-{last}/{}", c.size))?,
        );
    }
    Ok(res)
}

/// Withdraw a document from the case, with a reason (the secretary). Its record stays; its
/// content is no longer offered.
#[utoipa::path(post, operation_id = "withdraw_document", path = "/cases/{id}/documents/{document_id}/withdraw", tag = "documents", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The case's id"), ("document_id" = Uuid, Path, description = "The document's id")),
    request_body = Withdraw,
    responses(
        (status = 200, body = DocumentView),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn withdraw(
    State(app): State<App>,
    actor: Actor,
    Path((id, document_id)): Path<(Uuid, Uuid)>,
    Body(w): Body<Withdraw>,
) -> Result<Json<DocumentView>> {
    Ok(Json(withdraw::withdraw(&app, &actor, id, document_id, w).await?))
}

/// Who viewed or downloaded the document (NEN 7513): for the secretary and the organisation
/// that submitted it.
#[utoipa::path(get, operation_id = "list_document_accesses", path = "/cases/{id}/documents/{document_id}/access-log", tag = "documents", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The case's id"), ("document_id" = Uuid, Path, description = "The document's id")),
    responses(
        (status = 200, body = Vec<AccessEntry>),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn access_log(
    State(app): State<App>,
    actor: Actor,
    Path((id, document_id)): Path<(Uuid, Uuid)>,
) -> Result<Json<Vec<AccessEntry>>> {
    Ok(Json(access_log::entries(&app, &actor, id, document_id).await?))
}
