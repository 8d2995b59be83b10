use std::collections::{HashSet, VecDeque};

use proptest::prelude::*;

use super::*;
use crate::domain::Role;

const OPEN: PathRules = PathRules {
    mediation: true,
    commission: true,
};
const NO_MEDIATION: PathRules = PathRules {
    mediation: false,
    commission: true,
};
const NO_COMMISSION: PathRules = PathRules {
    mediation: true,
    commission: false,
};
const RULES: [PathRules; 3] = [OPEN, NO_MEDIATION, NO_COMMISSION];

fn who(role: Role) -> Participant {
    Participant {
        role: Some(role),
        ..Default::default()
    }
}
fn claimant() -> Participant {
    Participant {
        claimant: true,
        ..who(Role::Gemeente)
    }
}
fn respondent() -> Participant {
    Participant {
        respondent: true,
        ..who(Role::Regio)
    }
}
fn secretary() -> Participant {
    who(Role::Secretaris)
}
fn mediator() -> Participant {
    Participant {
        mediator: true,
        ..who(Role::Bemiddelaar)
    }
}
fn chair() -> Participant {
    Participant {
        chair: true,
        ..who(Role::Commissielid)
    }
}

/// Every kind of caller: the parties, outsiders, each official assigned or not, nobody.
fn everyone() -> Vec<Participant> {
    vec![
        claimant(),
        respondent(),
        Participant {
            claimant: true,
            ..who(Role::Aanbieder)
        },
        Participant {
            respondent: true,
            ..who(Role::Aanbieder)
        },
        who(Role::Gemeente),
        secretary(),
        mediator(),
        who(Role::Bemiddelaar),
        chair(),
        who(Role::Commissielid),
        who(Role::Beheerder),
        Participant::default(),
        // Inconsistent flags must not grant anything beyond the role's own rules.
        Participant {
            claimant: true,
            respondent: true,
            mediator: true,
            chair: true,
            ..who(Role::Beheerder)
        },
    ]
}

fn run(steps: &[(Step, Participant)], rules: &PathRules) -> CaseState {
    steps.iter().fold(CaseState::new(), |state, (step, p)| {
        decide(&state, *step, p, rules).unwrap_or_else(|r| panic!("{} in {state:?}: {}", step.name(), r.reason))
    })
}

#[test]
fn a_dispute_settled_in_mediation() {
    let s = run(
        &[
            (Step::Submit, claimant()),
            (Step::Admit(Path::Bemiddeling), secretary()),
            (Step::AssignMediator, secretary()),
            (
                Step::RecordMediationOutcome(MediationOutcome::Overeenstemming),
                mediator(),
            ),
        ],
        &OPEN,
    );
    assert_eq!((s.phase, s.stage), (Phase::Geschikt, None));
}

#[test]
fn a_dispute_through_failed_mediation_to_a_ruling_with_the_full_written_round() {
    let s = run(
        &[
            (Step::Submit, claimant()),
            (Step::RequestCompletion, secretary()),
            (Step::Complete, claimant()),
            (Step::Admit(Path::Bemiddeling), secretary()),
            (Step::AssignMediator, secretary()),
            (Step::RecordMediationOutcome(MediationOutcome::Mislukt), mediator()),
            (Step::Escalate, claimant()),
            (Step::AssignCommission, secretary()),
            (Step::SubmitDefence, respondent()),
            (Step::SubmitReply, claimant()),
            (Step::SubmitRejoinder, respondent()),
            (Step::ScheduleHearing, secretary()),
            (Step::ScheduleHearing, secretary()),
            (Step::RecordHearing, chair()),
            (Step::AdoptRuling, chair()),
        ],
        &OPEN,
    );
    assert_eq!((s.phase, s.stage), (Phase::Uitspraak, None));
}

#[test]
fn straight_to_the_commission_and_the_hearing_right_after_the_defence() {
    let s = run(
        &[
            (Step::Submit, claimant()),
            (Step::Admit(Path::Commissie), secretary()),
            (Step::SubmitDefence, respondent()),
            (Step::AssignCommission, secretary()),
            (Step::ScheduleHearing, secretary()),
            (Step::RecordHearing, secretary()),
        ],
        &NO_MEDIATION,
    );
    assert_eq!((s.phase, s.stage), (Phase::Commissie, Some(Stage::Beraadslaging)));
}

#[test]
fn refusals_name_the_actor_or_the_state() {
    let filed = run(&[(Step::Submit, claimant())], &OPEN);
    let r = decide(&filed, Step::Admit(Path::Bemiddeling), &claimant(), &OPEN).unwrap_err();
    assert_eq!(r.kind, RefusalKind::Forbidden);
    assert_eq!(r.reason, "only the secretary may admit");
    let r = decide(&filed, Step::SubmitDefence, &respondent(), &OPEN).unwrap_err();
    assert_eq!(r.kind, RefusalKind::Conflict);
    assert_eq!(r.reason, "submit-defence is not possible while the case is ingediend");
    let r = decide(&filed, Step::Admit(Path::Bemiddeling), &secretary(), &NO_MEDIATION).unwrap_err();
    assert!(r.reason.contains("mediation"), "{}", r.reason);
    let mediation = run(
        &[
            (Step::Submit, claimant()),
            (Step::Admit(Path::Bemiddeling), secretary()),
        ],
        &OPEN,
    );
    let r = decide(
        &mediation,
        Step::RecordMediationOutcome(MediationOutcome::Deels),
        &mediator(),
        &OPEN,
    )
    .unwrap_err();
    assert!(r.reason.contains("no mediator"), "{}", r.reason);
    let commission = run(
        &[
            (Step::Submit, claimant()),
            (Step::Admit(Path::Commissie), secretary()),
            (Step::SubmitDefence, respondent()),
        ],
        &OPEN,
    );
    let r = decide(&commission, Step::ScheduleHearing, &secretary(), &OPEN).unwrap_err();
    assert!(r.reason.contains("assign the chair"), "{}", r.reason);
}

/// Every state reachable from a new case under `rules`, by anyone.
fn reachable(rules: &PathRules) -> HashSet<CaseState> {
    let mut seen = HashSet::from([CaseState::new()]);
    let mut queue = VecDeque::from([CaseState::new()]);
    while let Some(state) = queue.pop_front() {
        for step in Step::ALL {
            for p in everyone() {
                if let Ok(next) = decide(&state, step, &p, rules)
                    && seen.insert(next)
                {
                    queue.push_back(next);
                }
            }
        }
    }
    seen
}

/// The phase changes the procedure of domain.md §5 allows (staying in a phase included).
fn allowed_edge(from: Phase, to: Phase) -> bool {
    use Phase::*;
    from == to && matches!(from, Bemiddeling | Commissie)
        || matches!(
            (from, to),
            (Concept, Ingediend)
                | (Ingediend, HerstelVerzuim | Bemiddeling | Commissie | NietOntvankelijk)
                | (HerstelVerzuim, Ingediend | NietOntvankelijk)
                | (Bemiddeling, Geschikt | BemiddelingBeeindigd)
                | (BemiddelingBeeindigd, Commissie)
                | (Commissie, Uitspraak)
        )
        || (!from.is_closed() && to == Ingetrokken)
        || (!from.is_closed() && from != Concept && to == Geschikt)
}

#[test]
fn every_transition_of_every_reachable_state_follows_the_procedure() {
    for rules in RULES {
        let states = reachable(&rules);
        assert!(
            states.len() >= 10,
            "the search explores the procedure: {}",
            states.len()
        );
        for state in &states {
            assert_eq!(state.stage.is_some(), state.phase == Phase::Commissie, "{state:?}");
            for step in Step::ALL {
                for p in everyone() {
                    match decide(state, step, &p, &rules) {
                        Ok(next) => {
                            assert!(
                                allowed_edge(state.phase, next.phase),
                                "{:?} -{}-> {:?}",
                                state.phase,
                                step.name(),
                                next.phase
                            );
                            assert!(!state.phase.is_closed());
                            assert_ne!(p.role, Some(Role::Beheerder), "the administrator takes no step");
                            if next.phase == Phase::Uitspraak {
                                assert_eq!(state.stage, Some(Stage::Beraadslaging));
                                assert!(p.chair && p.role == Some(Role::Commissielid));
                            }
                            if state.phase == Phase::Commissie && next.stage == Some(Stage::Zitting) {
                                assert!(state.commission_assigned, "no hearing without a commission");
                            }
                        }
                        Err(r) => {
                            assert!(!r.reason.is_empty() && !r.reason_nl.is_empty());
                            // Being refused as the wrong person never depends on the case's state.
                            let forbidden_anywhere = decide(&CaseState::new(), step, &p, &rules)
                                .err()
                                .is_some_and(|r| r.kind == RefusalKind::Forbidden);
                            assert_eq!(
                                r.kind == RefusalKind::Forbidden,
                                forbidden_anywhere,
                                "{} {p:?} {state:?}",
                                step.name()
                            );
                        }
                    }
                }
            }
        }
    }
}

#[test]
fn closed_cases_take_no_step_and_open_ones_can_always_be_withdrawn_by_the_claimant() {
    for rules in RULES {
        for state in reachable(&rules) {
            let any = everyone()
                .iter()
                .any(|p| !available_steps(&state, p, &rules).is_empty());
            assert_eq!(any, !state.phase.is_closed(), "{state:?}");
            if !state.phase.is_closed() {
                assert!(available_steps(&state, &claimant(), &rules).contains(&Step::Withdraw));
                assert!(!available_steps(&state, &respondent(), &rules).contains(&Step::Withdraw));
            }
        }
    }
}

#[test]
fn the_reglement_closes_paths() {
    let phases = |rules: &PathRules| reachable(rules).into_iter().map(|s| s.phase).collect::<HashSet<_>>();
    assert!(!phases(&NO_MEDIATION).contains(&Phase::Bemiddeling));
    assert!(!phases(&NO_COMMISSION).contains(&Phase::Commissie));
    assert!(!phases(&NO_COMMISSION).contains(&Phase::Uitspraak));
    assert_eq!(phases(&OPEN).len(), Phase::ALL.len());
}

#[test]
fn names_round_trip() {
    for p in Phase::ALL {
        assert_eq!(Phase::parse(p.as_str()), Some(p));
    }
    for s in Stage::ALL {
        assert_eq!(Stage::parse(s.as_str()), Some(s));
    }
    for s in Step::ALL {
        assert!(Step::is_named(s.name()) && !s.nl().is_empty());
    }
    assert!(!Step::is_named("delete-everything"));
}

proptest! {
    /// Random sequences of steps by random callers: refusals change nothing, whatever
    /// happens stays inside the procedure, and the audit trail (one entry per accepted
    /// step, as the service writes it) always verifies and is exactly as long as the steps.
    #[test]
    fn random_walks_stay_inside_the_procedure(
        moves in proptest::collection::vec((0..Step::ALL.len(), 0..13usize), 0..60),
        rules in 0..RULES.len(),
    ) {
        use crate::domain::audit_chain::{self, EntryContent};
        let rules = RULES[rules];
        let people = everyone();
        let mut state = CaseState::new();
        let entry = |action: &str, before: &CaseState, after: &CaseState| EntryContent {
            sequence: 0,
            occurred_at: chrono::DateTime::UNIX_EPOCH,
            actor: "proptest".into(),
            organisation: None,
            action: action.into(),
            subject: "case GS-2026-0001".into(),
            reason: None,
            before: Some(serde_json::json!({"phase": before.phase, "stage": before.stage})),
            after: Some(serde_json::json!({"phase": after.phase, "stage": after.stage})),
        };
        let mut trail = vec![audit_chain::append(None, entry("case.create", &state, &state))];
        for (step, person) in moves {
            let step = Step::ALL[step];
            if let Ok(next) = decide(&state, step, &people[person], &rules) {
                prop_assert!(allowed_edge(state.phase, next.phase));
                prop_assert!(!state.phase.is_closed());
                let e = audit_chain::append(trail.last(), entry(step.name(), &state, &next));
                trail.push(e);
                state = next;
            }
            prop_assert_eq!(state.stage.is_some(), state.phase == Phase::Commissie);
        }
        prop_assert_eq!(audit_chain::verify(&trail), Ok(trail.len() as u64));
        let last = trail.last().and_then(|e| e.content.after.clone());
        prop_assert_eq!(last, Some(serde_json::json!({"phase": state.phase, "stage": state.stage})));
    }
}
