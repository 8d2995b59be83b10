//! E-mail through SMTP (lettre), from the outbox: what happened, which case, which term, a
//! link — never the case's content. Rows are claimed with `FOR UPDATE SKIP LOCKED` on
//! PostgreSQL (and under the write lock on SQLite) one at a time, just before it is sent, and
//! leased for a minute (longer than the SMTP timeout), so two workers never send the same
//! row at once. A failure is retried with a growing pause (1, 2, 4 … minutes) and after the
//! last try the row stays as `failed`, with the error: never lost silently. A node killed
//! while sending leaves that one row's lease to run out; the row is then sent again —
//! at-least-once, as SMTP itself is — with the same `Message-ID`, so that mail systems and
//! clients recognise the second copy as the same message.

use chrono::{DateTime, Duration, Utc};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor, message::header::ContentType};
use sea_orm::{
    ActiveValue::{NotSet, Set},
    ColumnTrait, Condition, ConnectionTrait, DatabaseBackend, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    TransactionTrait,
    sea_query::{LockBehavior, LockType},
};
use secrecy::ExposeSecret;

use super::{App, now};
use crate::{
    error::{Error, Result},
    storage::entities::email_outbox,
};

pub const QUEUED: &str = "queued";
pub const SENDING: &str = "sending";
pub const SENT: &str = "sent";
pub const FAILED: &str = "failed";
/// Tries before a message is given up on.
pub const MAX_ATTEMPTS: i32 = 6;
/// Longer than the SMTP timeout (20 s), so a lease never runs out while its row is sent.
const LEASE: Duration = Duration::seconds(60);
const SMTP_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(20);

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DeliveryReport {
    pub sent: u64,
    pub retried: u64,
    pub failed: u64,
}

/// A new outbox row.
pub fn queued(dedupe_key: String, to: String, subject: String, body: String) -> email_outbox::ActiveModel {
    let at = now();
    email_outbox::ActiveModel {
        id: NotSet,
        dedupe_key: Set(dedupe_key),
        to_address: Set(to),
        subject: Set(subject),
        body: Set(body),
        status: Set(QUEUED.into()),
        attempts: Set(0),
        next_attempt_at: Set(at),
        locked_until: Set(None),
        last_error: Set(None),
        created_at: Set(at),
        sent_at: Set(None),
    }
}

/// The pause before try `attempts + 1`.
pub fn backoff(attempts: i32) -> Duration {
    Duration::minutes(1 << attempts.clamp(0, 10))
}

/// Claims the next due row: a queued one whose time has come, or one whose sender's lease
/// ran out. One at a time, so that a node that dies holds up at most one message.
async fn claim(app: &App, at: DateTime<Utc>) -> Result<Option<email_outbox::Model>> {
    app.db
        .transaction::<_, Option<email_outbox::Model>, Error>(|tx| {
            Box::pin(async move {
                crate::storage::write_first(tx).await?;
                let mut q = email_outbox::Entity::find()
                    .filter(
                        Condition::any()
                            .add(
                                Condition::all()
                                    .add(email_outbox::Column::Status.eq(QUEUED))
                                    .add(email_outbox::Column::NextAttemptAt.lte(at)),
                            )
                            .add(
                                Condition::all()
                                    .add(email_outbox::Column::Status.eq(SENDING))
                                    .add(email_outbox::Column::LockedUntil.lt(at)),
                            ),
                    )
                    .order_by_asc(email_outbox::Column::Id)
                    .limit(1);
                if tx.get_database_backend() == DatabaseBackend::Postgres {
                    q = q.lock_with_behavior(LockType::Update, LockBehavior::SkipLocked);
                }
                let Some(r) = q.one(tx).await? else {
                    return Ok(None);
                };
                let took = email_outbox::Entity::update_many()
                    .col_expr(email_outbox::Column::Status, SENDING.into())
                    .col_expr(email_outbox::Column::Attempts, (r.attempts + 1).into())
                    .col_expr(email_outbox::Column::LockedUntil, Some(at + LEASE).into())
                    .filter(email_outbox::Column::Id.eq(r.id))
                    .filter(email_outbox::Column::Status.eq(r.status.clone()))
                    .filter(email_outbox::Column::Attempts.eq(r.attempts))
                    .exec(tx)
                    .await?
                    .rows_affected;
                Ok((took == 1).then(|| email_outbox::Model {
                    attempts: r.attempts + 1,
                    ..r
                }))
            })
        })
        .await
        .map_err(Error::from)
}

/// The message's `Message-ID`: the same every time this row is sent, and unique to it.
fn message_id(row: &email_outbox::Model, from: &lettre::message::Mailbox) -> String {
    use sha2::Digest;
    let key = sha2::Sha256::digest(row.dedupe_key.as_bytes());
    let key: String = key[..8].iter().map(|b| format!("{b:02x}")).collect();
    format!("<beslecht.{}.{key}@{}>", row.id, from.email.domain())
}

fn message(app: &App, row: &email_outbox::Model) -> std::result::Result<Message, String> {
    let from: lettre::message::Mailbox = app.config.mail_from.parse().map_err(|e| format!("from: {e}"))?;
    Message::builder()
        .message_id(Some(message_id(row, &from)))
        .from(from)
        .to(row.to_address.parse().map_err(|e| format!("to: {e}"))?)
        .subject(row.subject.clone())
        .header(ContentType::TEXT_PLAIN)
        .body(row.body.clone())
        .map_err(|e| e.to_string())
}

/// Sends what is due; answers what happened.
pub async fn deliver(app: &App) -> Result<DeliveryReport> {
    let mut report = DeliveryReport::default();
    let Some(url) = &app.config.smtp_url else {
        return Ok(report);
    };
    let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url.expose_secret())
        .map_err(|e| Error::internal(format!("BESLECHT_SMTP_URL: {e}")))?
        .timeout(Some(SMTP_TIMEOUT))
        .build();
    loop {
        let Some(row) = claim(app, now()).await? else {
            return Ok(report);
        };
        let outcome = match message(app, &row) {
            Ok(m) => transport.send(m).await.map(|_| ()).map_err(|e| e.to_string()),
            Err(e) => Err(e),
        };
        let at = now();
        let mut update = email_outbox::Entity::update_many()
            .col_expr(email_outbox::Column::LockedUntil, Option::<DateTime<Utc>>::None.into())
            .filter(email_outbox::Column::Id.eq(row.id));
        update = match &outcome {
            Ok(()) => {
                report.sent += 1;
                update
                    .col_expr(email_outbox::Column::Status, SENT.into())
                    .col_expr(email_outbox::Column::SentAt, Some(at).into())
                    .col_expr(email_outbox::Column::LastError, Option::<String>::None.into())
            }
            Err(e) if row.attempts >= MAX_ATTEMPTS => {
                report.failed += 1;
                tracing::error!(outbox = row.id, attempts = row.attempts, error = %e, "e-mail given up after its last try");
                update
                    .col_expr(email_outbox::Column::Status, FAILED.into())
                    .col_expr(email_outbox::Column::LastError, Some(e.clone()).into())
            }
            Err(e) => {
                report.retried += 1;
                tracing::warn!(outbox = row.id, attempts = row.attempts, error = %e, "e-mail not sent; it will be retried");
                update
                    .col_expr(email_outbox::Column::Status, QUEUED.into())
                    .col_expr(email_outbox::Column::NextAttemptAt, (at + backoff(row.attempts)).into())
                    .col_expr(email_outbox::Column::LastError, Some(e.clone()).into())
            }
        };
        update.exec(&app.db).await?;
    }
}
