//! The reglement's terms (`policies/termijnen.toml`): which term starts when a case enters a
//! phase or stage, how long it runs, who must act, whether the Atw applies, and how it may be
//! extended. Checked when read; a file that contradicts itself stops start-up.

use crate::domain::policy_file::PolicyFileError;
use std::collections::BTreeMap;

use serde::Deserialize;

use chrono::NaiveDate;

use super::{Calendar, Term};
use crate::domain::{
    Role,
    procedure::{Phase, Stage, Step},
};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Extension {
    pub max: u32,
    pub term: Term,
    pub consent_of_parties: bool,
}

/// How a term ended (see [`TermRules::ending`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    /// The act it waited for was done (on time or late).
    Fulfilled,
    /// The party said it would not act.
    Waived,
    /// The case was withdrawn, settled or declared inadmissible.
    Lapsed,
    /// The case moved on without the act.
    Unused,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TermRule {
    pub key: String,
    pub label: String,
    pub phase: Phase,
    pub stage: Option<Stage>,
    /// The step that ends it; otherwise leaving the phase (or stage) does.
    pub ends_with: Option<String>,
    /// The steps that do what the term waits for (`vervuld_door`); a term that ends by any
    /// other step was not used. Empty: whatever ends it fulfils it.
    pub fulfilled_by: Vec<String>,
    pub term: Term,
    pub who: String,
    pub atw: bool,
    pub extension: Option<Extension>,
}

impl TermRule {
    /// The term as it now runs: the reglement's term, plus `extensions` granted extensions,
    /// plus the days the case was suspended.
    pub fn effective(&self, extensions: u32, suspended_days: u32) -> Term {
        let (months, days) = self
            .extension
            .as_ref()
            .map_or((0, 0), |e| (e.term.months * extensions, e.term.days * extensions));
        Term {
            months: self.term.months + months,
            days: self.term.days + days + suspended_days,
        }
    }

    /// How many extensions the reglement allows in all.
    /// Whether taking `step` does what this term asks (not merely ends it).
    pub fn answered_by(&self, step: &str) -> bool {
        self.fulfilled_by.iter().any(|s| s == step)
    }

    pub fn extensions_allowed(&self) -> u32 {
        self.extension.as_ref().map_or(0, |e| e.max)
    }

    /// Whether `who` ("verzoeker", "verweerder", …) names the claimant's or a respondent's
    /// side, for telling a party which terms are theirs.
    pub fn falls_to(&self, claimant: bool, respondent: bool) -> bool {
        match self.who.as_str() {
            "verzoeker" => claimant,
            "verweerder" => respondent,
            "partijen" => claimant || respondent,
            _ => false,
        }
    }
}

/// When reminders go out before a term's last day.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReminderPolicy {
    /// So many working days before (e.g. 5).
    pub working_days_before: Vec<u32>,
    /// So many calendar days before (e.g. 1).
    pub days_before: Vec<u32>,
}

impl ReminderPolicy {
    /// The days the reminders for a term ending on `due_on` are due, earliest first.
    pub fn dates(&self, cal: &Calendar, due_on: NaiveDate) -> Vec<NaiveDate> {
        let mut dates: Vec<NaiveDate> = self
            .working_days_before
            .iter()
            .map(|n| {
                let mut d = due_on;
                let mut left = *n;
                while left > 0 {
                    d = d.pred_opt().unwrap_or(d);
                    if cal.is_working_day(d) {
                        left -= 1;
                    }
                }
                d
            })
            .chain(
                self.days_before
                    .iter()
                    .map(|n| due_on - chrono::Days::new(u64::from(*n))),
            )
            .collect();
        dates.sort();
        dates.dedup();
        dates
    }
}

#[derive(Debug, Clone, Default)]
pub struct TermRules {
    rules: BTreeMap<String, TermRule>,
    pub reminders: ReminderPolicy,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    herinneringen: Option<RawReminders>,
    termijnen: BTreeMap<String, RawTerm>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawReminders {
    #[serde(default)]
    werkdagen_voor: Vec<u32>,
    #[serde(default)]
    dagen_voor: Vec<u32>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTerm {
    label: String,
    begint: String,
    eindigt_bij: Option<String>,
    #[serde(default)]
    vervuld_door: Vec<String>,
    duur: String,
    wie: String,
    atw: bool,
    verlenging: Option<RawExtension>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawExtension {
    maximaal: u32,
    duur: String,
    instemming_partijen: bool,
}

/// Whom a term's `wie` names when it waits on a person in `role` — standing in the case on
/// `side` (`verzoeker` or `verweerder`) for a party, or as its chair for a commission
/// member. A member who is not the chair, and the administrator, are never waited on.
pub fn waits_on(role: Role, side: Option<&str>, chair: bool) -> &'static [&'static str] {
    match role {
        Role::Gemeente | Role::Regio | Role::Aanbieder => match side {
            Some("verzoeker") => &["verzoeker", "partijen"],
            Some("verweerder") => &["verweerder", "partijen"],
            _ => &[],
        },
        Role::Secretaris => &["secretaris"],
        Role::Bemiddelaar => &["bemiddelaar"],
        Role::Commissielid if chair => &["voorzitter"],
        Role::Commissielid | Role::Beheerder => &[],
    }
}

const ACTORS: [&str; 6] = [
    "secretaris",
    "verzoeker",
    "verweerder",
    "partijen",
    "bemiddelaar",
    "voorzitter",
];

impl TermRules {
    pub fn parse(file: &str, text: &str) -> Result<Self, PolicyFileError> {
        let fail = |entry: &str, message: String| PolicyFileError::new(file, entry, message);
        let raw: RawFile = toml::from_str(text).map_err(|e| fail("(file)", e.to_string()))?;
        let mut rules = BTreeMap::new();
        for (key, r) in raw.termijnen {
            let entry = format!("termijnen.{key}");
            let (phase, stage) = match r.begint.split_once('.') {
                None => (Phase::parse(&r.begint), None),
                Some((p, s)) => (Phase::parse(p), Stage::parse(s).map(Some).unwrap_or(None)),
            };
            let phase = phase.ok_or_else(|| fail(&entry, format!("begint: '{}' is not a phase", r.begint)))?;
            if r.begint.contains('.') && stage.is_none() {
                return Err(fail(&entry, format!("begint: '{}' names no stage", r.begint)));
            }
            if phase.is_closed() || phase == Phase::Concept {
                return Err(fail(&entry, format!("begint: no term runs in '{}'", r.begint)));
            }
            if let Some(step) = &r.eindigt_bij
                && !Step::is_named(step)
            {
                return Err(fail(&entry, format!("eindigt_bij: '{step}' is not a step")));
            }
            if let Some(step) = r.vervuld_door.iter().find(|s| !Step::is_named(s)) {
                return Err(fail(&entry, format!("vervuld_door: '{step}' is not a step")));
            }
            let term = Term::parse(&r.duur).map_err(|e| fail(&entry, format!("duur: {e}")))?;
            if !ACTORS.contains(&r.wie.as_str()) {
                return Err(fail(&entry, format!("wie: must be one of {}", ACTORS.join(", "))));
            }
            let extension = match r.verlenging {
                None => None,
                Some(x) => Some(Extension {
                    max: x.maximaal,
                    term: Term::parse(&x.duur).map_err(|e| fail(&entry, format!("verlenging.duur: {e}")))?,
                    consent_of_parties: x.instemming_partijen,
                }),
            };
            rules.insert(
                key.clone(),
                TermRule {
                    key,
                    label: r.label,
                    phase,
                    stage,
                    ends_with: r.eindigt_bij,
                    fulfilled_by: r.vervuld_door,
                    term,
                    who: r.wie,
                    atw: r.atw,
                    extension,
                },
            );
        }
        let reminders = match raw.herinneringen {
            None => ReminderPolicy::default(),
            Some(r) => {
                if r.werkdagen_voor.iter().chain(&r.dagen_voor).any(|n| *n == 0 || *n > 60) {
                    return Err(fail("herinneringen", "lead times are 1 to 60 days".into()));
                }
                ReminderPolicy {
                    working_days_before: r.werkdagen_voor,
                    days_before: r.dagen_voor,
                }
            }
        };
        Ok(TermRules { rules, reminders })
    }

    pub fn get(&self, key: &str) -> Option<&TermRule> {
        self.rules.get(key)
    }

    /// The terms that start when a case goes from `before` to `after` (phase, stage).
    pub fn starting(&self, before: (Phase, Option<Stage>), after: (Phase, Option<Stage>)) -> Vec<&TermRule> {
        self.rules
            .values()
            .filter(|r| {
                let now_in = r.phase == after.0 && (r.stage.is_none() || r.stage == after.1);
                let was_in = r.phase == before.0 && (r.stage.is_none() || r.stage == before.1);
                now_in && !was_in
            })
            .collect()
    }

    /// Whether the running term `key` ends when the case goes to `after` by `step`.
    /// How a term ends when `step` ends it: done as it asked, waived, lapsed with the case
    /// (withdrawn, settled, inadmissible), or not used because the case moved on without it.
    pub fn ending(&self, key: &str, step: &str) -> Ending {
        let fulfilled = self
            .rules
            .get(key)
            .is_none_or(|r| r.fulfilled_by.is_empty() || r.fulfilled_by.iter().any(|s| s == step));
        if fulfilled {
            Ending::Fulfilled
        } else if matches!(step, "waive-reply" | "waive-rejoinder") {
            Ending::Waived
        } else if matches!(step, "withdraw" | "settle" | "declare-inadmissible") {
            Ending::Lapsed
        } else {
            Ending::Unused
        }
    }

    pub fn ends(&self, key: &str, step: &str, after: (Phase, Option<Stage>)) -> bool {
        let Some(r) = self.rules.get(key) else {
            return true;
        };
        let still_in = r.phase == after.0 && (r.stage.is_none() || r.stage == after.1);
        !still_in || r.ends_with.as_deref() == Some(step)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = include_str!("../../../policies/termijnen.toml");

    #[test]
    fn each_term_waits_on_the_people_its_wie_names() {
        let rules = TermRules::parse("t", FILE).unwrap();
        let keys = |role, side, chair| {
            let who = waits_on(role, side, chair);
            rules
                .rules
                .values()
                .filter(|r| who.contains(&r.who.as_str()))
                .map(|r| r.key.as_str())
                .collect::<Vec<_>>()
        };
        assert_eq!(
            keys(Role::Gemeente, Some("verzoeker"), false),
            ["escalatie", "herstel_verzuim", "repliek"]
        );
        assert_eq!(
            keys(Role::Regio, Some("verweerder"), false),
            ["dupliek", "escalatie", "verweer"]
        );
        assert!(keys(Role::Aanbieder, None, false).is_empty(), "no side: not a party");
        assert_eq!(
            keys(Role::Secretaris, None, false),
            ["bemiddelaar_toewijzen", "ontvankelijkheid", "zitting"]
        );
        assert_eq!(keys(Role::Bemiddelaar, None, false), ["bemiddeling"]);
        assert_eq!(keys(Role::Commissielid, None, true), ["uitspraak"]);
        assert!(
            keys(Role::Commissielid, None, false).is_empty(),
            "a member who is not the chair"
        );
        assert!(keys(Role::Beheerder, None, false).is_empty());
        // Every term waits on someone.
        let all: std::collections::BTreeSet<&str> = [
            keys(Role::Gemeente, Some("verzoeker"), false),
            keys(Role::Gemeente, Some("verweerder"), false),
            keys(Role::Secretaris, None, false),
            keys(Role::Bemiddelaar, None, false),
            keys(Role::Commissielid, None, true),
        ]
        .concat()
        .into_iter()
        .collect();
        assert_eq!(all.len(), rules.rules.len());
    }

    #[test]
    fn the_default_terms_follow_the_domain() {
        let r = TermRules::parse("policies/termijnen.toml", FILE).unwrap();
        assert_eq!(r.get("ontvankelijkheid").unwrap().term, Term::weeks(2));
        assert_eq!(
            r.get("bemiddeling").unwrap().extension.as_ref().unwrap().term,
            Term::weeks(4)
        );
        assert!(
            r.get("bemiddeling")
                .unwrap()
                .extension
                .as_ref()
                .unwrap()
                .consent_of_parties
        );
        assert_eq!(r.get("verweer").unwrap().extension.as_ref().unwrap().max, 1);
        let keys = |v: Vec<&TermRule>| v.into_iter().map(|r| r.key.clone()).collect::<Vec<_>>();
        assert_eq!(
            keys(r.starting((Phase::Ingediend, None), (Phase::Bemiddeling, None))),
            ["bemiddelaar_toewijzen", "bemiddeling"]
        );
        assert_eq!(
            keys(r.starting(
                (Phase::Commissie, Some(Stage::Verweer)),
                (Phase::Commissie, Some(Stage::Repliek))
            )),
            ["repliek"]
        );
        assert!(r.ends("bemiddelaar_toewijzen", "assign-mediator", (Phase::Bemiddeling, None)));
        assert!(!r.ends("bemiddeling", "assign-mediator", (Phase::Bemiddeling, None)));
        assert!(r.ends("verweer", "submit-defence", (Phase::Commissie, Some(Stage::Repliek))));
        // Five working days and one day before: for Monday 18 May 2026 (after Ascension Day
        // and its equated Friday) that is Thursday 7 May and Sunday 17 May.
        let cal = Calendar::parse("f", include_str!("../../../policies/feestdagen.toml")).unwrap();
        let due = NaiveDate::from_ymd_opt(2026, 5, 18).unwrap();
        assert_eq!(
            r.reminders.dates(&cal, due),
            [
                NaiveDate::from_ymd_opt(2026, 5, 7).unwrap(),
                NaiveDate::from_ymd_opt(2026, 5, 17).unwrap()
            ]
        );
    }

    #[test]
    fn contradictions_are_named() {
        for (text, entry) in [
            (
                "[termijnen.x]\nlabel='x'\nbegint='nergens'\nduur='P2W'\nwie='secretaris'\natw=true",
                "termijnen.x",
            ),
            (
                "[termijnen.x]\nlabel='x'\nbegint='commissie.koffie'\nduur='P2W'\nwie='secretaris'\natw=true",
                "termijnen.x",
            ),
            (
                "[termijnen.x]\nlabel='x'\nbegint='ingediend'\nduur='2 weken'\nwie='secretaris'\natw=true",
                "termijnen.x",
            ),
            (
                "[termijnen.x]\nlabel='x'\nbegint='ingediend'\nduur='P2W'\nwie='iedereen'\natw=true",
                "termijnen.x",
            ),
            (
                "[termijnen.x]\nlabel='x'\nbegint='ingediend'\neindigt_bij='dansen'\nduur='P2W'\nwie='secretaris'\natw=true",
                "termijnen.x",
            ),
            (
                "[termijnen.x]\nlabel='x'\nbegint='uitspraak'\nduur='P2W'\nwie='secretaris'\natw=true",
                "termijnen.x",
            ),
        ] {
            assert_eq!(TermRules::parse("t.toml", text).unwrap_err().entry, entry, "{text}");
        }
    }
}
