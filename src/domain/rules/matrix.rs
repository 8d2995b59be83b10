//! The rule book as a table a lawyer or a privacy officer can read: every person in a case
//! (persona) × every situation a case can be in × every action → allowed, or why not.
//! Generated from [`may`](super::may) itself (`beslecht rules`), so it cannot drift from what
//! the service does; a snapshot test keeps it in the repository where every change is reviewed.

use chrono::{NaiveDate, TimeZone, Utc};
use serde_json::{Value, json};

use super::{Action, Situation, may, sees};
use crate::domain::{
    Role,
    procedure::{CaseState, Participant, PathRules, Phase, RefusalKind, Stage},
};

/// A person in a case, as the rule book names them.
pub struct Persona {
    pub key: &'static str,
    pub who: Participant,
}

/// The personas: both sides of the dispute, and every official assigned to the case.
pub fn personas() -> Vec<Persona> {
    let role = |r| Participant {
        role: Some(r),
        ..Default::default()
    };
    vec![
        Persona {
            key: "verzoeker",
            who: Participant {
                claimant: true,
                filer: true,
                ..role(Role::Gemeente)
            },
        },
        Persona {
            key: "verweerder",
            who: Participant {
                respondent: true,
                ..role(Role::Regio)
            },
        },
        Persona {
            key: "secretaris",
            who: role(Role::Secretaris),
        },
        Persona {
            key: "bemiddelaar",
            who: Participant {
                mediator: true,
                ..role(Role::Bemiddelaar)
            },
        },
        Persona {
            key: "voorzitter",
            who: Participant {
                chair: true,
                ..role(Role::Commissielid)
            },
        },
        Persona {
            key: "commissielid",
            who: Participant {
                member: true,
                ..role(Role::Commissielid)
            },
        },
    ]
}

/// A situation a case can be in, with a line saying what it is.
pub struct Example {
    pub key: String,
    pub description: &'static str,
    pub situation: Situation,
}

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 6, d).expect("a June date")
}

/// The situations the rule book shows: every phase and stage, and the moments within them
/// that change what may happen (a term running or passed, a hearing ahead or held, a
/// suspension). "Today" is 10 June 2026 in each.
pub fn situations(written_procedure: bool) -> Vec<Example> {
    let now = Utc.with_ymd_and_hms(2026, 6, 10, 10, 0, 0).single().expect("a moment");
    let base = Situation {
        state: CaseState::new(),
        paths: PathRules {
            mediation: true,
            commission: true,
        },
        written_procedure,
        submitted: true,
        suspended: false,
        notes_released: false,
        hearing_at: None,
        written_term_due: None,
        extendable_term: true,
        ruled: false,
        open_obligations: Default::default(),
        now,
        today: day(10),
    };
    let at = |phase: Phase, stage: Option<Stage>, mediator: bool, commission: bool| Situation {
        state: CaseState {
            phase,
            stage,
            mediator_assigned: mediator,
            commission_assigned: commission,
        },
        ..base
    };
    let c = |stage| at(Phase::Commissie, Some(stage), true, true);
    let ahead = Some(Utc.with_ymd_and_hms(2026, 6, 24, 10, 0, 0).single().expect("a moment"));
    let held = Some(Utc.with_ymd_and_hms(2026, 6, 9, 10, 0, 0).single().expect("a moment"));
    let mut list = vec![
        (
            "concept",
            "written by its filer, not yet submitted",
            Situation {
                submitted: false,
                ..at(Phase::Concept, None, false, false)
            },
        ),
        (
            "ingediend",
            "filed; the secretary decides on admissibility",
            at(Phase::Ingediend, None, false, false),
        ),
        (
            "herstel_verzuim",
            "the claimant was asked to complete the filing",
            at(Phase::HerstelVerzuim, None, false, false),
        ),
        (
            "bemiddeling",
            "in mediation, no mediator assigned yet",
            at(Phase::Bemiddeling, None, false, false),
        ),
        (
            "bemiddeling+bemiddelaar",
            "in mediation with the assigned mediator",
            at(Phase::Bemiddeling, None, true, false),
        ),
        (
            "bemiddeling_beeindigd",
            "mediation ended without full agreement",
            at(Phase::BemiddelingBeeindigd, None, true, false),
        ),
        (
            "commissie.verweer",
            "before the commission, no members assigned yet, defence awaited",
            at(Phase::Commissie, Some(Stage::Verweer), true, false),
        ),
        (
            "commissie.verweer+commissie",
            "defence awaited, chair and members assigned",
            c(Stage::Verweer),
        ),
        (
            "commissie.verweer+opgeschort",
            "defence awaited, handling suspended",
            Situation {
                suspended: true,
                ..c(Stage::Verweer)
            },
        ),
        (
            "commissie.repliek+termijn_loopt",
            "defence received; the reply term runs until 15 June",
            Situation {
                written_term_due: Some(day(15)),
                ..c(Stage::Repliek)
            },
        ),
        (
            "commissie.repliek+termijn_voorbij",
            "the reply term ended on 5 June without a reply",
            Situation {
                written_term_due: Some(day(5)),
                ..c(Stage::Repliek)
            },
        ),
        (
            "commissie.dupliek+termijn_loopt",
            "reply received; the rejoinder term runs until 15 June",
            Situation {
                written_term_due: Some(day(15)),
                ..c(Stage::Dupliek)
            },
        ),
        (
            "commissie.zitting_voorbereiding",
            "the written round is closed; the hearing is to be scheduled",
            c(Stage::ZittingVoorbereiding),
        ),
        (
            "commissie.zitting+gepland",
            "the hearing is scheduled for 24 June",
            Situation {
                hearing_at: ahead,
                ..c(Stage::Zitting)
            },
        ),
        (
            "commissie.zitting+gehouden",
            "the hearing was scheduled for 9 June and has taken place",
            Situation {
                hearing_at: held,
                ..c(Stage::Zitting)
            },
        ),
        (
            "commissie.beraadslaging",
            "the hearing was recorded; the commission deliberates",
            Situation {
                hearing_at: held,
                ..c(Stage::Beraadslaging)
            },
        ),
        (
            "commissie.beraadslaging+vrijgegeven",
            "deliberation, and every party released the mediation notes",
            Situation {
                hearing_at: held,
                notes_released: true,
                ..c(Stage::Beraadslaging)
            },
        ),
        (
            "uitspraak",
            "the ruling was adopted (closed); an obligation of each side runs",
            Situation {
                ruled: true,
                open_obligations: crate::domain::obligation::OpenObligations {
                    verzoeker: true,
                    verweerder: true,
                    partijen: true,
                },
                ..at(Phase::Uitspraak, None, true, true)
            },
        ),
        (
            "ingetrokken",
            "withdrawn by the claimant (closed)",
            at(Phase::Ingetrokken, None, false, false),
        ),
        ("geschikt", "settled (closed)", at(Phase::Geschikt, None, true, false)),
        (
            "niet_ontvankelijk",
            "declared inadmissible (closed)",
            at(Phase::NietOntvankelijk, None, false, false),
        ),
    ];
    list.drain(..)
        .map(|(key, description, situation)| Example {
            key: key.into(),
            description,
            situation,
        })
        .collect()
}

/// One cell: allowed, or the refusal's status and reasons; `None` where the persona does not
/// see the case at all (404).
fn cell(s: &Situation, who: &Participant, action: Action) -> Option<Result<(), (u16, String, String)>> {
    if !sees(s.submitted, who) {
        return None;
    }
    Some(may(s, who, action).map_err(|r| {
        let status = match r.kind {
            RefusalKind::Forbidden => 403,
            RefusalKind::Conflict => 409,
        };
        (status, r.reason, r.reason_nl)
    }))
}

/// The rule book as markdown: one table per situation, and the reasons as numbered notes.
pub fn markdown(written_procedure: bool) -> String {
    let personas = personas();
    let mut reasons: Vec<(String, String)> = Vec::new();
    let mut out = String::new();
    out.push_str("# The rule book: who may do what in a case, and when\n\n");
    out.push_str(
        "Generated by `beslecht rules` from `src/domain/rules` — the same function the service asks \
         for every action. Do not edit by hand.\n\n",
    );
    out.push_str(
        "Each table is one situation a case can be in (\"today\" is 10 June 2026), for a kind of dispute \
         whose reglement opens both mediation and the commission. `✓` allowed; `403 [n]` never for this \
         person in this case; `409 [n]` not now; `—` the person does not see the case (answered 404, as if \
         it did not exist). Reasons `[n]` are listed at the end. People who are not in the case (another \
         municipality, an unassigned mediator or member, the administrator) see no case and appear in no table.\n\n",
    );
    if written_procedure {
        out.push_str("The reglement allows a decision without a hearing when every party agrees.\n\n");
    } else {
        out.push_str("The reglement does not allow a decision without a hearing.\n\n");
    }
    for ex in situations(written_procedure) {
        out.push_str(&format!("## {} — {}\n\n| action |", ex.key, ex.description));
        for p in &personas {
            out.push_str(&format!(" {} |", p.key));
        }
        out.push_str("\n|---|");
        out.push_str(&"---|".repeat(personas.len()));
        out.push('\n');
        for action in Action::all() {
            out.push_str(&format!("| {} |", action.label()));
            for p in &personas {
                let text = match cell(&ex.situation, &p.who, action) {
                    None => "—".to_owned(),
                    Some(Ok(())) => "✓".to_owned(),
                    Some(Err((status, en, nl))) => {
                        let n = match reasons.iter().position(|r| r.0 == nl && r.1 == en) {
                            Some(i) => i + 1,
                            None => {
                                reasons.push((nl, en));
                                reasons.len()
                            }
                        };
                        format!("{status} [{n}]")
                    }
                };
                out.push_str(&format!(" {text} |"));
            }
            out.push('\n');
        }
        out.push('\n');
    }
    out.push_str("## Reasons\n\n");
    for (i, (nl, en)) in reasons.iter().enumerate() {
        out.push_str(&format!("{}. {nl} — *{en}*\n", i + 1));
    }
    out
}

/// The rule book as JSON: personas, situations, and for each situation every action with
/// each persona's answer.
pub fn json(written_procedure: bool) -> Value {
    let personas = personas();
    let situations: Vec<Value> = situations(written_procedure)
        .into_iter()
        .map(|ex| {
            let actions: Vec<Value> = Action::all()
                .into_iter()
                .map(|action| {
                    let answers: serde_json::Map<String, Value> = personas
                        .iter()
                        .map(|p| {
                            let v = match cell(&ex.situation, &p.who, action) {
                                None => json!({ "allowed": false, "status": 404, "reason": "does not see the case" }),
                                Some(Ok(())) => json!({ "allowed": true }),
                                Some(Err((status, en, nl))) => {
                                    json!({ "allowed": false, "status": status, "reason": en, "reason_nl": nl })
                                }
                            };
                            (p.key.to_owned(), v)
                        })
                        .collect();
                    json!({ "action": action.name(), "label": action.label(), "answers": answers })
                })
                .collect();
            json!({ "key": ex.key, "description": ex.description, "actions": actions })
        })
        .collect();
    json!({
        "personas": personas.iter().map(|p| p.key).collect::<Vec<_>>(),
        "written_procedure": written_procedure,
        "situations": situations,
    })
}
