use chrono::{Duration, NaiveDate, TimeZone, Utc};
use proptest::prelude::*;

use super::*;
use crate::domain::{
    Role,
    documents::{Audience, DocumentKind},
    obligation::{Obligor, OpenObligations},
    procedure::{CaseState, MediationOutcome, PathRules, Phase, Stage, Step},
};

fn situation(phase: Phase, stage: Option<Stage>) -> Situation {
    let now = Utc.with_ymd_and_hms(2026, 11, 28, 10, 0, 0).single().unwrap();
    Situation {
        state: CaseState {
            phase,
            stage,
            mediator_assigned: true,
            commission_assigned: true,
        },
        paths: PathRules {
            mediation: true,
            commission: true,
        },
        written_procedure: true,
        submitted: phase != Phase::Concept,
        suspended: false,
        notes_released: false,
        hearing_at: None,
        written_term_due: None,
        extendable_term: true,
        ruled: phase == Phase::Uitspraak,
        open_obligations: OpenObligations::default(),
        now,
        today: NaiveDate::from_ymd_opt(2026, 11, 28).unwrap(),
    }
}

fn person(role: Role) -> Participant {
    Participant {
        role: Some(role),
        ..Default::default()
    }
}
fn claimant() -> Participant {
    Participant {
        claimant: true,
        ..person(Role::Gemeente)
    }
}
fn respondent() -> Participant {
    Participant {
        respondent: true,
        ..person(Role::Gemeente)
    }
}
fn secretary() -> Participant {
    person(Role::Secretaris)
}
fn chair() -> Participant {
    Participant {
        chair: true,
        ..person(Role::Commissielid)
    }
}
fn member() -> Participant {
    Participant {
        member: true,
        ..person(Role::Commissielid)
    }
}
fn mediator() -> Participant {
    Participant {
        mediator: true,
        ..person(Role::Bemiddelaar)
    }
}

fn conflict(r: Result<impl std::fmt::Debug, Refusal>) -> Refusal {
    let refusal = r.expect_err("refused");
    assert_eq!(refusal.kind, RefusalKind::Conflict, "{refusal:?}");
    refusal
}

#[test]
fn a_hearing_is_recorded_only_once_its_time_has_come() {
    let mut s = situation(Phase::Commissie, Some(Stage::Zitting));
    s.hearing_at = Some(s.now + Duration::days(14));
    let r = conflict(step(&s, &secretary(), Step::RecordHearing));
    assert!(r.reason_nl.contains("12 december 2026 om 11:00"), "{}", r.reason_nl);
    s.hearing_at = Some(s.now - Duration::minutes(1));
    assert!(step(&s, &secretary(), Step::RecordHearing).is_ok());
    assert!(step(&s, &chair(), Step::RecordHearing).is_ok());
}

#[test]
fn the_ruling_is_adopted_only_after_the_hearing_or_without_one_where_allowed() {
    for stage in [
        Stage::Verweer,
        Stage::Repliek,
        Stage::Dupliek,
        Stage::ZittingVoorbereiding,
        Stage::Zitting,
    ] {
        conflict(step(
            &situation(Phase::Commissie, Some(stage)),
            &chair(),
            Step::AdoptRuling,
        ));
    }
    assert!(
        step(
            &situation(Phase::Commissie, Some(Stage::Beraadslaging)),
            &chair(),
            Step::AdoptRuling
        )
        .is_ok()
    );
    let written = situation(Phase::Commissie, Some(Stage::ZittingVoorbereiding));
    let next = step(&written, &secretary(), Step::DecideWithoutHearing).unwrap();
    assert_eq!(next.stage, Some(Stage::Beraadslaging));
    let no_written = Situation {
        written_procedure: false,
        ..written
    };
    conflict(step(&no_written, &secretary(), Step::DecideWithoutHearing));
}

#[test]
fn the_written_round_waits_for_a_running_term_unless_it_is_waived() {
    let mut s = situation(Phase::Commissie, Some(Stage::Repliek));
    s.written_term_due = Some(s.today);
    let r = conflict(step(&s, &secretary(), Step::ScheduleHearing));
    assert!(r.reason_nl.contains("28 november 2026"), "{}", r.reason_nl);
    conflict(step(&s, &secretary(), Step::DecideWithoutHearing));
    // The claimant waives: the round is closed.
    let next = step(&s, &claimant(), Step::WaiveReply).unwrap();
    assert_eq!(next.stage, Some(Stage::ZittingVoorbereiding));
    assert_eq!(
        step(&s, &respondent(), Step::WaiveReply).unwrap_err().kind,
        RefusalKind::Forbidden
    );
    // The day after the last day the secretary moves on.
    s.today = s.today.succ_opt().unwrap();
    assert!(step(&s, &secretary(), Step::ScheduleHearing).is_ok());

    let mut d = situation(Phase::Commissie, Some(Stage::Dupliek));
    d.written_term_due = Some(d.today);
    conflict(step(&d, &secretary(), Step::ScheduleHearing));
    assert_eq!(
        step(&d, &respondent(), Step::WaiveRejoinder).unwrap().stage,
        Some(Stage::ZittingVoorbereiding)
    );
}

#[test]
fn a_suspended_case_takes_no_step_but_withdrawal_and_settlement() {
    let mut s = situation(Phase::Commissie, Some(Stage::Verweer));
    s.suspended = true;
    conflict(step(&s, &respondent(), Step::SubmitDefence));
    assert!(step(&s, &claimant(), Step::Withdraw).is_ok());
    assert!(step(&s, &secretary(), Step::Settle).is_ok());
    assert!(may(&s, &secretary(), Action::Resume).is_ok());
    conflict(may(&s, &secretary(), Action::Suspend));
}

#[test]
fn the_mediation_wall_does_not_depend_on_organisations() {
    let s = situation(Phase::Commissie, Some(Stage::Beraadslaging));
    for kind in DocumentKind::ALL {
        assert!(may(&s, &secretary(), Action::AddDocument(*kind, Audience::Bemiddeling)).is_err());
    }
    let unreleased = Action::ReadDocument {
        audience: Audience::Bemiddeling,
        own: false,
    };
    for who in [secretary(), chair(), member()] {
        assert!(may(&s, &who, unreleased).is_err());
        assert!(may(&s, &who, Action::ReadMediationNotes).is_err());
    }
    let released = Situation {
        notes_released: true,
        ..s
    };
    for who in [secretary(), chair(), member()] {
        assert!(may(&released, &who, unreleased).is_ok());
    }
}

#[test]
fn messages_are_written_only_while_the_case_is_open() {
    for phase in Phase::ALL {
        let s = situation(phase, (phase == Phase::Commissie).then_some(Stage::Verweer));
        let r = may(&s, &claimant(), Action::SendMessage);
        assert_eq!(r.is_ok(), s.is_open(), "{phase:?}");
        assert!(may(&s, &chair(), Action::SendMessage).is_err());
    }
}

#[test]
fn the_rule_book_prints_every_situation_and_reason() {
    let md = matrix::markdown(true);
    for ex in matrix::situations(true) {
        assert!(md.contains(&format!("## {} —", ex.key)));
    }
    assert!(md.contains("| adopt-ruling |"));
    let json = matrix::json(true);
    assert_eq!(
        json["situations"].as_array().unwrap().len(),
        matrix::situations(true).len()
    );
}

fn any_phase_and_stage() -> impl Strategy<Value = (Phase, Option<Stage>)> {
    (0..Phase::ALL.len(), 0..Stage::ALL.len()).prop_map(|(p, s)| {
        let phase = Phase::ALL[p];
        (phase, (phase == Phase::Commissie).then_some(Stage::ALL[s]))
    })
}

prop_compose! {
    fn any_situation()((phase, stage) in any_phase_and_stage(), flags in proptest::collection::vec(any::<bool>(), 12),
                       hearing in -30i64..30, due in -10i64..10) -> Situation {
        let mut s = situation(phase, stage);
        s.state.mediator_assigned = flags[0];
        s.state.commission_assigned = flags[1];
        s.suspended = flags[2];
        s.notes_released = flags[3];
        s.written_procedure = flags[4];
        s.submitted = phase != Phase::Concept || flags[5];
        s.hearing_at = flags[6].then(|| s.now + Duration::days(hearing));
        s.written_term_due = flags[7].then(|| s.today + Duration::days(due));
        s.extendable_term = flags[8];
        s.open_obligations = OpenObligations { verzoeker: flags[9], verweerder: flags[10], partijen: flags[11] };
        s
    }
}

prop_compose! {
    fn any_participant()(role in 0..Role::ALL.len(), flags in proptest::collection::vec(any::<bool>(), 7)) -> Participant {
        Participant {
            role: Some(Role::ALL[role]),
            claimant: flags[0],
            respondent: flags[1],
            mediator: flags[2],
            chair: flags[3],
            member: flags[4],
            filer: flags[5],
            released_notes: flags[6],
        }
    }
}

proptest! {
    #[test]
    fn available_is_exactly_what_may_allows(s in any_situation(), who in any_participant()) {
        let offered = available(&s, &who);
        for action in Action::all() {
            prop_assert_eq!(offered.contains(&action), may(&s, &who, action).is_ok(), "{:?}", action);
        }
        let names = available_names(&s, &who);
        for action in &offered {
            prop_assert!(names.contains(&action.name()));
        }
    }

    #[test]
    fn an_allowed_step_goes_where_the_machine_says(s in any_situation(), who in any_participant()) {
        for st in Step::ALL {
            if let Ok(next) = step(&s, &who, st) {
                prop_assert_eq!(Ok(next), crate::domain::procedure::decide(&s.state, st, &who, &s.paths));
            }
        }
    }

    #[test]
    fn time_and_suspension_hold_for_every_case(s in any_situation(), who in any_participant()) {
        if s.hearing_at.is_some_and(|at| at > s.now) {
            prop_assert!(step(&s, &who, Step::RecordHearing).is_err());
        }
        if matches!(s.state.stage, Some(Stage::Repliek | Stage::Dupliek)) && s.written_term_due.is_some_and(|d| s.today <= d) {
            prop_assert!(step(&s, &who, Step::ScheduleHearing).is_err());
            prop_assert!(step(&s, &who, Step::DecideWithoutHearing).is_err());
        }
        if s.suspended {
            for st in Step::ALL {
                if !matches!(st, Step::Withdraw | Step::Settle) {
                    prop_assert!(step(&s, &who, st).is_err());
                }
            }
        }
    }

    #[test]
    fn a_closed_case_only_reads_and_files_the_commissions_own_pieces(s in any_situation(), who in any_participant()) {
        prop_assume!(s.state.phase.is_closed());
        for action in available(&s, &who) {
            let allowed = match action {
                Action::ReadAudit | Action::ReadMessages | Action::ReadMediationNotes | Action::ReadDocument { .. }
                | Action::ReadAccessLog { .. } | Action::ReadRulingDraft | Action::CorrectRuling => true,
                // The secretary keeps the file in order after closing: withdrawing a piece
                // filed by mistake, and new versions of the commission's own pieces.
                Action::WithdrawDocument { .. } | Action::ReplaceDocument { .. } | Action::PublishRuling | Action::RecordChallenge
                | Action::RecordObligation | Action::CancelObligation { .. } => who.role == Some(Role::Secretaris),
                // What the ruling orders is reported done by the side it binds.
                Action::ReportObligation { obligor, open } => open && s.open_obligations.has(obligor)
                    && (who.role == Some(Role::Secretaris) || obligor.binds(who.claimant, who.respondent)),
                Action::AddDocument(kind, _) => kind.is_commission_document() && who.role == Some(Role::Secretaris),
                _ => false,
            };
            prop_assert!(allowed, "{:?} is allowed in {:?}", action, s.state.phase);
        }
    }

    #[test]
    fn the_mediation_wall_holds_until_every_party_released(s in any_situation(), who in any_participant()) {
        prop_assume!(!s.notes_released);
        let outside = !(who.role == Some(Role::Bemiddelaar) && who.mediator)
            && !(matches!(who.role, Some(Role::Gemeente | Role::Regio | Role::Aanbieder)) && (who.claimant || who.respondent));
        if outside {
            prop_assert!(may(&s, &who, Action::ReadMediationNotes).is_err());
            let read = Action::ReadDocument { audience: Audience::Bemiddeling, own: false };
            prop_assert!(may(&s, &who, read).is_err());
            for kind in DocumentKind::ALL {
                prop_assert!(may(&s, &who, Action::AddDocument(*kind, Audience::Bemiddeling)).is_err());
            }
        }
    }

    #[test]
    fn forbidden_does_not_depend_on_time(s in any_situation(), who in any_participant(), days in 1i64..60) {
        let later = Situation { now: s.now + Duration::days(days), today: s.today + Duration::days(days), ..s };
        for action in Action::all() {
            let forbidden = |r: Result<(), Refusal>| r.is_err_and(|r| r.kind == RefusalKind::Forbidden);
            prop_assert_eq!(forbidden(may(&s, &who, action)), forbidden(may(&later, &who, action)), "{:?}", action);
        }
    }
}

#[test]
fn only_the_mediator_records_the_outcome() {
    let s = situation(Phase::Bemiddeling, None);
    let outcome = Action::Step(Step::RecordMediationOutcome(MediationOutcome::Mislukt));
    assert!(may(&s, &mediator(), outcome).is_ok());
    assert_eq!(may(&s, &secretary(), outcome).unwrap_err().kind, RefusalKind::Forbidden);
}

/// The rule book as printed by `beslecht rules` is kept in `policies/regelboek.md`, where a
/// reviewer reads every change. After an intended change of the rules, run
/// `BESLECHT_UPDATE_RULES=1 cargo test rule_book_snapshot` and review the diff.
#[test]
fn rule_book_snapshot() {
    let reglement =
        crate::domain::reglement::Reglement::parse("reglement.toml", include_str!("../../../policies/reglement.toml"))
            .unwrap();
    let printed = matrix::markdown(reglement.written_procedure);
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/policies/regelboek.md");
    if std::env::var_os("BESLECHT_UPDATE_RULES").is_some() {
        std::fs::write(path, &printed).unwrap();
    }
    let kept = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        kept == printed,
        "policies/regelboek.md differs from the rule book; run BESLECHT_UPDATE_RULES=1 cargo test rule_book_snapshot and review the diff"
    );
}

#[test]
fn a_term_is_extended_as_often_and_with_whose_consent_the_reglement_says() {
    let rules =
        crate::domain::terms::TermRules::parse("termijnen.toml", include_str!("../../../policies/termijnen.toml"))
            .unwrap();
    let mediation = rules.get("bemiddeling").unwrap();
    assert_eq!(
        term_extension(mediation, 0, false).unwrap_err().kind,
        RefusalKind::Conflict
    );
    assert!(term_extension(mediation, 0, true).is_ok());
    assert!(
        term_extension(mediation, 1, true)
            .unwrap_err()
            .reason_nl
            .contains("al zo vaak verlengd")
    );
    let defence = rules.get("verweer").unwrap();
    assert!(
        term_extension(defence, 0, false).is_ok(),
        "no consent needed for the defence"
    );
    let reply = rules.get("repliek").unwrap();
    assert!(
        term_extension(reply, 0, true)
            .unwrap_err()
            .reason_nl
            .contains("geen verlenging")
    );
}

#[test]
fn a_rulings_obligations_are_kept_by_the_secretary_and_reported_by_the_side_they_bind() {
    let mut s = situation(Phase::Uitspraak, None);
    s.open_obligations = OpenObligations {
        verweerder: true,
        ..Default::default()
    };
    let secretary = secretary();
    let claimant = Participant {
        role: Some(Role::Gemeente),
        claimant: true,
        ..Participant::default()
    };
    let respondent = Participant {
        role: Some(Role::Regio),
        respondent: true,
        ..Participant::default()
    };
    let report = |obligor, open| Action::ReportObligation { obligor, open };
    let kind = |r: Result<(), Refusal>| r.err().map(|r| r.kind);

    assert!(may(&s, &secretary, Action::RecordObligation).is_ok());
    assert_eq!(
        kind(may(&s, &claimant, Action::RecordObligation)),
        Some(RefusalKind::Forbidden)
    );
    assert!(may(&s, &respondent, report(Obligor::Verweerder, true)).is_ok());
    assert!(may(&s, &secretary, report(Obligor::Verweerder, true)).is_ok());
    assert_eq!(
        kind(may(&s, &claimant, report(Obligor::Verweerder, true))),
        Some(RefusalKind::Forbidden)
    );
    // Reported already, or nothing of that side runs: not now.
    assert_eq!(
        kind(may(&s, &respondent, report(Obligor::Verweerder, false))),
        Some(RefusalKind::Conflict)
    );
    assert_eq!(
        kind(may(&s, &claimant, report(Obligor::Verzoeker, true))),
        Some(RefusalKind::Conflict)
    );
    assert!(may(&s, &secretary, Action::CancelObligation { open: true }).is_ok());
    assert_eq!(
        kind(may(&s, &secretary, Action::CancelObligation { open: false })),
        Some(RefusalKind::Conflict)
    );
    assert!(available_names(&s, &respondent).contains(&"report-obligation"));
    assert!(!available_names(&s, &claimant).contains(&"report-obligation"));

    // Before the ruling there is nothing to record.
    let before = situation(Phase::Commissie, Some(Stage::Beraadslaging));
    assert_eq!(
        kind(may(&before, &secretary, Action::RecordObligation)),
        Some(RefusalKind::Conflict)
    );
}
