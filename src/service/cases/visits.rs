//! Each person's visits to case pages: the page records one and answers the visit before,
//! so that what changed since is marked "nieuw". The overview asks which of its cases
//! changed since the person last opened them.
//!
//! Decisions: a case never opened counts as new to the person (they have not seen any of
//! it); on a case page, documents are marked new only from the second visit on (on the first
//! everything is new, and a badge on every row says nothing). A change the person made
//! themselves in the web ends on their case page, which records a visit, so their own steps
//! do not mark the case for them.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, JoinType, QueryFilter, QueryOrder, QuerySelect, RelationTrait,
    sea_query::{Alias, Expr, ExprTrait, OnConflict, Query},
};
use uuid::Uuid;

use super::access::visible_condition;
use crate::{
    authz::{Action, Resource},
    error::Result,
    service::{Actor, App},
    storage::entities::{case, case_visit},
};

/// Records that `user` opened case `case` at `at`; answers when they opened it before
/// (`None` on the first visit). One statement.
pub async fn record(
    db: &impl ConnectionTrait,
    user: i32,
    case: i32,
    at: DateTime<Utc>,
) -> Result<Option<DateTime<Utc>>> {
    use case_visit::Column::*;
    let insert = Query::insert()
        .into_table(case_visit::Entity)
        .columns([UserId, CaseId, SeenAt, PreviousAt])
        .values_panic([
            user.into(),
            case.into(),
            at.into(),
            Option::<DateTime<Utc>>::None.into(),
        ])
        .on_conflict(
            OnConflict::columns([UserId, CaseId])
                // Both databases read the row's old values on the right-hand side.
                .value(PreviousAt, Expr::col((case_visit::Entity, SeenAt)))
                .value(SeenAt, Expr::col((Alias::new("excluded"), SeenAt)))
                .to_owned(),
        )
        .returning_col(PreviousAt)
        .to_owned();
    let row = db.query_one_raw(db.get_database_backend().build(&insert)).await?;
    Ok(match row {
        Some(row) => row.try_get::<Option<DateTime<Utc>>>("", "previous_at")?,
        None => None,
    })
}

/// When `user` last opened each of `cases` (by public id; those never opened are absent).
/// One statement, by the cases' public ids and the visits' primary key.
pub async fn last_seen(db: &impl ConnectionTrait, user: i32, cases: &[Uuid]) -> Result<HashMap<Uuid, DateTime<Utc>>> {
    if cases.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(case_visit::Entity::find()
        .select_only()
        .column_as(Expr::col((case::Entity, case::Column::PublicId)), "public_id")
        .column(case_visit::Column::SeenAt)
        .join(JoinType::InnerJoin, case_visit::Relation::Case.def())
        .filter(case_visit::Column::UserId.eq(user))
        .filter(case::Column::PublicId.is_in(cases.iter().copied()))
        .into_tuple::<(Uuid, DateTime<Utc>)>()
        .all(db)
        .await?
        .into_iter()
        .collect())
}

/// A case that changed after the person last opened it.
pub struct Changed {
    pub id: Uuid,
    pub number: String,
    pub title: String,
    pub updated_at: DateTime<Utc>,
}

/// The cases `actor` opened before and that changed since, most recently changed first, at
/// most `limit` — only those they may still see (the rule book's visibility as SQL, as the
/// list uses it). One statement: the person's visits by primary key, their cases by theirs.
pub async fn changed_since_visit(app: &App, actor: &Actor, limit: u64) -> Result<Vec<Changed>> {
    app.authorize(actor, Action::CaseList, &Resource::Directory("cases"))?;
    let rows = case::Entity::find()
        .select_only()
        .columns([
            case::Column::PublicId,
            case::Column::Number,
            case::Column::Title,
            case::Column::UpdatedAt,
        ])
        .join(JoinType::InnerJoin, case_visit::Relation::Case.def().rev())
        .filter(case_visit::Column::UserId.eq(actor.internal_id))
        .filter(
            Expr::col((case::Entity, case::Column::UpdatedAt))
                .gt(Expr::col((case_visit::Entity, case_visit::Column::SeenAt))),
        )
        .filter(visible_condition(actor))
        .order_by_desc(case::Column::UpdatedAt)
        .limit(limit)
        .into_tuple::<(Uuid, String, String, DateTime<Utc>)>()
        .all(&app.db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(id, number, title, updated_at)| Changed {
            id,
            number,
            title,
            updated_at,
        })
        .collect())
}

/// Whether a case last changed at `updated_at` is new to someone who last saw it at `seen`.
pub fn is_new(updated_at: DateTime<Utc>, seen: Option<DateTime<Utc>>) -> bool {
    seen.is_none_or(|seen| updated_at > seen)
}

/// Whether something done at `at` by `by` is new to `me`, whose visit before this one was at
/// `previous` (nothing is marked on a first visit, nor what `me` did).
pub fn arrived_since(at: DateTime<Utc>, by: Uuid, me: Uuid, previous: Option<DateTime<Utc>>) -> bool {
    by != me && previous.is_some_and(|seen| at > seen)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_case_is_new_until_seen_after_its_last_change() {
        let t = |s: &str| s.parse::<DateTime<Utc>>().unwrap();
        assert!(is_new(t("2026-12-01T10:00:00Z"), None));
        assert!(is_new(t("2026-12-01T10:00:01Z"), Some(t("2026-12-01T10:00:00Z"))));
        assert!(!is_new(t("2026-12-01T10:00:00Z"), Some(t("2026-12-01T10:00:00Z"))));
        assert!(!is_new(t("2026-11-30T10:00:00Z"), Some(t("2026-12-01T10:00:00Z"))));
    }

    #[test]
    fn a_document_is_new_from_the_second_visit_when_someone_else_added_it() {
        let t = |s: &str| s.parse::<DateTime<Utc>>().unwrap();
        let (me, other) = (Uuid::new_v4(), Uuid::new_v4());
        let seen = Some(t("2026-12-01T10:00:00Z"));
        assert!(arrived_since(t("2026-12-01T11:00:00Z"), other, me, seen));
        assert!(
            !arrived_since(t("2026-12-01T11:00:00Z"), me, me, seen),
            "what I did myself"
        );
        assert!(
            !arrived_since(t("2026-12-01T09:00:00Z"), other, me, seen),
            "before my visit"
        );
        assert!(
            !arrived_since(t("2026-12-01T11:00:00Z"), other, me, None),
            "the first visit"
        );
    }
}
