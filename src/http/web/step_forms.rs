//! The fields each procedural step asks for, as form fields: what the web application shows
//! for a step, read back into the same body the API takes.

use chrono::{NaiveDateTime, TimeZone};
use serde_json::{Map, Value};

use crate::service::cases::view::PersonView;

pub enum Widget {
    Text,
    Textarea,
    Select(&'static [(&'static str, &'static str)]),
    /// A moment in Dutch time, asked as a date (d-m-jjjj) and a time (uu:mm) in two fields
    /// `{name}-datum` and `{name}-tijd` — a browser's own date-time control shows its own
    /// locale (mm/dd/yyyy), not the page's — and sent on as UTC.
    DateTime,
    Person(Pool),
    People(Pool),
}

#[derive(Clone, Copy)]
pub enum Pool {
    Mediators,
    Chairs,
    Members,
}

pub struct FieldSpec {
    pub name: &'static str,
    pub label: &'static str,
    pub hint: Option<&'static str>,
    pub widget: Widget,
    pub required: bool,
}

const fn field(name: &'static str, label: &'static str, widget: Widget, required: bool) -> FieldSpec {
    FieldSpec {
        name,
        label,
        hint: None,
        widget,
        required,
    }
}

const PATHS: &[(&str, &str)] = &[
    ("", "De standaardweg volgens het reglement"),
    ("bemiddeling", "Bemiddeling door het OZJ"),
    ("commissie", "Rechtstreeks naar de commissie"),
];
pub const MEDIATION: &[(&str, &str)] = &[
    ("mislukt", "Mislukt: geen overeenstemming"),
    ("deels", "Deels overeenstemming"),
    ("overeenstemming", "Volledige overeenstemming"),
];
pub const OUTCOMES: &[(&str, &str)] = &[
    ("gegrond", "Gegrond"),
    ("deels_gegrond", "Deels gegrond"),
    ("ongegrond", "Ongegrond"),
    ("niet_ontvankelijk", "Niet-ontvankelijk"),
];
pub const NATURES: &[(&str, &str)] = &[("bindend_advies", "Bindend advies"), ("advies", "Advies")];
const CONSENT: &[(&str, &str)] = &[
    ("", "Kies"),
    ("true", "Ja, alle partijen stemmen in met beslissen zonder zitting"),
];

/// How the conflict check works, next to every choice of a person.
const CONFLICT_CHECK: &str = "Niemand treedt op in een geschil waarbij de eigen organisatie, een opgegeven nevenfunctie of een regio waartoe die behoort partij is. Wie om die reden niet kan, staat in de lijst met de reden erbij; kiest u die toch, dan wordt de toewijzing geweigerd.";

/// The fields of step `name`, in the order they are asked.
pub fn fields_of(name: &str) -> Vec<FieldSpec> {
    use Widget::*;
    let reason = |label| field("reason", label, Textarea, true);
    let statement = |label| field("statement", label, Textarea, true);
    match name {
        "request-completion" => vec![reason("Wat moet de verzoeker aanvullen?")],
        "complete" => vec![field("statement", "Aanvulling", Textarea, false)],
        "admit" => vec![field("path", "Welke weg gaat het geschil?", Select(PATHS), false)],
        "declare-inadmissible" => vec![reason("Waarom is het verzoek niet-ontvankelijk?")],
        "assign-mediator" => vec![FieldSpec {
            hint: Some(CONFLICT_CHECK),
            ..field("mediator", "Bemiddelaar", Person(Pool::Mediators), true)
        }],
        "record-mediation-outcome" => vec![
            field("outcome", "Uitkomst van de bemiddeling", Select(MEDIATION), true),
            field("summary", "Verslag van de uitkomst", Textarea, true),
        ],
        "escalate" => vec![field(
            "reason",
            "Waarom legt u het geschil aan de commissie voor?",
            Textarea,
            false,
        )],
        "assign-commission" => vec![
            FieldSpec {
                hint: Some(CONFLICT_CHECK),
                ..field("chair", "Voorzitter", Person(Pool::Chairs), true)
            },
            FieldSpec {
                hint: Some("Kies één of meer leden naast de voorzitter."),
                ..field("members", "Leden", People(Pool::Members), false)
            },
        ],
        "submit-defence" => vec![statement("Verweer")],
        "submit-reply" => vec![statement("Repliek")],
        "submit-rejoinder" => vec![statement("Dupliek")],
        "waive-reply" => vec![field("reason", "Toelichting (niet verplicht)", Textarea, false)],
        "waive-rejoinder" => vec![field("reason", "Toelichting (niet verplicht)", Textarea, false)],
        "decide-without-hearing" => vec![
            FieldSpec {
                hint: Some(
                    "Het reglement staat beslissen zonder zitting alleen toe als alle partijen daarmee instemmen.",
                ),
                ..field("parties_consent", "Stemmen alle partijen in?", Select(CONSENT), true)
            },
            field("reason", "Toelichting", Textarea, false),
        ],
        "schedule-hearing" => vec![
            FieldSpec {
                hint: Some("In Nederlandse tijd."),
                ..field("at", "Wanneer is de zitting?", DateTime, true)
            },
            field("location", "Waar is de zitting?", Text, true),
        ],
        "record-hearing" => vec![field("summary", "Verslag van de zitting", Textarea, true)],
        "adopt-ruling" => vec![
            field("outcome", "Uitkomst", Select(OUTCOMES), true),
            field("nature", "Aard van de uitspraak", Select(NATURES), true),
            field("dictum", "Dictum", Textarea, true),
            field("reasoning", "Overwegingen", Textarea, true),
            field("cost_allocation", "Verdeling van de kosten", Textarea, false),
        ],
        "withdraw" => vec![reason("Waarom trekt u het geschil in?")],
        "settle" => vec![
            field("summary", "Wat hebben partijen afgesproken?", Textarea, false),
            field("reason", "Toelichting", Textarea, false),
        ],
        _ => Vec::new(),
    }
}

/// The Dutch label of `code` among a choice's options (the code itself when unknown).
pub fn label_of<'a>(options: &[(&'a str, &'a str)], code: &'a str) -> &'a str {
    options.iter().find(|(v, _)| *v == code).map_or(code, |(_, l)| *l)
}

/// The people a person field may name.
pub fn pool(p: Pool, a: &crate::service::cases::assignable::Assignable) -> &[PersonView] {
    match p {
        Pool::Mediators => &a.mediators,
        Pool::Chairs => &a.chairs,
        Pool::Members => &a.members,
    }
}

/// The API body for a posted form: blank fields left out, lists as lists, moments in UTC.
/// A moment that cannot be read is passed on as typed, so the service names it.
pub fn body_of(name: &str, form: &[(String, String)]) -> Value {
    let mut body = Map::new();
    for spec in fields_of(name) {
        if matches!(spec.widget, Widget::DateTime) {
            let [date, time] = moment_parts(spec.name, form);
            let whole = form.iter().find(|(k, _)| k == spec.name).map(|(_, v)| v.trim());
            let value = match whole.filter(|v| !v.is_empty()) {
                _ if !date.is_empty() || !time.is_empty() => utc_of_parts(&date, &time),
                // The whole moment in one field (yyyy-mm-ddThh:mm), as earlier forms sent it.
                Some(v) => utc_of_local(v),
                None => continue,
            };
            body.insert(spec.name.to_owned(), Value::String(value));
            continue;
        }
        let values: Vec<&str> = form
            .iter()
            .filter(|(k, _)| k == spec.name)
            .map(|(_, v)| v.as_str())
            .filter(|v| !v.trim().is_empty())
            .collect();
        let value = match spec.widget {
            Widget::People(_) => Value::Array(values.iter().map(|v| Value::String(v.to_string())).collect()),
            _ => match values.first() {
                None => continue,
                Some(v) => Value::String(v.to_string()),
            },
        };
        body.insert(spec.name.to_owned(), value);
    }
    if let Some(n) = form
        .iter()
        .find(|(k, _)| k == "version")
        .and_then(|(_, v)| v.parse::<i64>().ok())
    {
        body.insert("version".into(), Value::from(n));
    }
    Value::Object(body)
}

/// What was typed in a moment's date and time fields (`{name}-datum`, `{name}-tijd`).
pub fn moment_parts(name: &str, form: &[(String, String)]) -> [String; 2] {
    ["datum", "tijd"].map(|part| {
        let key = format!("{name}-{part}");
        form.iter()
            .find(|(k, _)| *k == key)
            .map_or(String::new(), |(_, v)| v.trim().to_owned())
    })
}

/// A date (d-m-yyyy or yyyy-mm-dd) and a time (9:30, 09:30 or 9.30) in Dutch time, as UTC;
/// what cannot be read is passed on as typed, so the service names the field.
fn utc_of_parts(date: &str, time: &str) -> String {
    let day = super::fact_forms::date_of(date);
    let at = chrono::NaiveTime::parse_from_str(&time.replace('.', ":"), "%H:%M").ok();
    match (day, at) {
        (Some(d), Some(t)) => utc_of_local(&d.and_time(t).format("%Y-%m-%dT%H:%M").to_string()),
        _ => format!("{date} {time}").trim().to_owned(),
    }
}

fn utc_of_local(v: &str) -> String {
    NaiveDateTime::parse_from_str(v, "%Y-%m-%dT%H:%M")
        .ok()
        .and_then(|local| chrono_tz::Europe::Amsterdam.from_local_datetime(&local).earliest())
        .map(|t| {
            t.with_timezone(&chrono::Utc)
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
        })
        .unwrap_or_else(|| v.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn forms_become_the_api_body() {
        let body = body_of(
            "schedule-hearing",
            &form(&[
                ("at", "2026-12-01T09:30"),
                ("location", "Utrecht"),
                ("version", "7"),
                ("csrf", "x"),
            ]),
        );
        assert_eq!(
            body,
            serde_json::json!({"at": "2026-12-01T08:30:00Z", "location": "Utrecht", "version": 7})
        );
        // As the form asks it: a Dutch date and a time, in Dutch summer or winter time.
        for (date, time, utc) in [
            ("1-12-2026", "9:30", "2026-12-01T08:30:00Z"),
            ("01-07-2026", "09.30", "2026-07-01T07:30:00Z"),
            ("2026-12-01", "14:00", "2026-12-01T13:00:00Z"),
            ("31-11-2026", "9:30", "31-11-2026 9:30"),
            ("1-12-2026", "", "1-12-2026"),
        ] {
            let body = body_of(
                "schedule-hearing",
                &form(&[("at-datum", date), ("at-tijd", time), ("location", "Utrecht")]),
            );
            assert_eq!(body["at"], utc, "{date} {time}");
        }
        let body = body_of(
            "assign-commission",
            &form(&[("chair", "a"), ("members", "b"), ("members", "c")]),
        );
        assert_eq!(body, serde_json::json!({"chair": "a", "members": ["b", "c"]}));
        let body = body_of("admit", &form(&[("path", "")]));
        assert_eq!(body, serde_json::json!({}));
    }

    #[test]
    fn every_step_has_its_fields() {
        for s in crate::domain::procedure::Step::ALL {
            let fields = fields_of(s.name());
            assert!(fields.iter().all(|f| !f.label.is_empty()));
        }
        assert!(fields_of("submit").is_empty());
    }
}
