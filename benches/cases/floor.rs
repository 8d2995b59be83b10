//! The floor: the least any service could do for the same answers — a bare axum handler that
//! reads the same rows from the same database with sqlx, with no authentication, no rule
//! book, no audit and no middleware. Measured in the same run as Beslecht, so the ratio
//! between the two says what our layers cost, whatever the machine.
//!
//! - `GET /cases?org=N`: a party's first page (51 filed cases it is party to, newest first),
//!   walking `case_parties (organisation_id, case_id)`, with the columns a summary of ours
//!   shows (number, kind, domain, title, phase, stage, created and updated) and each case's
//!   parties by name, read for the whole page in a second statement.
//! - `GET /cases/{public_id}`: one case's row and every row that hangs off it (parties and
//!   their organisations, commission members, releases, terms, suspensions, submissions,
//!   rulings, the people named), which our detail reads too. The floor sends the same one
//!   statement (`bundle::statement`, the fastest way we know to read those rows: one round
//!   trip) and passes its JSON columns through, so what the ratio measures is our layers:
//!   authentication, the rule book, decoding into models and building the view.

use axum::{
    Json, Router,
    extract::{Path, Query, State},
    http::StatusCode,
    routing::get,
};
use sea_orm::{
    DatabaseConnection,
    sqlx::{self, PgPool, Row, SqlitePool},
};
use serde_json::{Value, json};
use uuid::Uuid;

#[derive(Clone)]
enum Pool {
    Postgres(PgPool),
    Sqlite(SqlitePool),
}

const LIST: &str = "SELECT c.id, c.public_id, c.number, c.kind, c.domain, c.title, c.phase, c.stage, \
    c.created_at, c.updated_at FROM case_parties cp \
    JOIN cases c ON c.id = cp.case_id \
    WHERE cp.organisation_id = $1 AND c.submitted_at IS NOT NULL \
    ORDER BY cp.case_id DESC LIMIT 51";
const PAGE_PARTIES: &str = "SELECT cp.case_id, o.name, cp.side FROM case_parties cp \
    JOIN organisations o ON o.id = cp.organisation_id WHERE cp.case_id IN";
/// The JSON columns of the case's statement, passed through as they come.
const HANGING_OFF: [&str; 9] = [
    "b_parties",
    "b_organisations",
    "b_members",
    "b_releases",
    "b_terms",
    "b_suspensions",
    "b_submissions",
    "b_rulings",
    "b_people",
];

#[derive(Clone)]
struct Floor {
    pool: Pool,
    /// The case's one statement, for this database.
    case: String,
}

/// The same code for both databases: only the pool's type differs.
macro_rules! on_pool {
    ($pool:expr, |$p:ident| $body:expr) => {
        match $pool {
            Pool::Postgres($p) => $body,
            Pool::Sqlite($p) => $body,
        }
    };
}

async fn list(
    State(Floor { pool, .. }): State<Floor>,
    Query(q): Query<std::collections::HashMap<String, i32>>,
) -> Result<Json<Value>, StatusCode> {
    let org = *q.get("org").ok_or(StatusCode::BAD_REQUEST)?;
    let rows: Vec<Value> = on_pool!(&pool, |p| {
        let cases = sqlx::query(LIST)
            .bind(org)
            .fetch_all(p)
            .await
            .map_err(|_| StatusCode::INTERNAL_SERVER_ERROR)?;
        let ids: Vec<i32> = cases.iter().map(|r| r.get::<i32, _>(0)).collect();
        let mut names: std::collections::HashMap<i32, (String, Vec<String>)> = Default::default();
        if !ids.is_empty() {
            let marks: Vec<String> = (1..=ids.len()).map(|i| format!("${i}")).collect();
            let sql = format!("{PAGE_PARTIES} ({})", marks.join(","));
            // Only placeholders are formatted in; the ids are bound.
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
            for id in &ids {
                q = q.bind(*id);
            }
            for r in q.fetch_all(p).await.map_err(|_| StatusCode::INTERNAL_SERVER_ERROR)? {
                let entry = names.entry(r.get::<i32, _>(0)).or_default();
                let name = r.get::<String, _>(1);
                if r.get::<String, _>(2) == "verzoeker" {
                    entry.0 = name
                } else {
                    entry.1.push(name)
                }
            }
        }
        cases
            .iter()
            .map(|r| {
                let (claimant, mut respondents) = names.remove(&r.get::<i32, _>(0)).unwrap_or_default();
                respondents.sort();
                json!({
                    "id": r.get::<Uuid, _>(1), "number": r.get::<String, _>(2), "kind": r.get::<String, _>(3),
                    "domain": r.get::<String, _>(4), "title": r.get::<String, _>(5), "phase": r.get::<String, _>(6),
                    "stage": r.get::<Option<String>, _>(7),
                    "created_at": r.get::<chrono::DateTime<chrono::Utc>, _>(8),
                    "updated_at": r.get::<chrono::DateTime<chrono::Utc>, _>(9),
                    "claimant": claimant, "respondents": respondents,
                })
            })
            .collect()
    });
    Ok(Json(json!({ "items": rows })))
}

async fn detail(State(floor): State<Floor>, Path(id): Path<Uuid>) -> Result<Json<Value>, StatusCode> {
    let sql = floor.case.clone();
    on_pool!(&floor.pool, |p| {
        // Made once at start (`bundle::statement`), only the id is bound.
        let c = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(p)
            .await
            .map_err(|_| StatusCode::INTERNAL_SERVER_ERROR)?
            .ok_or(StatusCode::NOT_FOUND)?;
        let mut view = json!({
            "id": c.get::<Uuid, _>("public_id"), "number": c.get::<String, _>("number"),
            "kind": c.get::<String, _>("kind"), "domain": c.get::<String, _>("domain"),
            "title": c.get::<String, _>("title"), "summary": c.get::<String, _>("summary"),
            "phase": c.get::<String, _>("phase"), "stage": c.get::<Option<String>, _>("stage"),
            "version": c.get::<i32, _>("version"),
        });
        for column in HANGING_OFF {
            let rows: Value =
                serde_json::from_str(&c.get::<String, _>(column)).map_err(|_| StatusCode::INTERNAL_SERVER_ERROR)?;
            view[column.trim_start_matches("b_")] = rows;
        }
        Ok(Json(view))
    })
}

/// Serves the floor on its own port, on the application's own connection pool; answers its
/// base address.
pub async fn serve(db: &DatabaseConnection) -> String {
    let pool = match db.get_database_backend() {
        sea_orm::DatabaseBackend::Postgres => Pool::Postgres(db.get_postgres_connection_pool().clone()),
        _ => Pool::Sqlite(db.get_sqlite_connection_pool().clone()),
    };
    let case = beslecht::service::cases::bundle::statement(db.get_database_backend()).sql;
    let router = Router::new()
        .route("/cases", get(list))
        .route("/cases/{id}", get(detail))
        .with_state(Floor { pool, case });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, router).await });
    base
}
