//! Who may see a case, in one place: as a pure rule for a loaded case ([`may_see`]) and as the
//! same rule in SQL for lists ([`visible_condition`]). Parties see their organisation's cases
//! (a case never filed, such as a concept, only its filer), mediators and commission members
//! the cases assigned to them, the secretary every filed case, the administrator none. A case the caller may not see is
//! answered exactly as one that does not exist.

use chrono::NaiveDate;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, Order,
    sea_query::{Alias, Expr, ExprTrait, Query, SelectStatement, UnionType},
};
use uuid::Uuid;

use crate::{
    domain::{
        Role,
        dispute::{DisputeDomain, DisputeKind},
        procedure::{CaseState, Participant, Phase, Stage},
        rules,
    },
    error::{Error, Result},
    service::Actor,
    storage::entities::{
        case, case_commission_member, case_party, case_submission, case_suspension, case_term, mediation_release,
        organisation, ruling,
    },
};

use super::bundle::{self, Bundle, Person};

pub const CLAIMANT: &str = "verzoeker";
pub const RESPONDENT: &str = "verweerder";

/// A case with the people and organisations who stand in it, and what the rule book needs
/// to know about it now.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub case: case::Model,
    pub parties: Vec<case_party::Model>,
    /// The parties' organisations, by internal id.
    pub organisations: std::collections::HashMap<i32, organisation::Model>,
    /// Commission members (not the chair).
    pub members: Vec<i32>,
    /// Phase, stage and assignments, parsed from the stored row.
    pub state: CaseState,
    /// The organisations that released the mediation notes.
    pub releases: Vec<mediation_release::Model>,
    /// Whether the handling is suspended now.
    pub suspended: bool,
    /// The last day of the running term of the current written stage (repliek, dupliek).
    pub written_term_due: Option<NaiveDate>,
    /// The running terms: their key and how often they were extended.
    pub running_terms: Vec<(String, i32)>,
    /// Every term of the case, running or not, in the order they were started.
    pub terms: Vec<case_term::Model>,
    /// Every suspension of the case, in order.
    pub suspensions: Vec<case_suspension::Model>,
    /// The written submissions, in order.
    pub submissions: Vec<case_submission::Model>,
    /// The rulings (and corrections), in order.
    pub rulings: Vec<ruling::Model>,
    /// Everyone the case names: its filer, mediator, chair, members and the rulings' chairs.
    pub people: std::collections::HashMap<i32, Person>,
}

/// The stored state of a case; a value that does not parse is an error, never a default.
pub fn state_of(c: &case::Model) -> Result<CaseState> {
    let (phase, stage) = phase_and_stage(&c.number, &c.phase, c.stage.as_deref())?;
    Ok(CaseState {
        phase,
        stage,
        mediator_assigned: c.mediator_id.is_some(),
        commission_assigned: c.chair_id.is_some(),
    })
}

/// A stored phase and stage, parsed: one that does not parse is an error, never a default.
pub fn phase_and_stage(number: &str, phase: &str, stage: Option<&str>) -> Result<(Phase, Option<Stage>)> {
    let phase = Phase::parse(phase).ok_or_else(|| Error::internal(format!("case {number}: unknown phase {phase}")))?;
    let stage = match stage {
        None => None,
        Some(s) => Some(Stage::parse(s).ok_or_else(|| Error::internal(format!("case {number}: unknown stage {s}")))?),
    };
    Ok((phase, stage))
}

pub fn kind_of(c: &case::Model) -> Result<(DisputeKind, DisputeDomain)> {
    kind_and_domain(&c.kind, &c.domain)
}

/// A stored kind and domain, parsed.
pub fn kind_and_domain(kind: &str, domain: &str) -> Result<(DisputeKind, DisputeDomain)> {
    let kind = DisputeKind::parse(kind).ok_or_else(|| Error::internal(format!("unknown kind {kind}")))?;
    let domain = DisputeDomain::parse(domain).ok_or_else(|| Error::internal(format!("unknown domain {domain}")))?;
    Ok((kind, domain))
}

impl Loaded {
    pub fn phase(&self) -> Phase {
        self.state.phase
    }
    /// Whether every party (claimant and respondents) has released the mediation notes.
    pub fn notes_released(&self) -> bool {
        self.parties
            .iter()
            .all(|p| self.releases.iter().any(|r| r.organisation_id == p.organisation_id))
    }
    pub fn is_party(&self, organisation_id: i32) -> bool {
        self.parties.iter().any(|p| p.organisation_id == organisation_id)
    }
    pub fn respondents(&self) -> impl Iterator<Item = i32> + '_ {
        self.parties
            .iter()
            .filter(|p| p.side == RESPONDENT)
            .map(|p| p.organisation_id)
    }
}

fn is_party_role(role: Role) -> bool {
    matches!(role, Role::Gemeente | Role::Regio | Role::Aanbieder)
}

/// Whether `actor` may see the case at all (the rule book's [`rules::sees`]). A concept
/// withdrawn before filing stays the filer's: "never filed", not "in concept".
pub fn may_see(actor: &Actor, c: &Loaded) -> bool {
    rules::sees(c.case.submitted_at.is_some(), &participant(actor, c))
}

/// The same rule as [`may_see`], as a condition on `cases` (for the calendar feed, which
/// takes every visible case).
pub fn visible_condition(actor: &Actor) -> Condition {
    match party_of(actor) {
        Some(org) => Condition::any()
            .add(
                Condition::all()
                    .add(case::Column::SubmittedAt.is_not_null())
                    .add(party_to(org)),
            )
            .add(filed_concepts(actor)),
        None => others_condition(actor),
    }
}

/// The same rule again, for one page of a list newest first: the ids of the cases `actor`
/// may see that also meet `filters`, below `before` (the cursor), at most `limit`. For a
/// party it is the union of two walks that each follow an index in id order and stop after
/// `limit` rows — the filed cases it is party to (`case_parties (organisation_id, case_id)`,
/// backwards) and its own concepts (`cases (filed_by, submitted_at, id)`) — so a page costs
/// the same whether the organisation has ten cases or half of them. (An `OR` of the two
/// would leave the planner no index to walk in id order: it would collect every case of the
/// organisation.) Only ids: the rows are then fetched by primary key, which no planner gets
/// wrong.
///
/// `narrowing` holds the filters that `case_parties` carries a copy of (phase, kind, waiting
/// on the party's side, a term passed — [`super::narrowing::Narrowing::on_parties`]): with
/// them the party's walk follows `case_parties (organisation_id, phase, kind, case_id)` or its
/// siblings and reads only rows that qualify, instead of every case of the organisation until
/// a page is full. The copies are exact (written in the same transaction as the case and its
/// terms), so that walk checks them alone: the same conditions on `cases` and its terms
/// ([`super::narrowing::Narrowing::on_cases`], which the other walks check) would only give
/// the planner a reason to start elsewhere — at a million cases it walked every case
/// backwards and merged it with every overdue term, 17 ms instead of well under one.
pub fn visible_page(
    actor: &Actor,
    filters: Condition,
    narrowing: &super::narrowing::Narrowing,
    before: Option<i32>,
    limit: u64,
) -> SelectStatement {
    let id = Alias::new("id");
    let Some(org) = party_of(actor) else {
        return newest_cases(
            others_condition(actor),
            filters.add(narrowing.on_cases()),
            before,
            limit,
        );
    };
    let mut filed = Query::select();
    filed
        .column((case::Entity, case::Column::Id))
        .from(case_party::Entity)
        .inner_join(
            case::Entity,
            Expr::col((case::Entity, case::Column::Id)).equals((case_party::Entity, case_party::Column::CaseId)),
        )
        .and_where(Expr::col((case_party::Entity, case_party::Column::OrganisationId)).eq(org))
        .and_where(Expr::col((case::Entity, case::Column::SubmittedAt)).is_not_null())
        .cond_where(filters.clone())
        .cond_where(narrowing.on_parties())
        .order_by((case_party::Entity, case_party::Column::CaseId), Order::Desc)
        .limit(limit);
    if let Some(before) = before {
        filed.and_where(Expr::col((case_party::Entity, case_party::Column::CaseId)).lt(before));
    }
    if !narrowing.may_hold_unfiled() {
        // The person's own concepts cannot qualify: not walked (all of them, to find none).
        return Query::select()
            .column(id)
            .from_subquery(filed, Alias::new("visible"))
            .to_owned();
    }
    let concepts = newest_cases(filed_concepts(actor), filters.add(narrowing.on_cases()), before, limit);
    // Each walk in a subquery of its own: SQLite allows no ORDER BY or LIMIT on a member of
    // a compound SELECT.
    let union = Query::select()
        .column(id.clone())
        .from_subquery(filed, Alias::new("filed"))
        .union(
            UnionType::All,
            Query::select()
                .column(id.clone())
                .from_subquery(concepts, Alias::new("concepts"))
                .to_owned(),
        )
        .to_owned();
    Query::select()
        .column(id.clone())
        .from_subquery(union, Alias::new("visible"))
        .order_by(id, Order::Desc)
        .limit(limit)
        .to_owned()
}

/// The ids of the cases that meet `condition` and `filters`, below `before`, newest first, at
/// most `limit`: one walk along an index that ends in the case's id.
fn newest_cases(condition: Condition, filters: Condition, before: Option<i32>, limit: u64) -> SelectStatement {
    let mut q = Query::select();
    q.column((case::Entity, case::Column::Id))
        .from(case::Entity)
        .cond_where(condition)
        .cond_where(filters)
        .order_by((case::Entity, case::Column::Id), Order::Desc)
        .limit(limit);
    if let Some(before) = before {
        q.and_where(Expr::col((case::Entity, case::Column::Id)).lt(before));
    }
    q
}

/// The cases organisation `org` is party to (either side).
pub fn party_to(org: i32) -> sea_orm::sea_query::SimpleExpr {
    case::Column::Id.in_subquery(
        Query::select()
            .column(case_party::Column::CaseId)
            .from(case_party::Entity)
            .and_where(case_party::Column::OrganisationId.eq(org))
            .to_owned(),
    )
}

/// The organisation whose cases `actor` sees as a party; `None` for every other role.
fn party_of(actor: &Actor) -> Option<i32> {
    is_party_role(actor.role).then_some(actor.organisation.as_ref()?.internal_id)
}

/// A party's own concepts: a case never filed is its filer's alone.
fn filed_concepts(actor: &Actor) -> Condition {
    Condition::all()
        .add(case::Column::SubmittedAt.is_null())
        .add(case::Column::FiledBy.eq(actor.internal_id))
}

/// Everyone but the parties: the secretary every filed case, mediators and commission
/// members the cases assigned to them, a party without an organisation and the
/// administrator nothing.
fn others_condition(actor: &Actor) -> Condition {
    match actor.role {
        Role::Secretaris => Condition::all().add(case::Column::SubmittedAt.is_not_null()),
        Role::Bemiddelaar => Condition::all().add(case::Column::MediatorId.eq(actor.internal_id)),
        Role::Commissielid => {
            let member_of = Query::select()
                .column(case_commission_member::Column::CaseId)
                .from(case_commission_member::Entity)
                .and_where(case_commission_member::Column::UserId.eq(actor.internal_id))
                .to_owned();
            Condition::any()
                .add(case::Column::ChairId.eq(actor.internal_id))
                .add(case::Column::Id.in_subquery(member_of))
        }
        _ => Condition::all().add(case::Column::Id.lt(0)),
    }
}

/// Makes the rule book's view of a case from everything read with it: the running terms
/// and the open suspension count only while the case is open.
pub fn load(b: Bundle) -> Result<Loaded> {
    let c = b.case;
    let state = state_of(&c)?;
    let open = !state.phase.is_closed() && state.phase != Phase::Concept;
    let suspended = open && b.suspensions.iter().any(|s| s.until_on.is_none());
    let running: Vec<(String, NaiveDate, i32)> = if open {
        b.terms
            .iter()
            .filter(|t| t.status == super::terms::RUNNING)
            .map(|t| (t.key.clone(), t.due_on, t.extensions))
            .collect()
    } else {
        Vec::new()
    };
    let written_term_due = match state.stage {
        Some(stage @ (Stage::Repliek | Stage::Dupliek)) => running
            .iter()
            .find(|(key, ..)| key == stage.as_str())
            .map(|(_, due, _)| *due),
        _ => None,
    };
    Ok(Loaded {
        case: c,
        parties: b.parties,
        organisations: b.organisations,
        members: b.members,
        state,
        releases: b.releases,
        suspended,
        written_term_due,
        running_terms: running
            .into_iter()
            .map(|(key, _, extensions)| (key, extensions))
            .collect(),
        terms: b.terms,
        suspensions: b.suspensions,
        submissions: b.submissions,
        rulings: b.rulings,
        people: b.people,
    })
}

/// The case with this public id, if `actor` may see it; otherwise 404. One statement.
pub async fn visible(db: &impl ConnectionTrait, actor: &Actor, id: Uuid) -> Result<Loaded> {
    visible_in(actor, bundle::fetch(db, id).await?)
}

/// The case read (if there was one), if `actor` may see it; otherwise 404.
pub fn visible_in(actor: &Actor, read: Option<Bundle>) -> Result<Loaded> {
    let loaded = load(read.ok_or(Error::NotFound("case"))?)?;
    if may_see(actor, &loaded) {
        Ok(loaded)
    } else {
        Err(Error::NotFound("case"))
    }
}

/// Who `actor` is in this case, for the rule book.
pub fn participant(actor: &Actor, c: &Loaded) -> Participant {
    let org = actor.organisation.as_ref().map(|o| o.internal_id);
    let side = |side: &str| org.is_some_and(|o| c.parties.iter().any(|p| p.organisation_id == o && p.side == side));
    Participant {
        role: Some(actor.role),
        claimant: side(CLAIMANT),
        respondent: side(RESPONDENT),
        mediator: c.case.mediator_id == Some(actor.internal_id),
        chair: c.case.chair_id == Some(actor.internal_id),
        member: c.members.contains(&actor.internal_id),
        filer: c.case.filed_by == actor.internal_id,
        released_notes: org.is_some_and(|o| c.releases.iter().any(|r| r.organisation_id == o)),
    }
}
