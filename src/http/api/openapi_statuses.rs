//! The statuses every operation can answer because of what it takes, added to the OpenAPI
//! document after the routes are registered, so that no operation leaves one out: 401 where a
//! token is required, 400 where the path or query holds a parameter that may be malformed
//! (an id that is not a UUID, a negative `limit`), 400, 413 and 415 where a body is read, and
//! 503 wherever the database is asked (it may be restarting).
//! Each is answered as problem+json, as every error is.

use utoipa::openapi::{
    ContentBuilder, OpenApi, Ref, RefOr, ResponseBuilder,
    path::{Operation, ParameterIn},
};

fn problem(description: &str) -> RefOr<utoipa::openapi::Response> {
    RefOr::T(
        ResponseBuilder::new()
            .description(description)
            .content(
                crate::http::problem::CONTENT_TYPE,
                ContentBuilder::new()
                    .schema(Some(Ref::from_schema_name("Problem")))
                    .build(),
            )
            .build(),
    )
}

fn complete_operation(op: &mut Operation) {
    let secured = op.security.as_ref().is_some_and(|s| !s.is_empty());
    let parameters = op.parameters.as_ref().is_some_and(|ps| {
        ps.iter()
            .any(|p| matches!(p, RefOr::T(p) if matches!(p.parameter_in, ParameterIn::Path | ParameterIn::Query)))
    });
    let body = op.request_body.is_some();
    let asks_database = op.operation_id.as_deref() != Some("get_liveness");
    let mut add = |status: &str, description: &str, when: bool| {
        if when {
            op.responses
                .responses
                .entry(status.to_owned())
                .or_insert_with(|| problem(description));
        }
    };
    add(
        "400",
        "The request is malformed: a parameter or the body cannot be read",
        parameters || body,
    );
    add("401", "No valid access token", secured);
    add("413", "The body is larger than the service accepts", body);
    add("415", "The body is not of a media type this operation reads", body);
    add(
        "503",
        "The database or another service it needs cannot be reached; nothing was changed (see Retry-After)",
        asks_database,
    );
}

/// Adds the statuses each operation can answer to the whole document.
pub fn complete(doc: &mut OpenApi) {
    for item in doc.paths.paths.values_mut() {
        for op in [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.patch,
        ]
        .into_iter()
        .flatten()
        {
            complete_operation(op);
        }
    }
}
