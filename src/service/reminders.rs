//! The reminder sweep: for every running term of a case that is not suspended, a reminder at
//! each of the reglement's lead times (`[herinneringen]` in `policies/termijnen.toml`) and a
//! signal once the last day has passed, to whoever must act and to the secretary, in their
//! inbox.
//!
//! Safe with any number of workers at once: on PostgreSQL each round claims its terms with
//! `FOR UPDATE SKIP LOCKED`, so two nodes take different terms; on both databases a term's
//! bookkeeping is advanced with a conditional update (only from the state that was read), and
//! every notification has a unique key, so nobody is told the same thing twice — not even
//! when a worker dies mid-round and its round is taken up again.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseBackend, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    TransactionTrait,
    sea_query::{LockBehavior, LockType, Query},
};

use super::App;
use crate::{
    domain::{nvo::nl_date, terms::weekday_nl},
    error::{Error, Result},
    storage::entities::{case, case_party, case_suspension, case_term},
};

const BATCH: u64 = 200;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SweepReport {
    /// Terms whose reminders or signal went out in this round.
    pub terms: u64,
    /// Inbox notifications created.
    pub notifications: u64,
}

/// What is due for one term today: how many reminders in all, and whether it has passed.
fn due_now(app: &App, t: &case_term::Model, today: NaiveDate) -> (i32, bool) {
    let sent = app
        .term_rules
        .reminders
        .dates(&app.calendar, t.due_on)
        .into_iter()
        .filter(|d| *d <= today)
        .count() as i32;
    (sent.max(t.reminders_sent), t.overdue_signalled || t.due_on < today)
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
    let horizon = today + chrono::Days::new(u64::from(app.term_rules.reminders.horizon_days()));
    let mut after_id = 0;
    loop {
        let (done, last, round) = sweep_batch(app, today, horizon, after_id).await?;
        report.terms += round.terms;
        report.notifications += round.notifications;
        if done {
            return Ok(report);
        }
        after_id = last;
    }
}

/// One transaction over up to [`BATCH`] terms after `after_id`.
async fn sweep_batch(
    app: &App,
    today: NaiveDate,
    horizon: NaiveDate,
    after_id: i32,
) -> Result<(bool, i32, SweepReport)> {
    let app = app.clone();
    app.db
        .clone()
        .transaction::<_, (bool, i32, SweepReport), Error>(|tx| {
            Box::pin(async move {
                crate::storage::write_first(tx).await?;
                let suspended = Query::select()
                    .column(case_suspension::Column::CaseId)
                    .from(case_suspension::Entity)
                    .and_where(case_suspension::Column::UntilOn.is_null())
                    .to_owned();
                let mut q = case_term::Entity::find()
                    .filter(case_term::Column::Status.eq(super::cases::terms::RUNNING))
                    .filter(case_term::Column::DueOn.lte(horizon))
                    .filter(case_term::Column::Id.gt(after_id))
                    .filter(case_term::Column::CaseId.not_in_subquery(suspended))
                    .filter(
                        Condition::any()
                            .add(case_term::Column::OverdueSignalled.eq(false))
                            .add(case_term::Column::DueOn.gte(today)),
                    )
                    .order_by_asc(case_term::Column::Id)
                    .limit(BATCH);
                if tx.get_database_backend() == DatabaseBackend::Postgres {
                    q = q.lock_with_behavior(LockType::Update, LockBehavior::SkipLocked);
                }
                let terms = q.all(tx).await?;
                let done = (terms.len() as u64) < BATCH;
                let last = terms.last().map_or(after_id, |t| t.id);
                let mut report = SweepReport::default();
                for t in terms {
                    let (sent, overdue) = due_now(&app, &t, today);
                    if sent == t.reminders_sent && overdue == t.overdue_signalled {
                        continue;
                    }
                    // Claim: advance only from the state read; another worker may have been first.
                    let claimed = case_term::Entity::update_many()
                        .col_expr(case_term::Column::RemindersSent, sent.into())
                        .col_expr(case_term::Column::OverdueSignalled, overdue.into())
                        .filter(case_term::Column::Id.eq(t.id))
                        .filter(case_term::Column::RemindersSent.eq(t.reminders_sent))
                        .filter(case_term::Column::OverdueSignalled.eq(t.overdue_signalled))
                        .exec(tx)
                        .await?
                        .rows_affected;
                    if claimed == 0 {
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
