//! One error story for the whole service.
//!
//! Every use case returns [`Error`]. User-facing variants carry a safe message that may be
//! shown as is; [`Error::Internal`] carries the cause for the log only and is shown as a
//! plain 500 without detail. The HTTP layer renders these as RFC 9457 problem+json
//! (`http::problem`); the web application renders the same variants as Dutch messages.

use std::time::Duration;

use serde::Serialize;
use utoipa::ToSchema;

/// One invalid input field and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct FieldError {
    /// The field's name as sent (e.g. `username`, or `members[2]`).
    pub field: String,
    /// What is wrong with it, in English.
    pub message: String,
    /// The same in Dutch, for people.
    pub message_nl: String,
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("invalid input")]
    Validation(Vec<FieldError>),
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    Unauthenticated(&'static str),
    #[error("{0}")]
    Forbidden(String),
    /// Deliberately the same for "does not exist" and "you may not see it".
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("{0}")]
    Conflict(String),
    /// A procedural step refused by the state machine (403 or 409), with its Dutch reason.
    #[error("{}", .0.reason)]
    Refused(crate::domain::procedure::Refusal),
    #[error("request body too large")]
    PayloadTooLarge,
    /// A file larger than the limit, with the limit named.
    #[error("{0}")]
    TooLarge(String),
    /// Refused on what it is (an infected file), with the reason in English and Dutch.
    #[error("{0}")]
    Unprocessable(String, String),
    /// It was there and has been withdrawn.
    #[error("{0}")]
    Gone(String),
    /// A byte range outside a file of this size.
    #[error("range not satisfiable")]
    RangeNotSatisfiable(u64),
    /// A service we depend on (the virus scanner, the object store) cannot be reached.
    #[error("{0}")]
    Unavailable(String),
    #[error("unsupported media type")]
    UnsupportedMediaType,
    #[error("too many attempts")]
    TooManyRequests { retry_after: Duration },
    #[error("internal error")]
    Internal(String),
}

impl Error {
    pub fn internal(e: impl std::fmt::Display) -> Self {
        Error::Internal(e.to_string())
    }
}

impl From<sea_orm::DbErr> for Error {
    fn from(e: sea_orm::DbErr) -> Self {
        Error::Internal(format!("database: {e}"))
    }
}

impl From<sea_orm::TransactionError<Error>> for Error {
    fn from(e: sea_orm::TransactionError<Error>) -> Self {
        match e {
            sea_orm::TransactionError::Connection(db) => db.into(),
            sea_orm::TransactionError::Transaction(inner) => inner,
        }
    }
}

impl From<crate::auth::password::HashError> for Error {
    fn from(e: crate::auth::password::HashError) -> Self {
        match e {
            crate::auth::password::HashError::Busy => Error::TooManyRequests {
                retry_after: Duration::from_secs(1),
            },
            crate::auth::password::HashError::Internal(m) => Error::Internal(m),
        }
    }
}

/// One invalid field with its reason in English and Dutch, for rules checked after the
/// fields were read (against the database or the reglement).
pub fn invalid_field(name: &str, message: &str, message_nl: &str) -> Error {
    Error::Validation(vec![FieldError::with_nl(name, message, message_nl)])
}

/// One invalid field, for rules that are checked after the fields were read.
pub fn field(name: &str, message: &str) -> Error {
    Error::Validation(vec![FieldError::new(name, message)])
}

impl FieldError {
    /// A field error with its own Dutch message.
    pub fn with_nl(field: &str, message: &str, message_nl: &str) -> Self {
        FieldError {
            field: field.into(),
            message: message.into(),
            message_nl: message_nl.into(),
        }
    }

    /// A field error with the generic Dutch message (for checks beyond the value's form).
    pub fn new(field: &str, message: &str) -> Self {
        FieldError {
            field: field.into(),
            message: message.into(),
            message_nl: "Deze waarde is niet geldig.".into(),
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
