//! The reminder sweep: for every running term of a case that is not suspended, a reminder at
//! each of the reglement's lead times (`[herinneringen]` in `policies/termijnen.toml`) and a
//! signal once the last day has passed, to whoever must act and to the secretary, in their
//! inbox. A round reads only the terms whose day has come (`case_terms.sweep_on`, see
//! `domain::terms::reminders`) and writes each one's next day as it goes.
//!
//! Safe with any number of workers at once: on PostgreSQL each round claims its terms with
//! `FOR UPDATE SKIP LOCKED`, so two nodes take different terms; on both databases a term's
//! bookkeeping is advanced with a conditional update (only from the state that was read), and
//! every notification has a unique key, so nobody is told the same thing twice — not even
//! when a worker dies mid-round and its round is taken up again.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseBackend, EntityTrait, QueryFilter, QueryOrder, QuerySelect, TransactionTrait,
    sea_query::{Expr, ExprTrait, LockBehavior, LockType},
};

use super::App;
use crate::{
    domain::{
        nvo::nl_date,
        terms::{Signals, weekday_nl},
    },
    error::{Error, Result},
    storage::entities::{case, case_party, case_term},
};

const BATCH: u64 = 200;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SweepReport {
    /// Terms whose reminders or signal went out in this round.
    pub terms: u64,
    /// Inbox notifications created.
    pub notifications: u64,
}

/// What has gone out for a term, as its row counts it.
fn sent(t: &case_term::Model) -> Signals {
    Signals {
        reminders: t.reminders_sent,
        overdue: t.overdue_signalled,
    }
}

/// Everyone to tell about a term: who must act, and every secretary.
async fn recipients(db: &impl ConnectionTrait, t: &case_term::Model, c: &case::Model) -> Result<BTreeSet<i32>> {
    let who = t.who.as_str();
    let side_orgs: Vec<i32> = case_party::Entity::find()
        .filter(case_party::Column::CaseId.eq(c.id))
        .all(db)
        .await?
        .into_iter()
        .filter(|p| match who {
            "verzoeker" => p.side == super::cases::access::CLAIMANT,
            "verweerder" => p.side == super::cases::access::RESPONDENT,
            "partijen" => true,
            _ => false,
        })
        .map(|p| p.organisation_id)
        .collect();
    let mut people = super::notify::secretaries_and_parties(db, side_orgs).await?;
    match who {
        "bemiddelaar" => people.extend(c.mediator_id),
        "voorzitter" => people.extend(c.chair_id),
        _ => {}
    }
    Ok(people)
}

/// One round over every term with something due on `today`; repeats until none is left.
pub async fn sweep(app: &App, today: NaiveDate) -> Result<SweepReport> {
    let mut report = SweepReport::default();
    let mut after = None;
    loop {
        let (done, last, round) = sweep_batch(app, today, after).await?;
        report.terms += round.terms;
        report.notifications += round.notifications;
        if done {
            return Ok(report);
        }
        after = last;
    }
}

/// Where a round has got to: the day and id of the last term it looked at.
type Mark = Option<(NaiveDate, i32)>;

/// The next [`BATCH`] running terms whose day has come, after `after`, in the order of their
/// index (`case_terms_sweep_on`: day, then id), of cases not suspended; on PostgreSQL locked,
/// skipping those another worker holds.
pub fn due_terms(backend: DatabaseBackend, today: NaiveDate, after: Mark) -> sea_orm::Select<case_term::Entity> {
    // Spelled out, not bound: a planner uses a partial index only where the query says what
    // the index's condition says.
    let running = format!("\"case_terms\".\"status\" = '{}'", super::cases::terms::RUNNING);
    let q = case_term::Entity::find()
        .filter(Expr::cust(running))
        .filter(case_term::Column::SweepOn.lte(today))
        .filter(super::cases::narrowing::suspended((case_term::Entity, case_term::Column::CaseId)).not())
        .order_by_asc(case_term::Column::SweepOn)
        .order_by_asc(case_term::Column::Id)
        .limit(BATCH);
    let q = match after {
        None => q,
        Some((day, id)) => q.filter(
            Expr::tuple([
                Expr::col((case_term::Entity, case_term::Column::SweepOn)),
                Expr::col((case_term::Entity, case_term::Column::Id)),
            ])
            .gt(Expr::tuple([Expr::val(day), Expr::val(id)])),
        ),
    };
    match backend {
        DatabaseBackend::Postgres => q.lock_with_behavior(LockType::Update, LockBehavior::SkipLocked),
        _ => q,
    }
}

/// One transaction over up to [`BATCH`] terms after `after`.
async fn sweep_batch(app: &App, today: NaiveDate, after: Mark) -> Result<(bool, Mark, SweepReport)> {
    let app = app.clone();
    app.db
        .clone()
        .transaction::<_, (bool, Mark, SweepReport), Error>(|tx| {
            Box::pin(async move {
                crate::storage::write_first(tx).await?;
                let q = due_terms(tx.get_database_backend(), today, after);
                let terms = q.all(tx).await?;
                let done = (terms.len() as u64) < BATCH;
                let last = terms.last().map_or(after, |t| t.sweep_on.map(|d| (d, t.id)));
                let mut report = SweepReport::default();
                let policy = &app.term_rules.reminders;
                for t in terms {
                    let owed = policy.owed(&app.calendar, t.due_on, sent(&t), today);
                    let next = policy.next_look(&app.calendar, t.due_on, owed);
                    // Claim: advance only from the state read; another worker may have been
                    // first. With nothing owed, only the day of the next look moves.
                    let claimed = case_term::Entity::update_many()
                        .col_expr(case_term::Column::RemindersSent, owed.reminders.into())
                        .col_expr(case_term::Column::OverdueSignalled, owed.overdue.into())
                        .col_expr(case_term::Column::SweepOn, next.into())
                        .filter(case_term::Column::Id.eq(t.id))
                        .filter(case_term::Column::RemindersSent.eq(t.reminders_sent))
                        .filter(case_term::Column::OverdueSignalled.eq(t.overdue_signalled))
                        .exec(tx)
                        .await?
                        .rows_affected;
                    let (sent, overdue) = (owed.reminders, owed.overdue);
                    if claimed == 0 || owed == self::sent(&t) {
                        continue;
                    }
                    let Some(c) = case::Entity::find_by_id(t.case_id).one(tx).await? else {
                        continue;
                    };
                    let label = super::cases::terms::label_of(&app, &t);
                    let when = format!("{} {}", weekday_nl(t.due_on), nl_date(t.due_on));
                    let (kind, stage, title, body) = if overdue && !t.overdue_signalled {
                        (
                            "verlopen",
                            "overdue".to_owned(),
                            format!("Termijn verstreken: {label} (geschil {})", c.number),
                            format!(
                                "De termijn '{label}' in geschil {} is verstreken: de laatste dag was {when}.",
                                c.number
                            ),
                        )
                    } else {
                        (
                            "herinnering",
                            format!("reminder-{sent}"),
                            format!("Herinnering: {label} loopt af op {when}"),
                            format!(
                                "De termijn '{label}' in geschil {} loopt af op {when}. Bekijk het geschil in Beslecht.",
                                c.number
                            ),
                        )
                    };
                    let people = recipients(tx, &t, &c).await?;
                    report.notifications += super::notify::send(
                        tx,
                        &app,
                        &c,
                        &people,
                        super::notify::Message {
                            kind,
                            key: format!("term:{}:due:{}:{stage}", t.id, t.due_on),
                            term_id: Some(t.id),
                            title,
                            body,
                        },
                    )
                    .await?;
                    report.terms += 1;
                }
                Ok((done, last, report))
            })
        })
        .await
        .map_err(Error::from)
}
