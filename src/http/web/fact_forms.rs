//! The NvO facts of a dispute as form fields: which facts each kind of dispute asks for, how
//! the form's Dutch notation (31-3-2026, € 85,50, ja/nee) becomes the API's body, and how
//! stored facts read back as text.

use chrono::NaiveDate;
use serde_json::{Map, Value, json};

use crate::{
    domain::{
        dispute::{CareCategory, DisputeKind},
        nvo::nl_date,
    },
    service::cases::facts::Facts,
};

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum FactWidget {
    /// A calendar date, typed as 31-3-2026 (or 2026-03-31).
    Date,
    /// A whole number of months.
    Months,
    /// An amount in euro, typed as 85,50; stored in cents.
    Money,
    Category,
    YesNo,
}

pub struct FactSpec {
    pub name: &'static str,
    pub label: &'static str,
    pub hint: Option<&'static str>,
    pub widget: FactWidget,
}

const fn fact(name: &'static str, label: &'static str, hint: Option<&'static str>, widget: FactWidget) -> FactSpec {
    FactSpec {
        name,
        label,
        hint,
        widget,
    }
}

const DATE_HINT: &str = "Bijvoorbeeld 31-3-2026.";

const PURCHASING: &[FactSpec] = &[
    fact(
        "tender_published_on",
        "Datum van publicatie van de inkoopprocedure",
        Some("De NvO vraagt publicatie vóór 1 april (vanaf 2021). Bijvoorbeeld 31-3-2026."),
        FactWidget::Date,
    ),
    fact(
        "contract_signed_on",
        "Datum van ondertekening van het contract",
        Some(DATE_HINT),
        FactWidget::Date,
    ),
    fact(
        "contract_starts_on",
        "Ingangsdatum van het contract",
        Some(
            "Tussen ondertekening en ingang liggen ten minste drie maanden; zes bij gesloten jeugdhulp, jeugdbescherming, jeugdreclassering en zorg na een strafrechtelijke beslissing. Bijvoorbeeld 1-1-2027.",
        ),
        FactWidget::Date,
    ),
    fact("care_category", "Soort zorg", None, FactWidget::Category),
    fact(
        "contract_duration_months",
        "Looptijd van het contract, in maanden",
        Some("De NvO vraagt een looptijd van ten minste drie jaar (36 maanden)."),
        FactWidget::Months,
    ),
    fact(
        "tariff_offered_cents",
        "Geboden tarief per eenheid, in euro",
        Some("Bijvoorbeeld 85,50."),
        FactWidget::Money,
    ),
    fact(
        "tariff_asked_cents",
        "Gevraagd tarief per eenheid, in euro",
        Some("Bijvoorbeeld 92,00."),
        FactWidget::Money,
    ),
    fact(
        "continuity_agreed",
        "Regelt het contract de continuïteit van zorg na afloop?",
        None,
        FactWidget::YesNo,
    ),
];

const UITTREDING: &[FactSpec] = &[
    fact(
        "care_landscape_weighed",
        "Heeft de regio de gevolgen voor het zorglandschap meegewogen?",
        Some("Denk aan expertise en continuïteit van zorg."),
        FactWidget::YesNo,
    ),
    fact(
        "borders_congruent",
        "Blijven de buitengrenzen van de regio congruent?",
        None,
        FactWidget::YesNo,
    ),
    fact(
        "intended_exit_on",
        "Beoogde datum van uittreding",
        Some(DATE_HINT),
        FactWidget::Date,
    ),
];

/// The facts a kind of dispute asks for; none for the woonplaatsbeginsel.
pub fn facts_of(kind: DisputeKind) -> &'static [FactSpec] {
    match kind {
        DisputeKind::Uittreding => UITTREDING,
        DisputeKind::Woonplaatsbeginsel => &[],
        _ => PURCHASING,
    }
}

pub fn care_categories() -> Vec<(String, String)> {
    CareCategory::ALL
        .iter()
        .map(|c| (c.as_str().to_owned(), care_category_nl(*c).to_owned()))
        .collect()
}

fn care_category_nl(c: CareCategory) -> &'static str {
    match c {
        CareCategory::Jeugdhulp => "Jeugdhulp",
        CareCategory::GeslotenJeugdhulp => "Gesloten jeugdhulp",
        CareCategory::Jeugdbescherming => "Jeugdbescherming",
        CareCategory::Jeugdreclassering => "Jeugdreclassering",
        CareCategory::Strafrechtelijk => "Jeugdhulp na een strafrechtelijke beslissing",
        CareCategory::Bwmo => "Beschermd wonen en maatschappelijke opvang",
    }
}

/// A date typed as d-m-yyyy or yyyy-mm-dd, as the API's yyyy-mm-dd; what cannot be read is
/// passed on as typed, so the service refuses it by name.
pub fn iso_date(v: &str) -> String {
    date_of(v.trim()).map_or_else(|| v.trim().to_owned(), |d| d.to_string())
}

/// A date typed as d-m-yyyy or yyyy-mm-dd.
pub(crate) fn date_of(v: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(v, "%d-%m-%Y")
        .or_else(|_| NaiveDate::parse_from_str(v, "%Y-%m-%d"))
        .ok()
}

/// Euro as typed (85,50 or 85.50 or € 1.085,50 or 1,085.50) in cents. Thousands are marked
/// with the mark that is not the decimal one, in groups of three; anything else ("85.50.00",
/// "1.08,50") is not read, so the form asks again rather than store a guess.
pub(crate) fn cents_of(v: &str) -> Option<i64> {
    let v = v.trim().trim_start_matches('€').trim();
    let (whole, fraction, thousands) = match v.rfind([',', '.']) {
        Some(i) if v.len() - i - 1 <= 2 => (&v[..i], &v[i + 1..], if &v[i..=i] == "." { ',' } else { '.' }),
        _ => (v, "", '.'),
    };
    let groups: Vec<&str> = whole.split(thousands).collect();
    let digits = |g: &str| !g.is_empty() && g.chars().all(|c| c.is_ascii_digit());
    let grouped = groups.len() == 1 || (groups[0].len() <= 3 && groups[1..].iter().all(|g| g.len() == 3));
    if !grouped || !groups.iter().all(|g| digits(g)) || !fraction.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let euros: i64 = groups.concat().parse().ok()?;
    let cents: i64 = format!("{fraction:0<2}").parse().ok()?;
    euros.checked_mul(100)?.checked_add(cents)
}

/// The message for a fact the form could not read, in the form's own notation; the service's
/// message speaks of the API's notation (ISO dates, cents).
pub fn message_for(spec: &FactSpec) -> Option<&'static str> {
    match spec.widget {
        FactWidget::Date => Some("Vul een bestaande datum in, zoals 31-3-2026."),
        FactWidget::Money => Some("Vul een bedrag in euro in, zoals 85,50."),
        _ => None,
    }
}

/// The API's `facts` object for a posted form. A value the form cannot read is passed on as
/// typed, so the service refuses it by name and nothing is stored.
pub fn facts_body(kind: DisputeKind, form: &[(String, String)]) -> Value {
    let mut facts = Map::new();
    for spec in facts_of(kind) {
        let Some(v) = form
            .iter()
            .find(|(k, _)| k == spec.name)
            .map(|(_, v)| v.trim())
            .filter(|v| !v.is_empty())
        else {
            continue;
        };
        let value = match spec.widget {
            FactWidget::Date => json!(iso_date(v)),
            FactWidget::Months => v.parse::<i64>().map_or_else(|_| json!(v), |n| json!(n)),
            FactWidget::Money => cents_of(v).map_or_else(|| json!(v), |n| json!(n)),
            FactWidget::Category => json!(v),
            FactWidget::YesNo => match v {
                "ja" => json!(true),
                "nee" => json!(false),
                _ => json!(v),
            },
        };
        facts.insert(spec.name.to_owned(), value);
    }
    Value::Object(facts)
}

/// Stored facts as the form shows them again.
pub fn form_of(facts: Option<&Facts>) -> Vec<(String, String)> {
    let Some(v) = facts.map(crate::service::cases::facts::to_json) else {
        return Vec::new();
    };
    let Some(map) = v.as_object() else {
        return Vec::new();
    };
    let mut form = Vec::new();
    for (name, v) in map {
        let shown = match (name.as_str(), v) {
            (_, Value::Null) => continue,
            (_, Value::Bool(b)) => if *b { "ja" } else { "nee" }.to_owned(),
            (n, Value::Number(c)) if n.ends_with("_cents") => euro(c.as_i64().unwrap_or(0)),
            (_, Value::Number(n)) => n.to_string(),
            (_, Value::String(s)) => match NaiveDate::parse_from_str(s, "%Y-%m-%d") {
                Ok(d) => d.format("%-d-%-m-%Y").to_string(),
                Err(_) => s.clone(),
            },
            _ => continue,
        };
        form.push((name.clone(), shown));
    }
    form
}

pub(crate) fn euro(cents: i64) -> String {
    format!("{},{:02}", cents / 100, cents % 100)
}

/// The facts as (question, answer) for reading, in the order they are asked.
pub fn rows(kind: DisputeKind, facts: Option<&Facts>) -> Vec<(&'static str, String)> {
    let values = form_of(facts);
    facts_of(kind)
        .iter()
        .filter_map(|spec| {
            let v = values.iter().find(|(k, _)| k == spec.name)?.1.clone();
            let shown = match spec.widget {
                FactWidget::Date => date_of(&v).map_or(v, nl_date),
                FactWidget::Money => format!("€ {v}"),
                FactWidget::Months => format!("{v} maanden"),
                FactWidget::Category => CareCategory::parse(&v).map_or(v, |c| care_category_nl(c).to_owned()),
                FactWidget::YesNo => if v == "ja" { "Ja" } else { "Nee" }.to_owned(),
            };
            Some((spec.label, shown))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::nvo::PurchasingFacts;

    fn form(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn dutch_notation_becomes_the_api_body() {
        let body = facts_body(
            DisputeKind::RegioAanbieder,
            &form(&[
                ("tender_published_on", "15-5-2025"),
                ("contract_signed_on", "2025-06-01"),
                ("contract_duration_months", "24"),
                ("tariff_offered_cents", "€ 1.085,5"),
                ("tariff_asked_cents", "92"),
                ("continuity_agreed", "nee"),
                ("care_category", ""),
                ("csrf", "x"),
            ]),
        );
        assert_eq!(
            body,
            json!({
                "tender_published_on": "2025-05-15",
                "contract_signed_on": "2025-06-01",
                "contract_duration_months": 24,
                "tariff_offered_cents": 108550,
                "tariff_asked_cents": 9200,
                "continuity_agreed": false,
            })
        );
    }

    #[test]
    fn what_cannot_be_read_is_passed_on_as_typed() {
        let body = facts_body(
            DisputeKind::RegioAanbieder,
            &form(&[
                ("tender_published_on", "31-2-2025"),
                ("contract_duration_months", "drie jaar"),
                ("tariff_offered_cents", "85,505"),
                ("tariff_asked_cents", "-5"),
            ]),
        );
        assert_eq!(
            body,
            json!({
                "tender_published_on": "31-2-2025",
                "contract_duration_months": "drie jaar",
                "tariff_offered_cents": "85,505",
                "tariff_asked_cents": "-5",
            })
        );
    }

    #[test]
    fn euros_are_read_in_dutch_and_english_notation_and_nothing_else() {
        for (typed, cents) in [
            ("85,50", Some(8550)),
            ("85.50", Some(8550)),
            ("85", Some(8500)),
            ("€ 1.085,50", Some(108_550)),
            ("1.085", Some(108_500)),
            ("1,085.50", Some(108_550)),
            ("1.234.567,8", Some(123_456_780)),
            ("85.50.00", None),
            ("1.08,50", None),
            ("1.0850,00", None),
            ("1,085", None),
            ("85,505", None),
            (",50", None),
            ("1..085", None),
            ("-5", None),
        ] {
            assert_eq!(cents_of(typed), cents, "{typed}");
        }
    }

    #[test]
    fn stored_facts_read_back_as_typed() {
        let facts = Facts::Purchasing(PurchasingFacts {
            tender_published_on: NaiveDate::from_ymd_opt(2025, 5, 15),
            tariff_offered_cents: Some(108_550),
            continuity_agreed: Some(true),
            contract_duration_months: Some(24),
            ..Default::default()
        });
        let shown = form_of(Some(&facts));
        let back = facts_body(DisputeKind::RegioAanbieder, &shown);
        let mut stored = crate::service::cases::facts::to_json(&facts);
        stored.as_object_mut().unwrap().retain(|_, v| !v.is_null());
        assert_eq!(back, stored);
        let rows = rows(DisputeKind::RegioAanbieder, Some(&facts));
        assert_eq!(rows[0].1, "15 mei 2025");
        assert!(rows.iter().any(|(_, v)| v == "€ 1085,50"));
        assert!(rows.iter().any(|(_, v)| v == "24 maanden"));
    }

    #[test]
    fn each_kind_asks_its_own_facts() {
        assert!(facts_of(DisputeKind::Woonplaatsbeginsel).is_empty());
        assert_eq!(facts_of(DisputeKind::Uittreding).len(), 3);
        assert!(
            facts_of(DisputeKind::RegioAanbieder)
                .iter()
                .any(|f| f.name == "care_category")
        );
    }
}
