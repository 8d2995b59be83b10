//! What the simple forms share: fields described once, shown with what was typed and their
//! errors (through `templates/veld.html`), read back into the body the API takes, and the
//! service's refusals turned into messages next to the fields.

use axum::http::StatusCode;
use serde_json::{Map, Value};

use super::{field::ShownField, page::PageError};
use crate::error::Error;

/// A field of a simple form: text in, text out.
pub struct Spec {
    pub name: &'static str,
    pub label: &'static str,
    pub hint: Option<&'static str>,
    /// `text`, `password`, `select`, `checkboxes`, `textarea`
    pub kind: &'static str,
    pub required: bool,
    pub options: Vec<(String, String)>,
}

pub fn spec(name: &'static str, label: &'static str, kind: &'static str, required: bool) -> Spec {
    Spec {
        name,
        label,
        hint: None,
        kind,
        required,
        options: Vec::new(),
    }
}

/// The fields as shown: what was typed (never a password) and the error for each.
pub fn shown(specs: Vec<Spec>, form: &[(String, String)], errors: &[(String, String)]) -> Vec<ShownField> {
    specs
        .into_iter()
        .map(|s| ShownField {
            name: s.name,
            label: s.label,
            hint: s.hint,
            kind: s.kind,
            required: s.required,
            values: if s.kind == "password" {
                Vec::new()
            } else {
                form.iter()
                    .filter(|(k, _)| k == s.name)
                    .map(|(_, v)| v.clone())
                    .collect()
            },
            options: s.options,
            error: errors.iter().find(|(f, _)| f == s.name).map(|(_, m)| m.clone()),
        })
        .collect()
}

/// The API body: each named field that was filled in, as text.
pub fn body(form: &[(String, String)], names: &[&str]) -> Value {
    let mut body = Map::new();
    for name in names {
        if let Some((_, v)) = form.iter().find(|(k, v)| k == name && !v.trim().is_empty()) {
            body.insert((*name).to_owned(), Value::String(v.trim().to_owned()));
        }
    }
    Value::Object(body)
}

/// The service's refusal of the fields, in Dutch next to each; any other error is a page.
pub fn field_errors(e: Error) -> Result<Vec<(String, String)>, PageError> {
    match e {
        Error::Validation(fields) => Ok(fields.into_iter().map(|f| (f.field, f.message_nl)).collect()),
        other => Err(other.into()),
    }
}

/// Why a form was refused, for showing it again: its status, the errors next to the fields,
/// and a message about the whole form (the case moved on, the step is not allowed now).
pub struct Refused {
    pub status: StatusCode,
    pub errors: Vec<(String, String)>,
    pub problem: Option<String>,
}

/// The service's refusal of a form about a case; errors that are not the form's are pages.
pub fn refusal(e: Error, stale: &str) -> Result<Refused, PageError> {
    Ok(match e {
        Error::Validation(fields) => Refused {
            status: StatusCode::BAD_REQUEST,
            errors: fields.into_iter().map(|f| (f.field, f.message_nl)).collect(),
            problem: None,
        },
        Error::Conflict(..) => Refused {
            status: StatusCode::CONFLICT,
            errors: Vec::new(),
            problem: Some(stale.to_owned()),
        },
        Error::Refused(ref r) => Refused {
            status: StatusCode::from_u16(e.status()).unwrap_or(StatusCode::CONFLICT),
            errors: Vec::new(),
            problem: Some(format!("{} Er is niets opgeslagen.", r.reason_nl)),
        },
        other => return Err(other.into()),
    })
}

/// What a stale form is told.
pub const STALE: &str = "Het geschil is intussen gewijzigd. Er is niets opgeslagen; wat u invulde staat hieronder nog. Bekijk het geschil opnieuw en probeer het nog eens.";

/// A query string of `pairs`, each part percent-encoded.
pub fn query(pairs: &[(&str, &str)]) -> String {
    use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={}", utf8_percent_encode(v, NON_ALPHANUMERIC)))
        .collect::<Vec<_>>()
        .join("&")
}

/// A posted form's value.
/// [`body`] with date fields besides: a date typed as d-m-yyyy (or yyyy-mm-dd) is passed on
/// as yyyy-mm-dd, one that cannot be read as typed, so the service refuses it by name.
pub fn body_with_dates(form: &[(String, String)], names: &[&str], dates: &[&str]) -> Value {
    let mut body = body(form, names);
    for d in dates {
        if let Some(v) = value(form, d).map(str::trim).filter(|v| !v.is_empty()) {
            body[*d] = Value::String(super::fact_forms::iso_date(v));
        }
    }
    body
}

pub fn value<'a>(form: &'a [(String, String)], name: &str) -> Option<&'a str> {
    form.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filled_fields_become_the_body_and_passwords_are_never_shown_again() {
        let form: Vec<(String, String)> = [
            ("username", " j.jansen "),
            ("email", ""),
            ("password", "geheim"),
            ("csrf", "x"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        assert_eq!(
            body(&form, &["username", "email", "password"]),
            serde_json::json!({"username": "j.jansen", "password": "geheim"})
        );
        let fields = shown(
            vec![
                spec("username", "Gebruikersnaam", "text", true),
                spec("password", "Wachtwoord", "password", true),
            ],
            &form,
            &[("password".into(), "Te kort.".into())],
        );
        assert_eq!(fields[0].value(), " j.jansen ");
        assert_eq!(fields[1].value(), "");
        assert_eq!(fields[1].error.as_deref(), Some("Te kort."));
    }
}
