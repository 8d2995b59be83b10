//! The background worker: runs the reminder sweep, removes the bytes of interrupted uploads
//! and sends due e-mail every round, inside `serve` (unless
//! `BESLECHT_WORKER_INTERVAL=0`) or on its own as `beslecht worker`. It keeps no state of its
//! own, so any number of nodes may run it at once (see [`super::reminders`]).

use std::time::Duration;

use super::{App, documents, mailer, reminders, today};

/// One round: everything due today, then the e-mail that is due.
pub async fn round(app: &App) -> crate::error::Result<reminders::SweepReport> {
    let report = reminders::sweep(app, today()).await?;
    if report.terms > 0 {
        tracing::info!(
            terms = report.terms,
            notifications = report.notifications,
            "reminders and signals sent"
        );
    }
    documents::recovery::sweep(app, documents::recovery::STALE_AFTER).await?;
    let mail = mailer::deliver(app).await?;
    if mail != mailer::DeliveryReport::default() {
        tracing::info!(
            sent = mail.sent,
            retried = mail.retried,
            failed = mail.failed,
            "e-mail delivered"
        );
    }
    Ok(report)
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
                if let Err(e) = round(&app).await {
                    tracing::warn!(error = %e, "worker round failed; it is retried at the next round");
                }
            }
        }
    }
}
