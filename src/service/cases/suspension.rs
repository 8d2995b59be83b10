//! The ledger of suspensions (opschorting) and extensions (verlenging), kept by the
//! secretary. Each entry is audited with the dates before and after. On resumption every
//! running term moves by the days it ran while the case was suspended; an extension follows the
//! reglement (how often, by how much, and whether all parties must consent).

use chrono::NaiveDate;
use sea_orm::{
    ActiveValue::{NotSet, Set},
    ColumnTrait, EntityTrait, QueryFilter, TransactionTrait,
};
use serde_json::json;
use utoipa::ToSchema;
use uuid::Uuid;

use super::rulebook;
use crate::domain::rules::{self, Action};

pub use super::ledger::SuspensionView;
use super::{
    access::visible,
    terms::{RUNNING, dates},
    trail::{self, Record},
    view::CaseView,
};
use crate::{
    domain::Reason,
    domain::{nvo::nl_date, terms::weekday_nl},
    error::{Error, Result, invalid_field},
    service::{
        Actor, App,
        input::{Fields, FromFields},
        notify, now, today,
    },
    storage::entities::{case_suspension, case_term},
};

#[derive(Debug, ToSchema)]
pub struct NewSuspension {
    #[schema(value_type = String)]
    pub reason: Reason,
    /// The article of the reglement (or law) it rests on.
    #[schema(value_type = String)]
    pub legal_basis: Reason,
    /// From when (default today); not in the future.
    #[schema(value_type = Option<String>, format = Date)]
    pub from: Option<NaiveDate>,
}

impl FromFields for NewSuspension {
    fn read(f: &mut Fields<'_>) -> Option<Self> {
        let reason = f.required("reason", Reason::parse);
        let legal_basis = f.required("legal_basis", Reason::parse);
        let from = f.optional_date("from");
        Some(NewSuspension {
            reason: reason?,
            legal_basis: legal_basis?,
            from: from.ok()?,
        })
    }
}

#[derive(Debug, ToSchema)]
pub struct Extension {
    #[schema(value_type = String)]
    pub reason: Reason,
    /// That every party agreed, where the reglement requires it.
    pub parties_consent: bool,
}

impl FromFields for Extension {
    fn read(f: &mut Fields<'_>) -> Option<Self> {
        let reason = f.required("reason", Reason::parse);
        let consent = f.optional_bool("parties_consent");
        Some(Extension {
            reason: reason?,
            parties_consent: consent.ok()?.unwrap_or(false),
        })
    }
}

async fn open_suspension(app: &App, case_id: i32) -> Result<Option<case_suspension::Model>> {
    Ok(case_suspension::Entity::find()
        .filter(case_suspension::Column::CaseId.eq(case_id))
        .filter(case_suspension::Column::UntilOn.is_null())
        .one(&app.db)
        .await?)
}

pub async fn suspend(app: &App, actor: &Actor, id: Uuid, new: NewSuspension) -> Result<CaseView> {
    let c = visible(&app.db, actor, id).await?;
    rulebook::check(app, actor, &c, Action::Suspend)?;
    let from = new.from.unwrap_or_else(today);
    if from > today() {
        return Err(invalid_field(
            "from",
            "must not be in the future",
            "Een opschorting begint niet in de toekomst.",
        ));
    }
    let at = now();
    let by = actor.clone();
    let (case_id, version, number) = (c.case.id, c.case.version, c.case.number.clone());
    let (reason, basis) = (new.reason.into_inner(), new.legal_basis.into_inner());
    let (app_in_tx, model) = (app.clone(), c.case.clone());
    let suspension_id = Uuid::new_v4();
    app.db
        .transaction::<_, (), Error>(|tx| {
            Box::pin(async move {
                let record = Record::new("case.suspend", format!("case {number}"))
                    .reason(Some(reason.clone()))
                    .after(json!({ "from": from, "legal_basis": basis }));
                trail::change(tx, case_id, Some(version), &by, record, at).await?;
                notify::tell_everyone(
                    tx,
                    &app_in_tx,
                    &model,
                    notify::Message {
                        kind: "opschorting",
                        key: format!("suspension:{suspension_id}:start"),
                        term_id: None,
                        title: format!("Geschil {number} opgeschort"),
                        body: format!(
                            "Het geschil {number} is opgeschort vanaf {} ({basis}). De termijnen lopen niet zolang de opschorting duurt.",
                            nl_date(from)
                        ),
                    },
                )
                .await?;
                case_suspension::Entity::insert(case_suspension::ActiveModel {
                    id: NotSet,
                    public_id: Set(suspension_id),
                    case_id: Set(case_id),
                    from_on: Set(from),
                    until_on: Set(None),
                    reason: Set(reason),
                    legal_basis: Set(basis),
                    suspended_by: Set(by.internal_id),
                    resumed_by: Set(None),
                    created_at: Set(at),
                })
                .exec(tx)
                .await?;
                super::terms::refresh_parties(tx, case_id).await?;
                Ok(())
            })
        })
        .await?;
    super::get(app, actor, id).await
}

pub async fn resume(app: &App, actor: &Actor, id: Uuid) -> Result<CaseView> {
    let c = visible(&app.db, actor, id).await?;
    rulebook::check(app, actor, &c, Action::Resume)?;
    let open = open_suspension(app, c.case.id)
        .await?
        .ok_or_else(|| Error::internal("a suspended case without an open suspension"))?;
    let until = today();
    let days = (until - open.from_on).num_days().max(0) as i32;
    // A term moves by the days it was running while the case was suspended.
    let overlap = |starts_on: NaiveDate| (until - open.from_on.max(starts_on)).num_days().max(0) as i32;
    let running = case_term::Entity::find()
        .filter(case_term::Column::CaseId.eq(c.case.id))
        .filter(case_term::Column::Status.eq(RUNNING))
        .all(&app.db)
        .await?;
    let mut moved = Vec::new();
    for t in &running {
        let Some(rule) = app.term_rules.get(&t.key) else {
            continue;
        };
        let suspended = t.suspended_days + overlap(t.starts_on);
        let (due, fatal, _) = dates(&app.calendar, rule, t.starts_on, t.extensions as u32, suspended as u32)?;
        moved.push((t.id, t.key.clone(), t.due_on, due, fatal, suspended));
    }
    let at = now();
    let by = actor.clone();
    let (case_id, version, number) = (c.case.id, c.case.version, c.case.number.clone());
    let (app_in_tx, model) = (app.clone(), c.case.clone());
    app.db
        .transaction::<_, (), Error>(|tx| {
            Box::pin(async move {
                let record = Record::new("case.resume", format!("case {number}"))
                    .before(json!({ "terms": moved.iter().map(|m| json!({"term": m.1, "due_on": m.2})).collect::<Vec<_>>() }))
                    .after(json!({ "suspended_days": days,
                        "terms": moved.iter().map(|m| json!({"term": m.1, "due_on": m.3})).collect::<Vec<_>>() }));
                trail::change(tx, case_id, Some(version), &by, record, at).await?;
                notify::tell_everyone(
                    tx,
                    &app_in_tx,
                    &model,
                    notify::Message {
                        kind: "hervatting",
                        key: format!("suspension:{}:end", open.public_id),
                        term_id: None,
                        title: format!("Geschil {number} hervat"),
                        body: format!(
                            "Het geschil {number} is hervat op {}. De lopende termijnen zijn verlengd met de dagen dat zij waren opgeschort.",
                            nl_date(until)
                        ),
                    },
                )
                .await?;
                case_suspension::Entity::update_many()
                    .col_expr(case_suspension::Column::UntilOn, Some(until).into())
                    .col_expr(case_suspension::Column::ResumedBy, Some(by.internal_id).into())
                    .filter(case_suspension::Column::Id.eq(open.id))
                    .exec(tx)
                    .await?;
                for (term_id, _, _, due, fatal, suspended) in moved {
                    case_term::Entity::update_many()
                        .col_expr(case_term::Column::DueOn, due.into())
                        .col_expr(case_term::Column::FatalOn, fatal.into())
                        .col_expr(case_term::Column::SuspendedDays, suspended.into())
                        // Its reminder days moved with it: the sweep looks again today.
                        .col_expr(case_term::Column::SweepOn, Some(until).into())
                        .filter(case_term::Column::Id.eq(term_id))
                        .exec(tx)
                        .await?;
                }
                super::terms::refresh_parties(tx, case_id).await?;
                Ok(())
            })
        })
        .await?;
    super::get(app, actor, id).await
}

pub async fn extend(app: &App, actor: &Actor, id: Uuid, key: &str, ext: Extension) -> Result<CaseView> {
    let c = visible(&app.db, actor, id).await?;
    rulebook::check(app, actor, &c, Action::ExtendTerm)?;
    let Some(rule) = app.term_rules.get(key) else {
        return Err(invalid_field(
            "key",
            &format!("'{key}' is not a term of the reglement"),
            "Deze termijn kent het reglement niet.",
        ));
    };
    let term = case_term::Entity::find()
        .filter(case_term::Column::CaseId.eq(c.case.id))
        .filter(case_term::Column::Key.eq(key))
        .filter(case_term::Column::Status.eq(RUNNING))
        .one(&app.db)
        .await?
        .ok_or(Error::NotFound("running term"))?;
    rules::term_extension(rule, term.extensions as u32, ext.parties_consent).map_err(Error::Refused)?;
    let extensions = term.extensions + 1;
    let (due, fatal, _) = dates(
        &app.calendar,
        rule,
        term.starts_on,
        extensions as u32,
        term.suspended_days as u32,
    )?;
    let at = now();
    let by = actor.clone();
    let (case_id, version, number) = (c.case.id, c.case.version, c.case.number.clone());
    let (key, old_due) = (term.key.clone(), term.due_on);
    let (app_in_tx, model, label, term_public) = (app.clone(), c.case.clone(), rule.label.clone(), term.public_id);
    app.db
        .transaction::<_, (), Error>(|tx| {
            Box::pin(async move {
                let record = Record::new("term.extend", format!("case {number}"))
                    .reason(Some(ext.reason.into_inner()))
                    .before(json!({ "term": key, "due_on": old_due }))
                    .after(json!({ "term": key, "due_on": due, "extensions": extensions, "parties_consent": ext.parties_consent }));
                trail::change(tx, case_id, Some(version), &by, record, at).await?;
                notify::tell_everyone(
                    tx,
                    &app_in_tx,
                    &model,
                    notify::Message {
                        kind: "verlenging",
                        key: format!("term:{term_public}:extension:{extensions}"),
                        term_id: Some(term.id),
                        title: format!("Termijn verlengd: {label} (geschil {number})"),
                        body: format!(
                            "De termijn '{label}' in geschil {number} is verlengd tot en met {} {}.",
                            weekday_nl(due),
                            nl_date(due)
                        ),
                    },
                )
                .await?;
                case_term::Entity::update_many()
                    .col_expr(case_term::Column::DueOn, due.into())
                    .col_expr(case_term::Column::FatalOn, fatal.into())
                    .col_expr(case_term::Column::Extensions, extensions.into())
                    // Its reminder days moved with it: the sweep looks again today.
                    .col_expr(case_term::Column::SweepOn, Some(today()).into())
                    .filter(case_term::Column::Id.eq(term.id))
                    .exec(tx)
                    .await?;
                super::terms::refresh_parties(tx, case_id).await?;
                Ok(())
            })
        })
        .await?;
    super::get(app, actor, id).await
}
