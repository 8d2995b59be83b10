//! The NvO's purchasing requirements (zorgvuldigheidseisen) checked against a dispute's
//! structured facts. Each breach becomes a [`Flag`] shown with the case; facts not given are
//! not judged.
//!
//! From the NvO resolution (seed `000_…`, "Zorgvuldigheidseisen bij inkoop"): new purchasing
//! procedures are published before 1 April (from 2021 on); at least three months between
//! signing and start of a contract, six for closed youth care, youth protection, probation and
//! care in a criminal decision; contracts of three years or more; agreements on continuity of
//! care when a contract ends. For an uittreding the region assesses the effects on the care
//! landscape and whether the new borders stay congruent.

use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::dispute::CareCategory;

/// The facts of a purchasing dispute, as entered; every one optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct PurchasingFacts {
    #[schema(value_type = Option<String>, format = Date)]
    pub tender_published_on: Option<NaiveDate>,
    #[schema(value_type = Option<String>, format = Date)]
    pub contract_signed_on: Option<NaiveDate>,
    #[schema(value_type = Option<String>, format = Date)]
    pub contract_starts_on: Option<NaiveDate>,
    pub contract_duration_months: Option<u32>,
    pub care_category: Option<CareCategory>,
    /// Tariff offered, in euro cents per unit.
    pub tariff_offered_cents: Option<i64>,
    /// Tariff asked, in euro cents per unit.
    pub tariff_asked_cents: Option<i64>,
    /// Whether the contract arranges continuity of care after it ends.
    pub continuity_agreed: Option<bool>,
}

/// The region's assessment of a municipality's leaving (uittreding).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct UittredingFacts {
    /// Were the effects on the care landscape (expertise, continuity) weighed?
    pub care_landscape_weighed: Option<bool>,
    /// Does the new arrangement keep the region's outer borders congruent?
    pub borders_congruent: Option<bool>,
    /// The date the municipality intends to leave.
    #[schema(value_type = Option<String>, format = Date)]
    pub intended_exit_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FlagCode {
    PublishedAfterFirstApril,
    TooLittleTimeBeforeStart,
    ContractShorterThanThreeYears,
    NoContinuityAgreement,
    CareLandscapeNotWeighed,
    BordersNotCongruent,
}

/// A fact that breaches an NvO requirement, with the requirement in words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Flag {
    pub code: FlagCode,
    pub message: String,
    pub message_nl: String,
}

/// The year from which publication before 1 April is required ("deze gaat per 2021 in").
pub const PUBLICATION_RULE_FROM: i32 = 2021;
pub const MINIMUM_CONTRACT_MONTHS: u32 = 36;

pub fn purchasing_flags(f: &PurchasingFacts) -> Vec<Flag> {
    let mut flags = Vec::new();
    if let Some(published) = f.tender_published_on
        && published.year() >= PUBLICATION_RULE_FROM
        && published.month() >= 4
    {
        flags.push(Flag {
            code: FlagCode::PublishedAfterFirstApril,
            message: format!("the procurement was published on {published}, not before 1 April"),
            message_nl: format!(
                "De inkoopprocedure is gepubliceerd op {}, niet vóór 1 april.",
                nl_date(published)
            ),
        });
    }
    if let (Some(signed), Some(start)) = (f.contract_signed_on, f.contract_starts_on) {
        let months = f
            .care_category
            .unwrap_or(CareCategory::Jeugdhulp)
            .months_between_signing_and_start();
        let earliest = signed.checked_add_months(Months::new(months)).unwrap_or(NaiveDate::MAX);
        if start < earliest {
            flags.push(Flag {
                code: FlagCode::TooLittleTimeBeforeStart,
                message: format!("the contract starts {start}, less than {months} months after signing on {signed}"),
                message_nl: format!(
                    "Het contract gaat in op {}, minder dan {months} maanden na ondertekening op {}.",
                    nl_date(start),
                    nl_date(signed)
                ),
            });
        }
    }
    if let Some(months) = f.contract_duration_months
        && months < MINIMUM_CONTRACT_MONTHS
    {
        flags.push(Flag {
            code: FlagCode::ContractShorterThanThreeYears,
            message: format!("the contract runs {months} months, less than three years"),
            message_nl: format!("Het contract loopt {months} maanden, korter dan drie jaar."),
        });
    }
    if f.continuity_agreed == Some(false) {
        flags.push(Flag {
            code: FlagCode::NoContinuityAgreement,
            message: "the contract does not arrange continuity of care after it ends".into(),
            message_nl: "Het contract regelt de continuïteit van zorg na afloop niet.".into(),
        });
    }
    flags
}

pub fn uittreding_flags(f: &UittredingFacts) -> Vec<Flag> {
    let mut flags = Vec::new();
    if f.care_landscape_weighed == Some(false) {
        flags.push(Flag {
            code: FlagCode::CareLandscapeNotWeighed,
            message: "the effects on the care landscape were not weighed".into(),
            message_nl: "De gevolgen voor het zorglandschap zijn niet meegewogen.".into(),
        });
    }
    if f.borders_congruent == Some(false) {
        flags.push(Flag {
            code: FlagCode::BordersNotCongruent,
            message: "the new arrangement does not keep the region's borders congruent".into(),
            message_nl: "De nieuwe indeling houdt de buitengrenzen van de regio niet congruent.".into(),
        });
    }
    flags
}

/// A date as Dutch readers write it: 1 april 2026.
pub fn nl_date(d: NaiveDate) -> String {
    const MONTHS: [&str; 12] = [
        "januari",
        "februari",
        "maart",
        "april",
        "mei",
        "juni",
        "juli",
        "augustus",
        "september",
        "oktober",
        "november",
        "december",
    ];
    format!("{} {} {}", d.day(), MONTHS[d.month0() as usize], d.year())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn codes(flags: Vec<Flag>) -> Vec<FlagCode> {
        flags.into_iter().map(|f| f.code).collect()
    }

    #[test]
    fn publication_must_be_before_the_first_of_april_from_2021() {
        let at = |date| {
            codes(purchasing_flags(&PurchasingFacts {
                tender_published_on: Some(date),
                ..Default::default()
            }))
        };
        assert!(at(d(2025, 3, 31)).is_empty());
        assert_eq!(at(d(2025, 4, 1)), [FlagCode::PublishedAfterFirstApril]);
        assert_eq!(at(d(2025, 12, 31)), [FlagCode::PublishedAfterFirstApril]);
        assert!(at(d(2020, 6, 1)).is_empty(), "not yet in force in 2020");
    }

    #[test]
    fn three_months_between_signing_and_start_six_for_closed_care() {
        let facts = |signed, start, care| PurchasingFacts {
            contract_signed_on: Some(signed),
            contract_starts_on: Some(start),
            care_category: care,
            ..Default::default()
        };
        assert!(purchasing_flags(&facts(d(2025, 10, 1), d(2026, 1, 1), None)).is_empty());
        assert_eq!(
            codes(purchasing_flags(&facts(d(2025, 10, 2), d(2026, 1, 1), None))),
            [FlagCode::TooLittleTimeBeforeStart]
        );
        // Month ends: 30 November + 3 months is 28 February (29 in a leap year).
        assert!(purchasing_flags(&facts(d(2025, 11, 30), d(2026, 2, 28), None)).is_empty());
        assert_eq!(
            codes(purchasing_flags(&facts(d(2027, 11, 30), d(2028, 2, 28), None))),
            [FlagCode::TooLittleTimeBeforeStart]
        );
        let closed = Some(CareCategory::GeslotenJeugdhulp);
        assert_eq!(
            codes(purchasing_flags(&facts(d(2025, 10, 1), d(2026, 1, 1), closed))),
            [FlagCode::TooLittleTimeBeforeStart]
        );
        assert!(purchasing_flags(&facts(d(2025, 7, 1), d(2026, 1, 1), closed)).is_empty());
    }

    #[test]
    fn contracts_of_three_years_or_more_and_continuity() {
        let facts = |months, continuity| PurchasingFacts {
            contract_duration_months: Some(months),
            continuity_agreed: continuity,
            ..Default::default()
        };
        assert!(purchasing_flags(&facts(36, Some(true))).is_empty());
        assert_eq!(
            codes(purchasing_flags(&facts(35, None))),
            [FlagCode::ContractShorterThanThreeYears]
        );
        assert_eq!(
            codes(purchasing_flags(&facts(24, Some(false)))),
            [FlagCode::ContractShorterThanThreeYears, FlagCode::NoContinuityAgreement]
        );
    }

    #[test]
    fn unknown_facts_are_not_judged_and_every_flag_speaks_both_languages() {
        assert!(purchasing_flags(&PurchasingFacts::default()).is_empty());
        assert!(uittreding_flags(&UittredingFacts::default()).is_empty());
        let all = PurchasingFacts {
            tender_published_on: Some(d(2024, 5, 1)),
            contract_signed_on: Some(d(2024, 12, 1)),
            contract_starts_on: Some(d(2025, 1, 1)),
            contract_duration_months: Some(12),
            care_category: Some(CareCategory::Jeugdbescherming),
            tariff_offered_cents: Some(8_000),
            tariff_asked_cents: Some(9_500),
            continuity_agreed: Some(false),
        };
        let flags = purchasing_flags(&all);
        assert_eq!(flags.len(), 4);
        let u = uittreding_flags(&UittredingFacts {
            care_landscape_weighed: Some(false),
            borders_congruent: Some(false),
            intended_exit_on: None,
        });
        for f in flags.iter().chain(&u) {
            assert!(!f.message.is_empty() && f.message_nl.ends_with('.'));
        }
        assert_eq!(
            flags[0].message_nl,
            "De inkoopprocedure is gepubliceerd op 1 mei 2024, niet vóór 1 april."
        );
    }
}
