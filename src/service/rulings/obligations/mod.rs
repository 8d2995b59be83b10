//! What a ruling orders, and whether it happened. The secretary records each obligation of an
//! adopted ruling (who, what, by when — a date the ruling names or a term from its date) and
//! it runs as a term of the case ([`obligation::TERM_KEY`]): reminded before its last day,
//! signalled when it passes, counted as waiting on the side that owes it. That side (or the
//! secretary for it) reports it done, with the day and a note; the secretary cancels one
//! recorded in error, with the reason. Each change is one transaction with its trail entry,
//! and everyone in the case is told. What each command reads is in [`input`].

mod input;

pub use input::{CancelInput, FulfilmentInput, ObligationInput, ObligationRequest};

use chrono::NaiveDate;
use sea_orm::{
    ActiveValue::{NotSet, Set},
    ColumnTrait, EntityTrait, QueryFilter, QueryOrder, TransactionTrait,
};
use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::{
    domain::{
        Reason,
        obligation::{self, Due, Obligor, Status},
        rules::Action,
        terms::{Explanation, Term, weekday_nl},
    },
    error::{Error, Result, invalid_field},
    service::{
        Actor, App,
        cases::{
            access::{Loaded, visible},
            rulebook,
            terms::{self as case_terms, LAPSED, LATE, MET, RUNNING},
            trail::{self, Record},
        },
        notify, now, today,
    },
    storage::entities::{case_term, ruling_obligation},
};

/// An obligation as the case's readers see it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ObligationView {
    pub id: Uuid,
    /// `verzoeker`, `verweerder` or `partijen`.
    pub who: String,
    pub description: String,
    /// An amount to pay, in euro cents, where the ruling names one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amount_cents: Option<i64>,
    /// The term from the ruling's date (ISO 8601), where the ruling set one rather than a date.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub within: Option<String>,
    /// The last day.
    #[schema(value_type = String, format = Date)]
    pub due_on: NaiveDate,
    /// How the last day was reached.
    pub explanation: Vec<Explanation>,
    /// `open`, `verlopen` (past its last day), `nagekomen`, `te_laat_nagekomen`, `vervallen`.
    pub status: String,
    /// The day it was done, as reported.
    #[schema(value_type = Option<String>, format = Date)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fulfilled_on: Option<NaiveDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fulfilled_note: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reported_at: Option<chrono::DateTime<chrono::Utc>>,
    /// Why the secretary cancelled it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cancel_reason: Option<String>,
    /// What the caller may do with it now: `report-obligation`, `cancel-obligation`.
    pub available_actions: Vec<String>,
}

impl ObligationView {
    pub fn who_nl(&self) -> &'static str {
        Obligor::parse(&self.who).map_or("", Obligor::nl)
    }

    pub fn status_nl(&self) -> &'static str {
        Status::of_str(&self.status).map_or("", Status::nl)
    }

    pub fn may(&self, action: &str) -> bool {
        self.available_actions.iter().any(|a| a == action)
    }
}

/// The day the ruling was adopted (a correction keeps it) and the ruling in force.
fn ruling_of(c: &Loaded) -> Result<(NaiveDate, i32)> {
    let ruled_on = c.rulings.iter().map(|r| r.adopted_on).min();
    let latest = c.rulings.iter().max_by_key(|r| (r.adopted_at, r.id)).map(|r| r.id);
    ruled_on.zip(latest).ok_or(Error::NotFound("ruling"))
}

/// The action the rule book is asked about for `change` to `o`. A stored side that does not
/// parse is an error, never a default.
fn action_of(change: Change, o: &ruling_obligation::Model, term: &case_term::Model) -> Result<Action> {
    let open = term.status == RUNNING;
    Ok(match change {
        Change::Report => Action::ReportObligation {
            obligor: Obligor::parse(&o.who)
                .ok_or_else(|| Error::internal(format!("obligation {}: who {}", o.id, o.who)))?,
            open,
        },
        Change::Cancel => Action::CancelObligation { open },
    })
}

fn view(app: &App, actor: &Actor, c: &Loaded, o: ruling_obligation::Model) -> Result<ObligationView> {
    let term = term_of(c, &o)?;
    let mut available = Vec::new();
    for change in [Change::Report, Change::Cancel] {
        let action = action_of(change, &o, term)?;
        if rulebook::check(app, actor, c, action).is_ok() {
            available.push(action.name().to_owned());
        }
    }
    let explanation = match o.within.as_deref().map(Term::parse) {
        Some(Ok(t)) => ruling_of(c)
            .ok()
            .and_then(|(ruled_on, _)| obligation::last_day(&app.calendar, ruled_on, Due::Within(t)).ok())
            .map(|(_, e)| e)
            .unwrap_or_default(),
        _ => case_terms::views_of(app, std::slice::from_ref(term))
            .pop()
            .map(|v| v.explanation)
            .unwrap_or_default(),
    };
    Ok(ObligationView {
        id: o.public_id,
        who: o.who,
        description: o.description,
        amount_cents: o.amount_cents,
        within: o.within,
        due_on: term.due_on,
        explanation,
        status: Status::of(&term.status, term.due_on, today()).as_str().to_owned(),
        fulfilled_on: o.fulfilled_on,
        fulfilled_note: o.fulfilled_note,
        reported_at: o.reported_at,
        cancel_reason: o.cancel_reason,
        available_actions: available,
    })
}

async fn rows(app: &App, case_id: i32) -> Result<Vec<ruling_obligation::Model>> {
    Ok(ruling_obligation::Entity::find()
        .filter(ruling_obligation::Column::CaseId.eq(case_id))
        .order_by_asc(ruling_obligation::Column::Id)
        .all(&app.db)
        .await?)
}

/// The case's obligations, in the order they were recorded, for whoever sees the case.
pub async fn list(app: &App, actor: &Actor, case: Uuid) -> Result<Vec<ObligationView>> {
    let c = visible(&app.db, actor, case).await?;
    list_of(app, actor, &c).await
}

/// What the obligations page shows: the case's number, whether the caller may record an
/// obligation now, and the obligations. The case is loaded once.
pub async fn page(app: &App, actor: &Actor, case: Uuid) -> Result<(String, bool, Vec<ObligationView>)> {
    let c = visible(&app.db, actor, case).await?;
    let may_record = rulebook::check(app, actor, &c, Action::RecordObligation).is_ok();
    let list = list_of(app, actor, &c).await?;
    Ok((c.case.number.clone(), may_record, list))
}

/// The same, for a case already loaded.
pub async fn list_of(app: &App, actor: &Actor, c: &Loaded) -> Result<Vec<ObligationView>> {
    rows(app, c.case.id)
        .await?
        .into_iter()
        .map(|o| view(app, actor, c, o))
        .collect()
}

/// A label for the term: the description's first line, short enough for a reminder's title.
fn label(description: &str) -> String {
    let line = description.lines().next().unwrap_or_default().trim();
    let mut label: String = line.chars().take(120).collect();
    if label.len() < line.len() {
        label.push('…');
    }
    format!("Uitspraak: {label}")
}

/// Records an obligation of the case's ruling; it runs as a term from now on.
pub async fn record(app: &App, actor: &Actor, case: Uuid, input: ObligationInput) -> Result<ObligationView> {
    let c = visible(&app.db, actor, case).await?;
    rulebook::check(app, actor, &c, Action::RecordObligation)?;
    let (ruled_on, ruling_id) = ruling_of(&c)?;
    let field = if input.within.is_none() { "due_on" } else { "within" };
    let (due_on, _) = obligation::last_day(&app.calendar, ruled_on, input.due).map_err(|e| {
        invalid_field(
            field,
            &e.to_string(),
            &format!(
                "{} (De uitspraak is van {}.)",
                e.nl(),
                crate::domain::nvo::nl_date(ruled_on)
            ),
        )
    })?;
    let (at, by, public_id) = (now(), actor.clone(), Uuid::new_v4());
    let who = input.who;
    let description = input.description.into_inner();
    let after = json!({
        "obligation": public_id, "who": who.as_str(), "description": description,
        "amount_cents": input.amount_cents, "within": input.within, "due_on": due_on,
    });
    let (case_id, number, case_row) = (c.case.id, c.case.number.clone(), c.case.clone());
    let (term_label, app2) = (label(&description), app.clone());
    let (amount_cents, within) = (input.amount_cents, input.within.clone());
    app.db
        .transaction::<_, (), Error>(|tx| {
            Box::pin(async move {
                let record = Record::new("ruling.obligation", format!("case {number}")).after(after);
                trail::change(tx, case_id, None, &by, record, at).await?;
                let term = case_term::Entity::insert(case_terms::new_running(
                    case_id,
                    (obligation::TERM_KEY, Some(term_label)),
                    who.as_str(),
                    ruled_on,
                    (due_on, due_on),
                    at,
                ))
                .exec(tx)
                .await?
                .last_insert_id;
                ruling_obligation::Entity::insert(ruling_obligation::ActiveModel {
                    id: NotSet,
                    public_id: Set(public_id),
                    case_id: Set(case_id),
                    term_id: Set(term),
                    ruling_id: Set(ruling_id),
                    who: Set(who.as_str().into()),
                    description: Set(description),
                    amount_cents: Set(amount_cents),
                    within: Set(within),
                    recorded_by: Set(by.internal_id),
                    recorded_at: Set(at),
                    fulfilled_on: Set(None),
                    fulfilled_note: Set(None),
                    reported_by: Set(None),
                    reported_at: Set(None),
                    cancel_reason: Set(None),
                })
                .exec_without_returning(tx)
                .await?;
                case_terms::refresh_parties(tx, case_id).await?;
                notify::tell_everyone(
                    tx,
                    &app2,
                    &case_row,
                    notify::Message {
                        kind: "verplichting",
                        key: format!("obligation:{public_id}:recorded"),
                        term_id: Some(term),
                        title: format!("Verplichting uit de uitspraak in geschil {number}"),
                        body: format!(
                            "In geschil {number} is een verplichting uit de uitspraak vastgelegd voor {}: uiterlijk {} {}.",
                            who.nl(),
                            weekday_nl(due_on),
                            crate::domain::nvo::nl_date(due_on)
                        ),
                    },
                )
                .await?;
                Ok(())
            })
        })
        .await?;
    one(app, actor, case, public_id).await
}

/// One obligation of the case (404 when the case has none by that id).
pub async fn one(app: &App, actor: &Actor, case: Uuid, id: Uuid) -> Result<ObligationView> {
    let c = visible(&app.db, actor, case).await?;
    let o = find(app, &c, id).await?;
    view(app, actor, &c, o)
}

async fn find(app: &App, c: &Loaded, id: Uuid) -> Result<ruling_obligation::Model> {
    ruling_obligation::Entity::find()
        .filter(ruling_obligation::Column::PublicId.eq(id))
        .filter(ruling_obligation::Column::CaseId.eq(c.case.id))
        .one(&app.db)
        .await?
        .ok_or(Error::NotFound("obligation"))
}

/// How an obligation's term ends.
enum Ending {
    Fulfilled(FulfilmentInput),
    Cancelled(Reason),
}

/// A change to one obligation, for asking the rule book before a form is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Report,
    Cancel,
}

/// The obligation, if the rule book lets `actor` make `change` to it now (its refusal else).
pub async fn may_change(app: &App, actor: &Actor, case: Uuid, id: Uuid, change: Change) -> Result<ObligationView> {
    let c = visible(&app.db, actor, case).await?;
    let o = find(app, &c, id).await?;
    let term = term_of(&c, &o)?;
    rulebook::check(app, actor, &c, action_of(change, &o, term)?)?;
    view(app, actor, &c, o)
}

fn term_of<'a>(c: &'a Loaded, o: &ruling_obligation::Model) -> Result<&'a case_term::Model> {
    c.terms
        .iter()
        .find(|t| t.id == o.term_id)
        .ok_or_else(|| Error::internal(format!("obligation {} has no term", o.id)))
}

/// The side (or the secretary) reports the obligation done.
pub async fn report(app: &App, actor: &Actor, case: Uuid, id: Uuid, input: FulfilmentInput) -> Result<ObligationView> {
    end(app, actor, case, id, Ending::Fulfilled(input)).await
}

/// The secretary cancels an obligation recorded in error.
pub async fn cancel(app: &App, actor: &Actor, case: Uuid, id: Uuid, reason: Reason) -> Result<ObligationView> {
    end(app, actor, case, id, Ending::Cancelled(reason)).await
}

async fn end(app: &App, actor: &Actor, case: Uuid, id: Uuid, ending: Ending) -> Result<ObligationView> {
    let c = visible(&app.db, actor, case).await?;
    let o = find(app, &c, id).await?;
    let term = term_of(&c, &o)?.clone();
    let change = match ending {
        Ending::Fulfilled(_) => Change::Report,
        Ending::Cancelled(_) => Change::Cancel,
    };
    rulebook::check(app, actor, &c, action_of(change, &o, &term)?)?;
    let (ruled_on, _) = ruling_of(&c)?;
    let (at, by, number, case_row, app2) = (now(), actor.clone(), c.case.number.clone(), c.case.clone(), app.clone());
    let (status, mut update, record, said) = match ending {
        Ending::Fulfilled(input) => {
            if input.fulfilled_on < ruled_on {
                return Err(invalid_field(
                    "fulfilled_on",
                    "lies before the ruling",
                    "De datum ligt voor de uitspraak.",
                ));
            }
            let status = if input.fulfilled_on <= term.due_on { MET } else { LATE };
            let note = input.note.map(Reason::into_inner);
            let record = Record::new("ruling.obligation.fulfilled", format!("case {number}")).after(json!({
                "obligation": o.public_id, "fulfilled_on": input.fulfilled_on, "note": note, "status": status,
            }));
            let update = ruling_obligation::Entity::update_many()
                .col_expr(ruling_obligation::Column::FulfilledOn, Some(input.fulfilled_on).into())
                .col_expr(ruling_obligation::Column::FulfilledNote, note.into())
                .col_expr(ruling_obligation::Column::ReportedBy, Some(actor.internal_id).into())
                .col_expr(ruling_obligation::Column::ReportedAt, Some(at).into());
            let said = format!(
                "In geschil {number} is een verplichting uit de uitspraak als nagekomen gemeld (op {}).",
                crate::domain::nvo::nl_date(input.fulfilled_on)
            );
            (status, update, record, ("nakoming", said))
        }
        Ending::Cancelled(reason) => {
            let reason = reason.into_inner();
            let record = Record::new("ruling.obligation.cancel", format!("case {number}"))
                .reason(Some(reason.clone()))
                .after(json!({ "obligation": o.public_id }));
            let update = ruling_obligation::Entity::update_many()
                .col_expr(ruling_obligation::Column::CancelReason, Some(reason).into());
            let said = format!("In geschil {number} is een verplichting uit de uitspraak vervallen verklaard.");
            (LAPSED, update, record, ("verplichting", said))
        }
    };
    update = update.filter(ruling_obligation::Column::Id.eq(o.id));
    let (term_id, case_id, public_id) = (term.id, c.case.id, o.public_id);
    app.db
        .transaction::<_, (), Error>(|tx| {
            Box::pin(async move {
                trail::change(tx, case_id, None, &by, record, at).await?;
                // Only from running: whoever was second finds it ended and changes nothing.
                let ended = case_term::Entity::update_many()
                    .col_expr(case_term::Column::Status, status.into())
                    .col_expr(case_term::Column::EndedAt, Some(at).into())
                    .filter(case_term::Column::Id.eq(term_id))
                    .filter(case_term::Column::Status.eq(RUNNING))
                    .exec(tx)
                    .await?
                    .rows_affected;
                if ended == 0 {
                    return Err(trail::stale());
                }
                update.exec(tx).await?;
                case_terms::refresh_parties(tx, case_id).await?;
                notify::tell_everyone(
                    tx,
                    &app2,
                    &case_row,
                    notify::Message {
                        kind: said.0,
                        key: format!("obligation:{public_id}:{status}"),
                        term_id: Some(term_id),
                        title: format!(
                            "Verplichting in geschil {number}: {}",
                            Status::of(status, term.due_on, at.date_naive()).nl().to_lowercase()
                        ),
                        body: said.1,
                    },
                )
                .await?;
                Ok(())
            })
        })
        .await?;
    one(app, actor, case, id).await
}
