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
    /// The password was right, but the person's second factor was not given or not right.
    #[error("{0}")]
    SecondFactorRequired(&'static str),
    /// The person's role requires a second factor and they have none yet.
    #[error(
        "your role requires a second factor: set one up in the web application at /mijn-account/tweede-factor first"
    )]
    SecondFactorEnrolment,
    #[error("{0}")]
    Forbidden(String),
    /// Deliberately the same for "does not exist" and "you may not see it".
    #[error("{0} not found")]
    NotFound(&'static str),
    /// Not possible in the state things are in (a name taken, a stale copy), with the reason
    /// in English and Dutch.
    #[error("{0}")]
    Conflict(String, String),
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

    /// The HTTP status of this error: decided here once, for the API's problem+json and the
    /// web's pages and forms alike.
    pub fn status(&self) -> u16 {
        match self {
            Error::Validation(_) | Error::BadRequest(_) => 400,
            Error::Unauthenticated(_) | Error::SecondFactorRequired(_) | Error::SecondFactorEnrolment => 401,
            Error::Forbidden(_) => 403,
            Error::NotFound(_) => 404,
            Error::Conflict(..) => 409,
            Error::Refused(r) => match r.kind {
                crate::domain::procedure::RefusalKind::Forbidden => 403,
                crate::domain::procedure::RefusalKind::Conflict => 409,
            },
            Error::Gone(_) => 410,
            Error::PayloadTooLarge | Error::TooLarge(_) => 413,
            Error::UnsupportedMediaType => 415,
            Error::RangeNotSatisfiable(_) => 416,
            Error::Unprocessable(..) => 422,
            Error::TooManyRequests { .. } => 429,
            Error::Internal(_) => 500,
            Error::Unavailable(_) => 503,
        }
    }

    /// What a person is told, in Dutch: a title and a message. Internal causes never show.
    pub fn dutch(&self) -> (&'static str, String) {
        match self {
            Error::Validation(fields) => (
                "Niet opgeslagen",
                fields
                    .iter()
                    .map(|f| f.message_nl.clone())
                    .collect::<Vec<_>>()
                    .join(" "),
            ),
            Error::BadRequest(_) => (
                "Niet aangenomen",
                "Dit verzoek kon niet worden gelezen. Er is niets gewijzigd.".into(),
            ),
            Error::Unauthenticated(_) => ("Niet ingelogd", "Log opnieuw in om verder te gaan.".into()),
            Error::SecondFactorEnrolment => (
                "Tweede factor nodig",
                "Voor uw rol is een tweede factor verplicht. Stel hem in via Mijn account.".into(),
            ),
            Error::SecondFactorRequired(_) => (
                "Code nodig",
                "Vul de code uit uw authenticator-app in, of een van uw herstelcodes.".into(),
            ),
            Error::Forbidden(_) => ("Geen toegang", "U hebt geen toegang tot deze pagina.".into()),
            Error::NotFound(_) => (
                "Pagina niet gevonden",
                "Deze pagina bestaat niet, of u hebt er geen toegang toe. Controleer het adres, of ga naar uw overzicht.".into(),
            ),
            Error::Conflict(_, nl) => ("Niet mogelijk", nl.clone()),
            Error::Refused(r) => match r.kind {
                crate::domain::procedure::RefusalKind::Forbidden => ("Niet toegestaan", r.reason_nl.clone()),
                crate::domain::procedure::RefusalKind::Conflict => ("Niet mogelijk", r.reason_nl.clone()),
            },
            Error::Gone(_) => (
                "Ingetrokken",
                "Dit stuk is uit het geschil teruggetrokken en wordt niet meer aangeboden.".into(),
            ),
            Error::PayloadTooLarge | Error::TooLarge(_) => (
                "Te groot",
                "Wat u verstuurde is groter dan Beslecht aanneemt. Er is niets opgeslagen.".into(),
            ),
            Error::UnsupportedMediaType => (
                "Niet aangenomen",
                "Dit soort inhoud neemt Beslecht hier niet aan. Er is niets gewijzigd.".into(),
            ),
            Error::RangeNotSatisfiable(_) => (
                "Niet beschikbaar",
                "Dit deel van het bestand bestaat niet.".into(),
            ),
            Error::Unprocessable(_, nl) => ("Niet aangenomen", nl.clone()),
            Error::TooManyRequests { .. } => (
                "Te veel pogingen",
                "Er zijn te veel pogingen gedaan. Wacht even en probeer het opnieuw.".into(),
            ),
            Error::Unavailable(_) => (
                "Tijdelijk niet beschikbaar",
                "Een onderdeel van Beslecht is tijdelijk niet bereikbaar. Er is niets gewijzigd. Probeer het over enkele minuten opnieuw.".into(),
            ),
            Error::Internal(_) => (
                "Er ging iets mis",
                "Er ging aan onze kant iets mis. Dit is vastgelegd. Probeer het later opnieuw.".into(),
            ),
        }
    }
}

impl From<sea_orm::DbErr> for Error {
    fn from(e: sea_orm::DbErr) -> Self {
        if crate::storage::is_unavailable(&e) {
            tracing::warn!(error = %e, "database unavailable");
            return Error::Unavailable("the database cannot be reached; nothing was changed; try again shortly".into());
        }
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
