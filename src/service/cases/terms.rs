//! A case's running terms. Entering a phase or stage starts the terms the reglement ties to
//! it (`policies/termijnen.toml`); leaving it, or the step named as its end, ends them. Each
//! term stores its current last day (`due_on`) and the last day it could reach with every
//! extension still allowed (`fatal_on`); both are computed by `domain::terms` and can
//! explain themselves. The secretary extends a term as the reglement allows, and suspends
//! and resumes a case: on resumption every running term moves by the days suspended.

use chrono::NaiveDate;
use sea_orm::{
    ActiveValue::{NotSet, Set},
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
};
use serde::Serialize;
use serde_json::{Value, json};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::{
    domain::{
        procedure::{Phase, Stage},
        terms::{self, Calendar, Direction, Ending, Explanation, TermRule},
    },
    error::{Error, Result},
    service::App,
    storage::entities::case_term,
};

pub const RUNNING: &str = "running";
/// Ended on or before its last day.
pub const MET: &str = "met";
/// Ended after its last day.
pub const LATE: &str = "late";
/// Ended because the case was withdrawn, settled or declared inadmissible.
pub const LAPSED: &str = "lapsed";
/// Ended because the case moved on without the act it waited for.
pub const UNUSED: &str = "unused";
/// Ended because the party said it would not act.
pub const WAIVED: &str = "waived";

#[derive(Debug, Serialize, ToSchema)]
pub struct TermView {
    pub id: Uuid,
    pub key: String,
    pub label: String,
    /// Who must act: secretaris, verzoeker, verweerder, partijen, bemiddelaar, voorzitter.
    pub who: String,
    /// `running`; `met` or `late` (the act was done on or after the last day); `waived` (the
    /// party said it would not act); `unused` (the case moved on without the act); `lapsed`
    /// (the case was withdrawn, settled or declared inadmissible).
    pub status: String,
    #[schema(value_type = String, format = Date)]
    pub starts_on: NaiveDate,
    /// The last day, after extensions and suspensions (einddatumGepland).
    #[schema(value_type = String, format = Date)]
    pub due_on: NaiveDate,
    /// The last day with every extension still allowed (uiterlijkeEinddatumAfdoening).
    #[schema(value_type = String, format = Date)]
    pub fatal_on: NaiveDate,
    pub extensions: i32,
    pub extensions_left: i32,
    pub suspended_days: i32,
    /// How `due_on` was computed.
    pub explanation: Vec<Explanation>,
}

/// `(due_on, fatal_on, explanation of due_on)` for a term started on `start`.
pub fn dates(
    cal: &Calendar,
    rule: &TermRule,
    start: NaiveDate,
    extensions: u32,
    suspended_days: u32,
) -> Result<(NaiveDate, NaiveDate, Vec<Explanation>)> {
    let due = terms::compute(
        cal,
        start,
        rule.effective(extensions, suspended_days),
        Direction::Forward,
        rule.atw,
    )
    .map_err(Error::internal)?;
    let fatal = terms::compute(
        cal,
        start,
        rule.effective(rule.extensions_allowed().max(extensions), suspended_days),
        Direction::Forward,
        rule.atw,
    )
    .map_err(Error::internal)?;
    Ok((due.end, fatal.end, due.steps))
}

/// Ends and starts terms for a step from `before` to `after`; answers what changed, for the
/// step's audit entry. Runs inside the step's transaction.
#[allow(clippy::too_many_arguments)]
pub async fn on_step(
    tx: &impl ConnectionTrait,
    app: &App,
    case_id: i32,
    step: &str,
    before: (Phase, Option<Stage>),
    after: (Phase, Option<Stage>),
    today: NaiveDate,
    at: chrono::DateTime<chrono::Utc>,
) -> Result<Value> {
    let running = case_term::Entity::find()
        .filter(case_term::Column::CaseId.eq(case_id))
        .filter(case_term::Column::Status.eq(RUNNING))
        .all(tx)
        .await?;
    let mut ended = Vec::new();
    for t in running {
        if t.key == crate::domain::obligation::TERM_KEY {
            // A ruling's obligation ends when the side reports it done, never by a step.
            continue;
        }
        if after.0.is_closed() || app.term_rules.ends(&t.key, step, after) {
            let status = match app.term_rules.ending(&t.key, step) {
                Ending::Fulfilled if today <= t.due_on => MET,
                Ending::Fulfilled => LATE,
                Ending::Waived => WAIVED,
                Ending::Lapsed => LAPSED,
                Ending::Unused => UNUSED,
            };
            ended.push(json!({ "term": t.key, "status": status, "due_on": t.due_on }));
            case_term::Entity::update_many()
                .col_expr(case_term::Column::Status, status.into())
                .col_expr(case_term::Column::EndedAt, Some(at).into())
                .filter(case_term::Column::Id.eq(t.id))
                .exec(tx)
                .await?;
        }
    }
    let mut started = Vec::new();
    if !after.0.is_closed() {
        for rule in app.term_rules.starting(before, after) {
            let (due_on, fatal_on, _) = dates(&app.calendar, rule, today, 0, 0)?;
            started.push(json!({ "term": rule.key, "due_on": due_on, "fatal_on": fatal_on }));
            case_term::Entity::insert(new_running(
                case_id,
                (&rule.key, None),
                &rule.who,
                today,
                (due_on, fatal_on),
                at,
            ))
            .exec(tx)
            .await?;
        }
    }
    // The parties' copies follow once the step has written the case (`steps::take`).
    Ok(json!({ "terms_started": started, "terms_ended": ended }))
}

/// A term that starts running: not yet extended, suspended or reminded. `label` only for a
/// term no rule of the reglement names (a ruling's obligation).
pub fn new_running(
    case_id: i32,
    (key, label): (&str, Option<String>),
    who: &str,
    starts_on: NaiveDate,
    (due_on, fatal_on): (NaiveDate, NaiveDate),
    at: chrono::DateTime<chrono::Utc>,
) -> case_term::ActiveModel {
    case_term::ActiveModel {
        id: NotSet,
        public_id: Set(Uuid::new_v4()),
        case_id: Set(case_id),
        key: Set(key.to_owned()),
        label: Set(label),
        who: Set(who.to_owned()),
        starts_on: Set(starts_on),
        due_on: Set(due_on),
        fatal_on: Set(fatal_on),
        extensions: Set(0),
        suspended_days: Set(0),
        reminders_sent: Set(0),
        overdue_signalled: Set(false),
        // The sweep looks at it the day it starts and works out its next day from there.
        sweep_on: Set(Some(starts_on)),
        status: Set(RUNNING.into()),
        created_at: Set(at),
        ended_at: Set(None),
    }
}

/// Writes the copies of a case's deadlines that the lists walk: the case's own
/// (`cases.next_due_on`: the first last day of a running term; none while the case is
/// suspended) and each party's (`case_parties.phase`, `.next_due_on` from the case's row,
/// `.waits_until`: the first last day of a running term that waits on the party's side or on
/// both parties). Two statements, called in the transaction of every step (after the case's
/// row is written) and of every other change to a case's terms or suspension.
pub async fn refresh_parties(tx: &impl ConnectionTrait, case_id: i32) -> Result<()> {
    let running = |case: &str| {
        format!(
            "FROM case_terms t WHERE t.case_id = {case} AND t.status = 'running' \
             AND NOT EXISTS (SELECT 1 FROM case_suspensions s WHERE s.case_id = {case} AND s.until_on IS NULL)"
        )
    };
    let backend = tx.get_database_backend();
    let param = match backend {
        sea_orm::DatabaseBackend::Postgres => "$1",
        _ => "?",
    };
    for sql in [
        format!(
            "UPDATE cases SET next_due_on = (SELECT MIN(t.due_on) {}) WHERE id = {param}",
            running("cases.id")
        ),
        format!(
            "UPDATE case_parties SET phase = (SELECT c.phase FROM cases c WHERE c.id = case_parties.case_id), \
             next_due_on = (SELECT c.next_due_on FROM cases c WHERE c.id = case_parties.case_id), \
             waits_until = (SELECT MIN(t.due_on) {} AND t.who IN (case_parties.side, 'partijen')) \
             WHERE case_id = {param}",
            running("case_parties.case_id")
        ),
    ] {
        tx.execute_raw(sea_orm::Statement::from_sql_and_values(backend, sql, [case_id.into()]))
            .await?;
    }
    Ok(())
}

/// A case's terms (as loaded with it), running first, each with its explanation. A term the
/// ruling set (an obligation) has no rule: its label and last day are its own.
pub fn views_of(app: &App, rows: &[case_term::Model]) -> Vec<TermView> {
    let mut views: Vec<TermView> = rows
        .iter()
        .filter_map(|t| {
            let (label, who, explanation, extensions_left) = match app.term_rules.get(&t.key) {
                Some(rule) => (
                    rule.label.clone(),
                    rule.who.clone(),
                    dates(
                        &app.calendar,
                        rule,
                        t.starts_on,
                        t.extensions as u32,
                        t.suspended_days as u32,
                    )
                    .map(|(_, _, e)| e)
                    .unwrap_or_default(),
                    rule.extensions_allowed() as i32 - t.extensions,
                ),
                None => (t.label.clone()?, t.who.clone(), vec![set_by_ruling(t.due_on)], 0),
            };
            Some(TermView {
                id: t.public_id,
                key: t.key.clone(),
                label,
                who,
                status: t.status.clone(),
                starts_on: t.starts_on,
                due_on: t.due_on,
                fatal_on: t.fatal_on,
                extensions: t.extensions,
                extensions_left,
                suspended_days: t.suspended_days,
                explanation,
            })
        })
        .collect();
    views.sort_by_key(|v| (v.status != RUNNING, v.due_on));
    views
}

/// The one step that explains a last day the ruling set.
fn set_by_ruling(due_on: NaiveDate) -> Explanation {
    Explanation {
        rule: "uitspraak",
        date: due_on,
        text: format!(
            "De uitspraak stelt de uiterste datum op {} {}.",
            terms::weekday_nl(due_on),
            crate::domain::nvo::nl_date(due_on)
        ),
    }
}

/// What a stored term is called: its rule's label, or (a term the ruling set) its own.
pub fn label_of(app: &App, t: &case_term::Model) -> String {
    app.term_rules
        .get(&t.key)
        .map(|r| r.label.clone())
        .or_else(|| t.label.clone())
        .unwrap_or_else(|| t.key.clone())
}

/// The running term that ends first in a case: what the case waits for.
#[derive(Debug, Clone)]
pub struct NextTerm {
    pub label: String,
    /// Who must act (see [`TermView::who`]).
    pub who: String,
    pub due_on: NaiveDate,
}

/// The next running term of each of these cases (by public id), for lists.
pub async fn next_of(app: &App, cases: &[Uuid]) -> Result<std::collections::HashMap<Uuid, NextTerm>> {
    use sea_orm::QuerySelect;
    let ids: Vec<(i32, Uuid)> = crate::storage::entities::case::Entity::find()
        .filter(crate::storage::entities::case::Column::PublicId.is_in(cases.to_vec()))
        .select_only()
        .column(crate::storage::entities::case::Column::Id)
        .column(crate::storage::entities::case::Column::PublicId)
        .into_tuple()
        .all(&app.db)
        .await?;
    let public: std::collections::HashMap<i32, Uuid> = ids.iter().copied().collect();
    let terms = case_term::Entity::find()
        .filter(case_term::Column::CaseId.is_in(public.keys().copied().collect::<Vec<_>>()))
        .filter(case_term::Column::Status.eq("running"))
        .order_by_asc(case_term::Column::DueOn)
        .all(&app.db)
        .await?;
    let mut next = std::collections::HashMap::new();
    for t in terms {
        let Some(case) = public.get(&t.case_id) else {
            continue;
        };
        next.entry(*case).or_insert_with(|| NextTerm {
            label: label_of(app, &t),
            who: t.who.clone(),
            due_on: t.due_on,
        });
    }
    Ok(next)
}
