//! Login throttling counters in the database, so every node sees the same counts.
//!
//! Every attempt is counted *before* the password is checked, with one atomic
//! `UPDATE … RETURNING` (no read-then-write), so a burst of simultaneous guesses gets
//! consecutive counts and those past the limit are refused without hashing. A successful
//! attempt gives its count back. SQLite never has to upgrade a read lock.

use std::time::Duration;

use sea_orm::{
    ActiveValue::Set,
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    sea_query::{Expr, ExprTrait},
};

use crate::{
    domain::throttle::{ThrottleRule, WINDOW},
    error::Result,
    storage::entities::login_throttle::{self, Column, Entity},
};

/// If `key` is currently refused, for how much longer. A refusal that has passed puts the
/// key on probation (one more try before the next refusal).
pub async fn blocked_for(
    db: &impl ConnectionTrait,
    key: &str,
    rule: &ThrottleRule,
    now: i64,
) -> Result<Option<Duration>> {
    let Some(row) = Entity::find_by_id(key.to_owned()).one(db).await? else {
        return Ok(None);
    };
    match row.blocked_until {
        Some(until) if until > now => Ok(Some(Duration::from_secs((until - now) as u64))),
        Some(until) => {
            Entity::update_many()
                .col_expr(Column::BlockedUntil, Expr::value(Option::<i64>::None))
                .col_expr(
                    Column::Failures,
                    Expr::case(Expr::col(Column::Failures).gt(rule.probation()), rule.probation())
                        .finally(Expr::col(Column::Failures))
                        .into(),
                )
                .filter(Column::Key.eq(key))
                .filter(Column::BlockedUntil.eq(until))
                .exec(db)
                .await?;
            Ok(None)
        }
        None => Ok(None),
    }
}

/// Counts one attempt for `key` in the current window and answers the count.
pub async fn count_attempt(db: &impl ConnectionTrait, key: &str, now: i64) -> Result<i32> {
    Entity::insert(login_throttle::ActiveModel {
        key: Set(key.to_owned()),
        failures: Set(0),
        window_started_at: Set(now),
        blocked_until: Set(None),
        strikes: Set(0),
        updated_at: Set(now),
    })
    .on_conflict_do_nothing_on([Column::Key])
    .exec(db)
    .await?;

    let window_start = now - WINDOW.as_secs() as i64;
    let rows = Entity::update_many()
        .col_expr(
            Column::Failures,
            Expr::case(Expr::col(Column::WindowStartedAt).lt(window_start), 1)
                .finally(Expr::col(Column::Failures).add(1))
                .into(),
        )
        .col_expr(
            Column::WindowStartedAt,
            Expr::case(Expr::col(Column::WindowStartedAt).lt(window_start), now)
                .finally(Expr::col(Column::WindowStartedAt))
                .into(),
        )
        .col_expr(Column::UpdatedAt, Expr::value(now))
        .filter(Column::Key.eq(key))
        .exec_with_returning(db)
        .await?;
    Ok(rows.first().map_or(1, |r| r.failures))
}

/// Takes back one counted attempt (a success, or an attempt refused without a check).
pub async fn forgive_attempt(db: &impl ConnectionTrait, key: &str) -> Result<()> {
    Entity::update_many()
        .col_expr(
            Column::Failures,
            Expr::case(Expr::col(Column::Failures).gt(0), Expr::col(Column::Failures).sub(1))
                .finally(0)
                .into(),
        )
        .filter(Column::Key.eq(key))
        .exec(db)
        .await?;
    Ok(())
}

/// Refuses `key` until `until` (never shortening a longer refusal already in place).
pub async fn block_until(db: &impl ConnectionTrait, key: &str, until: i64) -> Result<()> {
    Entity::update_many()
        .col_expr(
            Column::BlockedUntil,
            Expr::case(
                Expr::col(Column::BlockedUntil)
                    .is_null()
                    .or(Expr::col(Column::BlockedUntil).lt(until)),
                until,
            )
            .finally(Expr::col(Column::BlockedUntil))
            .into(),
        )
        .filter(Column::Key.eq(key))
        .exec(db)
        .await?;
    Ok(())
}

/// Counts a failure and applies the rule; answers how long to hold back the answer.
pub async fn record_failure(db: &impl ConnectionTrait, key: &str, rule: &ThrottleRule, now: i64) -> Result<Duration> {
    let failures = count_attempt(db, key, now).await?;
    apply_failure(db, key, rule, failures, now).await
}

/// Applies the rule to a failure already counted as the `failures`th: at the threshold the
/// key earns a strike and is refused for that strike's period.
pub async fn apply_failure(
    db: &impl ConnectionTrait,
    key: &str,
    rule: &ThrottleRule,
    failures: i32,
    now: i64,
) -> Result<Duration> {
    if rule.blocks_at(failures) {
        let rows = Entity::update_many()
            .col_expr(Column::Strikes, Expr::col(Column::Strikes).add(1))
            .filter(Column::Key.eq(key))
            .exec_with_returning(db)
            .await?;
        let strikes = rows.first().map_or(1, |r| r.strikes);
        block_until(db, key, now + rule.block(strikes - 1).as_secs() as i64).await?;
    }
    Ok(rule.delay(failures))
}

/// A successful sign-in clears the account's counter.
pub async fn clear(db: &impl ConnectionTrait, key: &str) -> Result<()> {
    Entity::delete_by_id(key.to_owned()).exec(db).await?;
    Ok(())
}

/// Removes counters nobody has touched for a day.
pub async fn prune(db: &impl ConnectionTrait, now: i64) -> Result<u64> {
    let cutoff = now - 24 * 3600;
    Ok(Entity::delete_many()
        .filter(Column::UpdatedAt.lt(cutoff))
        .exec(db)
        .await?
        .rows_affected)
}
