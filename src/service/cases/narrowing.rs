//! A list's filters that a party's walk can follow on its own rows: phase and kind (copied
//! onto `case_parties`), "waiting on me" (a running term whose `wie` names the caller, by the
//! side their organisation stands on) and "overdue" (a running term past its last day) —
//! both only while the case is not suspended (its terms do not run then).
//! Each is a condition on `cases`, which every walk checks, and where the side matters a
//! sharper one on `case_parties`, which only the party's walk has. "Overdue" reads the copies
//! of the first running term's last day (on `cases` and on `case_parties`) that the service
//! writes with every change to a case's terms.

use chrono::NaiveDate;
use sea_orm::{
    ColumnTrait, Condition,
    sea_query::{Expr, ExprTrait, IntoColumnRef, Query},
};

use super::access::{CLAIMANT, RESPONDENT};
use crate::{
    domain::{Role, dispute::DisputeKind, procedure::Phase, terms::waits_on},
    service::Actor,
    storage::entities::{case, case_party, case_suspension, case_term},
};

#[derive(Clone, Debug, Default)]
pub struct Narrowing {
    pub phase: Option<Phase>,
    pub kind: Option<DisputeKind>,
    /// Only cases with a running term that waits on the caller.
    pub waiting: Option<Waiting>,
    /// Only cases with a running term whose last day was before this date (today).
    pub overdue_before: Option<NaiveDate>,
}

/// Whom the caller stands for when a term waits (the `wie` codes, see
/// [`waits_on`]): for a party's organisation either side's (the party's walk then picks its
/// own side on `case_parties`), for everyone else their role's; a commission member only
/// where they chair.
#[derive(Clone, Debug)]
pub struct Waiting {
    who: Vec<&'static str>,
    chair: Option<i32>,
}

impl Waiting {
    pub fn of(actor: &Actor) -> Self {
        let chair = actor.role == Role::Commissielid;
        let mut who: Vec<&'static str> = [CLAIMANT, RESPONDENT]
            .iter()
            .flat_map(|side| waits_on(actor.role, Some(side), chair))
            .copied()
            .collect();
        who.extend(waits_on(actor.role, None, chair));
        who.sort();
        who.dedup();
        Waiting {
            who,
            chair: chair.then_some(actor.internal_id),
        }
    }
}

/// Whether the case that `case_id` (a column of the outer query) names is suspended now: one
/// look-up per row by `case_suspensions_case`.
pub fn suspended(case_id: impl IntoColumnRef) -> sea_orm::sea_query::SimpleExpr {
    Expr::exists(
        Query::select()
            .expr(Expr::val(1))
            .from(case_suspension::Entity)
            .and_where(Expr::col((case_suspension::Entity, case_suspension::Column::CaseId)).equals(case_id))
            .and_where(Expr::col((case_suspension::Entity, case_suspension::Column::UntilOn)).is_null())
            .to_owned(),
    )
}

/// Whether the case (`cases.id`) has a running term that `also` holds for.
///
/// The `LIMIT 1` keeps SQLite (3.46 and later) from turning the `EXISTS` into a join, after
/// which, at a million cases, it chose to read every matching term of the database first and
/// sort their cases — seconds — instead of walking the cases newest first and looking each
/// one's terms up (`case_terms_lookup`). PostgreSQL drops a constant `LIMIT` in an `EXISTS`
/// and plans as before. `query_shape.rs` holds both to the walk.
fn running_term(also: sea_orm::sea_query::SimpleExpr) -> sea_orm::sea_query::SimpleExpr {
    Expr::exists(
        Query::select()
            .expr(Expr::val(1))
            .from(case_term::Entity)
            .and_where(
                Expr::col((case_term::Entity, case_term::Column::CaseId)).equals((case::Entity, case::Column::Id)),
            )
            .and_where(Expr::col((case_term::Entity, case_term::Column::Status)).eq("running"))
            .and_where(also)
            .limit(1)
            .to_owned(),
    )
}

impl Narrowing {
    /// The filters as conditions on `cases` (what every walk checks).
    pub fn on_cases(&self) -> Condition {
        let mut c = Condition::all();
        if let Some(p) = self.phase {
            c = c.add(case::Column::Phase.eq(p.as_str()));
        }
        if let Some(k) = self.kind {
            c = c.add(case::Column::Kind.eq(k.as_str()));
        }
        let term = |c: case_term::Column| Expr::col((case_term::Entity, c));
        if let Some(w) = &self.waiting {
            c = c.add(running_term(term(case_term::Column::Who).is_in(w.who.iter().copied())));
            if let Some(me) = w.chair {
                c = c.add(case::Column::ChairId.eq(me));
            }
        }
        // A suspended case's terms do not run: it does not wait on anyone.
        if self.waiting.is_some() {
            c = c.add(suspended((case::Entity, case::Column::Id)).not());
        }
        // The case's own copy of its first running term's last day, empty while it is
        // suspended (kept by `terms::refresh_parties`): the partial index `cases_due` walks
        // the cases that have one, newest first, and holds the day beside the id.
        if let Some(today) = self.overdue_before {
            c = c.add(case::Column::NextDueOn.lt(today));
        }
        c
    }

    /// Whether a case never filed (a concept, or one withdrawn before it was filed) can meet
    /// these filters. It has no other phase, and never a term: terms start when a case is
    /// filed. Where it cannot, a party's list does not walk the person's concepts.
    pub fn may_hold_unfiled(&self) -> bool {
        self.waiting.is_none()
            && self.overdue_before.is_none()
            && self
                .phase
                .is_none_or(|p| matches!(p, Phase::Concept | Phase::Ingetrokken))
    }

    /// The filters on the parties' rows: their copies of phase and kind, and the side their
    /// organisation stands on for "waiting on me".
    pub(super) fn on_parties(&self) -> Condition {
        let party = |c: case_party::Column| Expr::col((case_party::Entity, c));
        let mut c = Condition::all();
        if let Some(p) = self.phase {
            c = c.add(party(case_party::Column::Phase).eq(p.as_str()));
        }
        if let Some(k) = self.kind {
            c = c.add(party(case_party::Column::Kind).eq(k.as_str()));
        }
        // The party's own copies (kept by `terms::refresh_parties`): the partial indexes
        // `case_parties_waiting` and `case_parties_due` walk exactly these rows.
        if self.waiting.is_some() {
            c = c.add(party(case_party::Column::WaitsUntil).is_not_null());
        }
        if let Some(today) = self.overdue_before {
            c = c.add(party(case_party::Column::NextDueOn).lt(today));
        }
        c
    }
}
