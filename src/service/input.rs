//! Reading a request's fields while collecting *every* problem, so that a caller (or a person
//! filling in a form) hears about all invalid fields at once.
//!
//! The JSON API and the web forms both hand a JSON object to [`Fields`]; a command type reads
//! its fields with it, parsing each into a domain value type, and [`Fields::finish`] turns the
//! collected problems into one [`Error::Validation`]. Unknown fields are refused too, so a
//! misspelt optional field is not silently ignored.

use std::collections::BTreeSet;

pub use super::unread::Unread;

use serde_json::{Map, Value};
use uuid::Uuid;

use crate::{
    domain::{
        characters::{self, TextUse},
        values::Invalid,
    },
    error::{Error, FieldError},
};

pub trait FromFields: Sized {
    /// Reads the fields; returns `None` only when an error was recorded.
    fn read(f: &mut Fields<'_>) -> Option<Self>;

    fn from_json(value: &Value) -> Result<Self, Error> {
        let Some(map) = value.as_object() else {
            return Err(Error::BadRequest("the request body must be a JSON object".into()));
        };
        let mut f = Fields::new(map);
        let parsed = Self::read(&mut f);
        f.finish()?;
        parsed.ok_or_else(|| Error::internal("field reader returned nothing without an error"))
    }
}

/// The field's problem has been recorded in [`Fields`]; the caller only needs to stop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reported;

pub struct Fields<'a> {
    map: &'a Map<String, Value>,
    seen: BTreeSet<&'a str>,
    errors: Vec<FieldError>,
}

impl<'a> Fields<'a> {
    pub fn new(map: &'a Map<String, Value>) -> Self {
        Self {
            map,
            seen: BTreeSet::new(),
            errors: Vec::new(),
        }
    }

    pub fn error(&mut self, field: &str, message: &str, message_nl: &str) {
        self.errors.push(FieldError {
            field: field.into(),
            message: message.into(),
            message_nl: message_nl.into(),
        });
    }

    fn invalid(&mut self, field: &str, why: Invalid) {
        self.error(field, &why.to_string(), &why.nl());
    }

    fn get(&mut self, name: &str) -> Option<&'a Value> {
        let (key, value) = self.map.get_key_value(name)?;
        self.seen.insert(key.as_str());
        (!value.is_null()).then_some(value)
    }

    /// A string field; no field's text may hold control characters (a NUL would not even
    /// reach PostgreSQL), whatever its type makes of it afterwards.
    fn string(&mut self, name: &str, required: bool) -> Option<&'a str> {
        let s = self.unchecked_string(name, required)?;
        match characters::check(s, TextUse::Multiline) {
            Ok(()) => Some(s),
            Err(why) => {
                self.invalid(name, why.into());
                None
            }
        }
    }

    fn unchecked_string(&mut self, name: &str, required: bool) -> Option<&'a str> {
        match self.get(name) {
            None if required => {
                self.error(name, "is required", "Vul dit veld in.");
                None
            }
            None => None,
            Some(Value::String(s)) => Some(s),
            Some(_) => {
                self.error(name, "must be a string", "Dit veld moet tekst zijn.");
                None
            }
        }
    }

    /// A required field parsed by a domain type's `parse`.
    pub fn required<T>(&mut self, name: &str, parse: impl FnOnce(&str) -> Result<T, Invalid>) -> Option<T> {
        let raw = self.string(name, true)?;
        parse(raw).map_err(|why| self.invalid(name, why)).ok()
    }

    /// An optional field: `Ok(None)` when absent or null, `Err(Reported)` when present but invalid.
    pub fn optional<T>(
        &mut self,
        name: &str,
        parse: impl FnOnce(&str) -> Result<T, Invalid>,
    ) -> Result<Option<T>, Reported> {
        match self.string(name, false) {
            None if self.map.get(name).is_some_and(|v| !v.is_null()) => Err(Reported),
            None => Ok(None),
            Some(raw) => parse(raw).map(Some).map_err(|why| {
                self.invalid(name, why);
                Reported
            }),
        }
    }

    /// A required raw string (e.g. a password being verified), only checked for presence.
    /// Its characters are not judged either: a password being checked is compared, never stored.
    pub fn required_raw(&mut self, name: &str) -> Option<String> {
        self.unchecked_string(name, true).map(str::to_owned)
    }

    pub fn required_enum<T>(
        &mut self,
        name: &str,
        parse: impl FnOnce(&str) -> Option<T>,
        allowed: &[&str],
    ) -> Option<T> {
        let raw = self.string(name, true)?;
        let parsed = parse(raw);
        if parsed.is_none() {
            let list = allowed.join(", ");
            self.error(
                name,
                &format!("must be one of: {list}"),
                &format!("Kies een van: {list}."),
            );
        }
        parsed
    }

    pub fn optional_enum<T>(
        &mut self,
        name: &str,
        parse: impl FnOnce(&str) -> Option<T>,
        allowed: &[&str],
    ) -> Result<Option<T>, Reported> {
        if self.map.get(name).is_none_or(Value::is_null) {
            self.get(name);
            return Ok(None);
        }
        self.required_enum(name, parse, allowed).map(Some).ok_or(Reported)
    }

    pub fn required_uuid(&mut self, name: &str) -> Option<Uuid> {
        let raw = self.string(name, true)?;
        Uuid::parse_str(raw)
            .map_err(|_| self.error(name, "must be an id (UUID)", "Dit is geen geldige verwijzing."))
            .ok()
    }

    pub fn optional_uuid(&mut self, name: &str) -> Result<Option<Uuid>, Reported> {
        if self.map.get(name).is_none_or(Value::is_null) {
            self.get(name);
            return Ok(None);
        }
        self.required_uuid(name).map(Some).ok_or(Reported)
    }

    pub fn optional_date(&mut self, name: &str) -> Result<Option<chrono::NaiveDate>, Reported> {
        self.optional(name, parse_date)
    }

    pub fn required_date(&mut self, name: &str) -> Option<chrono::NaiveDate> {
        self.required(name, parse_date)
    }

    pub fn optional_bool(&mut self, name: &str) -> Result<Option<bool>, Reported> {
        match self.get(name) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(Value::String(s)) if s == "true" || s == "on" => Ok(Some(true)),
            Some(Value::String(s)) if s == "false" => Ok(Some(false)),
            Some(_) => {
                self.error(name, "must be true or false", "Kies ja of nee.");
                Err(Reported)
            }
        }
    }

    /// A list of ids, at most `max` of them, without repeats; `required` also refuses an
    /// empty list.
    pub fn uuid_list(&mut self, name: &str, required: bool, max: usize) -> Result<Vec<Uuid>, Reported> {
        let items = match self.get(name) {
            None if required => {
                self.error(name, "is required", "Vul dit veld in.");
                return Err(Reported);
            }
            None => return Ok(Vec::new()),
            Some(Value::Array(items)) => items,
            Some(_) => {
                self.error(
                    name,
                    "must be a list of ids",
                    "Dit moet een lijst van verwijzingen zijn.",
                );
                return Err(Reported);
            }
        };
        let ids: Option<Vec<Uuid>> = items
            .iter()
            .map(|v| v.as_str().and_then(|s| Uuid::parse_str(s).ok()))
            .collect();
        let Some(ids) = ids else {
            self.error(name, "must hold ids (UUIDs)", "Dit is geen geldige verwijzing.");
            return Err(Reported);
        };
        let distinct: BTreeSet<&Uuid> = ids.iter().collect();
        if (required && ids.is_empty()) || ids.len() > max || distinct.len() != ids.len() {
            self.error(
                name,
                &format!("must name 1 to {max} different ids"),
                &format!("Kies 1 tot {max} verschillende."),
            );
            return Err(Reported);
        }
        Ok(ids)
    }

    /// A required, non-empty list of at most `max` strings, each parsed by `parse`.
    pub fn string_list<T>(
        &mut self,
        name: &str,
        max: usize,
        parse: impl Fn(&str) -> Result<T, Invalid>,
    ) -> Result<Vec<T>, Reported> {
        let items = match self.get(name) {
            Some(Value::Array(items)) if !items.is_empty() && items.len() <= max => items,
            None => {
                self.error(name, "is required", "Vul dit veld in.");
                return Err(Reported);
            }
            Some(_) => {
                self.error(
                    name,
                    &format!("must be a list of 1 to {max} texts"),
                    &format!("Geef 1 tot {max} namen op."),
                );
                return Err(Reported);
            }
        };
        let mut out = Vec::with_capacity(items.len());
        for item in items {
            match item.as_str().map(&parse) {
                Some(Ok(v)) => out.push(v),
                Some(Err(why)) => {
                    self.invalid(name, why);
                    return Err(Reported);
                }
                None => {
                    self.error(name, "must hold texts", "Dit veld moet tekst bevatten.");
                    return Err(Reported);
                }
            }
        }
        Ok(out)
    }

    /// A nested object, read with its own [`Fields`]; its problems are reported here under
    /// `name.field`.
    pub fn object<T: FromFields>(&mut self, name: &str) -> Result<Option<T>, Reported> {
        match self.get(name) {
            None => Ok(None),
            Some(Value::Object(map)) => {
                let mut inner = Fields::new(map);
                let parsed = T::read(&mut inner);
                match inner.finish() {
                    Ok(()) => parsed.map(Some).ok_or(Reported),
                    Err(Error::Validation(errors)) => {
                        self.errors.extend(errors.into_iter().map(|mut e| {
                            e.field = format!("{name}.{}", e.field);
                            e
                        }));
                        Err(Reported)
                    }
                    Err(_) => Err(Reported),
                }
            }
            Some(_) => {
                self.error(name, "must be an object", "Dit veld heeft niet de juiste vorm.");
                Err(Reported)
            }
        }
    }

    /// A whole number within `range`.
    pub fn optional_integer(
        &mut self,
        name: &str,
        range: std::ops::RangeInclusive<i64>,
    ) -> Result<Option<i64>, Reported> {
        match self.get(name) {
            None => Ok(None),
            Some(v) => match v.as_i64().filter(|n| range.contains(n)) {
                Some(n) => Ok(Some(n)),
                None => {
                    let (lo, hi) = (range.start(), range.end());
                    self.error(
                        name,
                        &format!("must be a whole number from {lo} to {hi}"),
                        &format!("Vul een heel getal van {lo} tot {hi} in."),
                    );
                    Err(Reported)
                }
            },
        }
    }

    /// A moment as RFC 3339 (`2026-12-01T09:30:00Z`, or with an offset).
    pub fn required_timestamp(&mut self, name: &str) -> Option<chrono::DateTime<chrono::Utc>> {
        self.required(name, |raw| {
            chrono::DateTime::parse_from_rfc3339(raw.trim())
                .map(|t| t.with_timezone(&chrono::Utc))
                .map_err(|_| Invalid::Pattern {
                    expected: "a timestamp such as 2026-12-01T09:30:00Z",
                })
        })
    }

    pub fn finish(mut self) -> Result<(), Error> {
        let unknown: Vec<&String> = self.map.keys().filter(|k| !self.seen.contains(k.as_str())).collect();
        for k in unknown {
            self.errors.push(FieldError {
                field: k.clone(),
                message: "is not a known field".into(),
                message_nl: "Dit veld is onbekend.".into(),
            });
        }
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(Error::Validation(self.errors))
        }
    }
}

fn parse_date(raw: &str) -> Result<chrono::NaiveDate, Invalid> {
    chrono::NaiveDate::parse_from_str(raw, "%Y-%m-%d").map_err(|_| Invalid::Pattern {
        expected: "a date as YYYY-MM-DD",
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Username;
    use serde_json::json;

    struct Probe {
        user: Username,
        note: Option<Username>,
        when: Option<chrono::NaiveDate>,
    }

    impl FromFields for Probe {
        fn read(f: &mut Fields<'_>) -> Option<Self> {
            let user = f.required("user", Username::parse);
            let note = f.optional("note", Username::parse);
            let when = f.optional_date("when");
            Some(Self {
                user: user?,
                note: note.ok()?,
                when: when.ok()?,
            })
        }
    }

    fn fields_of(e: Error) -> Vec<String> {
        match e {
            Error::Validation(v) => v.into_iter().map(|f| f.field).collect(),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn every_invalid_field_is_listed() {
        let e = Probe::from_json(&json!({"user": 5, "note": "x", "when": "32-13-2026", "extra": 1}))
            .err()
            .unwrap();
        assert_eq!(fields_of(e), ["user", "note", "when", "extra"]);
        let e = Probe::from_json(&json!({})).err().unwrap();
        assert_eq!(fields_of(e), ["user"]);
    }

    #[test]
    fn valid_input_parses_and_nulls_are_absent() {
        let p = Probe::from_json(&json!({"user": "Jan", "note": null, "when": "2026-04-01"})).unwrap();
        assert_eq!(p.user.as_str(), "jan");
        assert!(p.note.is_none());
        assert_eq!(p.when, chrono::NaiveDate::from_ymd_opt(2026, 4, 1));
    }

    #[test]
    fn a_body_that_is_not_an_object_is_a_bad_request() {
        assert!(matches!(Probe::from_json(&json!([1])), Err(Error::BadRequest(_))));
    }
}
