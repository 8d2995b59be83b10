//! The forms on the case page: a message, and a document. A refused post shows the case
//! page again with the error next to the field and everything typed still there (a file must
//! be chosen again: browsers do not let a page keep one).

use std::collections::HashMap;

use axum::{
    Form,
    extract::{Multipart, Path, State, multipart::MultipartRejection},
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
};
use serde_json::{Value, json};
use uuid::Uuid;

use super::{
    cases::{Forms, case_view},
    page::{PageError, render},
    session::{Signed, check_form},
};
use crate::{
    error::Error,
    http::multipart::read_submission,
    service::{
        App,
        cases::messages::{self, NewMessage},
        documents::upload,
        input::FromFields,
    },
};

async fn again(
    app: &App,
    session: &crate::service::web_sessions::WebSession,
    id: Uuid,
    forms: Forms,
) -> Result<Response, PageError> {
    let mut res = render(&case_view(app, session, id, None, forms).await?);
    *res.status_mut() = StatusCode::BAD_REQUEST;
    Ok(res)
}

pub async fn message(
    State(app): State<App>,
    Signed(session): Signed,
    Path(id): Path<Uuid>,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, PageError> {
    check_form(&session, form.get("csrf").map(String::as_str))?;
    let body = form.get("body").cloned().unwrap_or_default();
    let sent = match NewMessage::from_json(&json!({ "body": body })) {
        Ok(new) => messages::send(&app, &session.actor, id, new).await,
        Err(e) => Err(e),
    };
    match sent {
        Ok(_) => Ok(Redirect::to(&format!("/geschillen/{id}#berichten")).into_response()),
        Err(Error::Validation(fields)) => {
            let forms = Forms {
                message: body,
                message_error: fields.into_iter().next().map(|f| f.message_nl),
                ..Forms::default()
            };
            again(&app, &session, id, forms).await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn document(
    State(app): State<App>,
    Signed(session): Signed,
    Path(id): Path<Uuid>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, PageError> {
    let seen = upload::prepare(&app, &session.actor, id).await?;
    let multipart = multipart.map_err(|_| PageError::forged())?;
    let mut submission = read_submission(&app, multipart).await?;
    let token = submission.fields.remove("csrf");
    check_form(&session, token.as_ref().and_then(Value::as_str))?;
    let typed: HashMap<String, String> = submission
        .fields
        .iter()
        .filter_map(|(k, v)| v.as_str().map(|s| (k.clone(), s.to_owned())))
        .collect();
    let errors = match upload::upload(&app, &session.actor, seen, submission).await {
        Ok(_) => return Ok(Redirect::to(&format!("/geschillen/{id}#stukken")).into_response()),
        Err(Error::Validation(fields)) => fields.into_iter().map(|f| (f.field, f.message_nl)).collect(),
        Err(Error::Unprocessable(_, nl)) => vec![("file".to_owned(), nl)],
        Err(Error::TooLarge(_)) => vec![("file".to_owned(), "Het bestand is groter dan is toegestaan.".to_owned())],
        Err(e) => return Err(e.into()),
    };
    let forms = Forms {
        upload: typed,
        upload_errors: errors,
        ..Forms::default()
    };
    again(&app, &session, id, forms).await
}
