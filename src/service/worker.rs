//! The background worker: runs the reminder sweep, removes the bytes of interrupted uploads,
//! issues ruling documents that could not be issued at adoption,
//! sends due e-mail and writes the audit checkpoint when one is due, every round, inside `serve` (unless
//! `BESLECHT_WORKER_INTERVAL=0`) or on its own as `beslecht worker`. It keeps no state of its
//! own, so any number of nodes may run it at once (see [`super::reminders`]).

use std::time::Duration;

use super::{App, audit_checkpoints, documents, mailer, reminders, today};

/// What one round did: each task's outcome on its own, so one that failed does not hide
/// (or skip) the others.
#[derive(Debug)]
pub struct Round {
    pub reminders: crate::error::Result<reminders::SweepReport>,
    pub uploads: crate::error::Result<()>,
    pub mail: crate::error::Result<mailer::DeliveryReport>,
    /// The audit checkpoint written this round, if one was due.
    pub checkpoint: crate::error::Result<Option<i64>>,
    /// Ruling documents issued this round (those that could not be issued at adoption).
    pub rulings: crate::error::Result<usize>,
}

impl Round {
    /// The reminder sweep's report, or the first task's error.
    pub fn into_result(self) -> crate::error::Result<reminders::SweepReport> {
        self.uploads?;
        self.mail?;
        self.checkpoint?;
        self.rulings?;
        self.reminders
    }

    /// The first task that failed, if any.
    pub fn first_error(&self) -> Option<&crate::error::Error> {
        self.reminders
            .as_ref()
            .err()
            .or(self.uploads.as_ref().err())
            .or(self.mail.as_ref().err())
            .or(self.checkpoint.as_ref().err())
            .or(self.rulings.as_ref().err())
    }
}

/// One round: the reminders and signals due today, the bytes of interrupted uploads, the
/// e-mail that is due, and the audit checkpoint. Each task runs whatever became of the others: a failed reminder sweep
/// does not hold up the mail, nor the mail the uploads.
pub async fn round(app: &App) -> Round {
    let reminders = reminders::sweep(app, today()).await;
    match &reminders {
        Ok(report) if report.terms > 0 => tracing::info!(
            terms = report.terms,
            notifications = report.notifications,
            "reminders and signals sent"
        ),
        Ok(_) => {}
        Err(e) => tracing::warn!(error = %e, "the reminder sweep failed; it is retried at the next round"),
    }
    let uploads = documents::recovery::sweep(app, documents::recovery::STALE_AFTER)
        .await
        .map(|_| ());
    if let Err(e) = &uploads {
        tracing::warn!(error = %e, "removing interrupted uploads failed; it is retried at the next round");
    }
    let mail = mailer::deliver(app).await;
    match &mail {
        Ok(m) if *m != mailer::DeliveryReport::default() => tracing::info!(
            sent = m.sent,
            retried = m.retried,
            failed = m.failed,
            "e-mail delivered"
        ),
        Ok(_) => {}
        Err(e) => tracing::warn!(error = %e, "e-mail delivery failed; it is retried at the next round"),
    }
    let checkpoint = audit_checkpoints::write_due(app, super::now()).await;
    match &checkpoint {
        Ok(Some(n)) => tracing::info!(checkpoint = n, "audit checkpoint written"),
        Ok(None) => {}
        Err(e) => tracing::warn!(error = %e, "writing the audit checkpoint failed; it is retried at the next round"),
    }
    let rulings = super::rulings::issue::sweep(app).await;
    match &rulings {
        Ok(0) => {}
        Ok(n) => tracing::info!(documents = n, "ruling documents issued"),
        Err(e) => tracing::warn!(error = %e, "issuing ruling documents failed; it is retried at the next round"),
    }
    Round {
        reminders,
        uploads,
        mail,
        checkpoint,
        rulings,
    }
}

/// Rounds every `interval` until `shutdown` completes; a failed round is logged and retried
/// at the next.
pub async fn run(app: App, interval: Duration, shutdown: impl std::future::Future<Output = ()>) {
    let mut every = tokio::time::interval(interval.max(Duration::from_secs(1)));
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    tokio::pin!(shutdown);
    loop {
        tokio::select! {
            _ = &mut shutdown => return,
            _ = every.tick() => {
                // Each task logs its own failure; the next round retries it.
                round(&app).await;
            }
        }
    }
}
