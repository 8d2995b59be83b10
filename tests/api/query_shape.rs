//! The shape of a party's case list: at a size where the planner's choice matters (20,000
//! filed cases, one organisation party to 1 % of them and one to 40 %, plus concepts), the
//! query for a page's ids walks the organisation's index and the filer's index — on PostgreSQL
//! (`EXPLAIN`) and SQLite (`EXPLAIN QUERY PLAN`) alike — and never scans the cases, nor
//! filters every case through a subplan (the `OR` across `EXISTS` that once cost seconds).

use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseBackend, EntityTrait, QueryFilter, Statement};
use serde_json::json;

use crate::{case_support::*, harness::*, on_both_databases};
use beslecht::{
    service::{cases::access::visible_page, identity},
    storage::entities::user,
};

const COPIES: u32 = 20_000;

async fn exec(t: &TestApp, sql: &str) {
    t.app.db.execute_unprepared(sql).await.unwrap();
}

/// `n` copies of case `id`, numbered `prefix-1` … `prefix-n`, filed by the same person.
fn copies(backend: DatabaseBackend, id: &str, prefix: &str, n: u32) -> String {
    let uuid = match backend {
        DatabaseBackend::Postgres => "gen_random_uuid()",
        _ => "randomblob(16)",
    };
    let cols = "kind, domain, title, summary, claimant_id, filed_by, phase, stage, facts, mediator_id, chair_id, \
        mediation_outcome, mediation_summary, hearing_at, hearing_location, hearing_summary, closing_reason, version, \
        created_at, updated_at, submitted_at, closed_at";
    format!(
        "WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < {n}) \
         INSERT INTO cases (public_id, number, {cols}) \
         SELECT {uuid}, '{prefix}-' || g.n, {cols} FROM cases, g WHERE cases.public_id = (SELECT public_id FROM cases WHERE number = '{id}')"
    )
}

async fn plan(t: &TestApp, username: &str) -> String {
    let db = &t.app.db;
    let backend = db.get_database_backend();
    let model = user::Entity::find()
        .filter(user::Column::Username.eq(username))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    let actor = identity::actor_of(&t.app, model).await.unwrap();
    let stmt = backend.build(&visible_page(&actor, sea_orm::Condition::all(), None, 51));
    let explain = match backend {
        DatabaseBackend::Postgres => "EXPLAIN",
        _ => "EXPLAIN QUERY PLAN",
    };
    let rows = db
        .query_all_raw(Statement::from_sql_and_values(
            backend,
            format!("{explain} {}", stmt.sql),
            stmt.values.map(|v| v.0).unwrap_or_default(),
        ))
        .await
        .unwrap();
    let column = match backend {
        DatabaseBackend::Postgres => "QUERY PLAN",
        _ => "detail",
    };
    rows.iter()
        .map(|r| r.try_get::<String>("", column).unwrap())
        .collect::<Vec<_>>()
        .join("\n")
}

on_both_databases! {
    async fn a_party_list_walks_indexes_whatever_the_organisations_share(t: TestApp) {
        let backend = t.app.db.get_database_backend();
        // One filed case and one concept of Maastricht's, as templates.
        let filed = file_binnen_regio(&t).await;
        step_ok(&t, "demo-gemeente", filed["id"].as_str().unwrap(), "submit", json!({})).await;
        let concept = file_binnen_regio(&t).await;
        exec(&t, &copies(backend, filed["number"].as_str().unwrap(), "F", COPIES)).await;
        exec(&t, &copies(backend, concept["number"].as_str().unwrap(), "C", 20)).await;
        // Parties: Maastricht claimant in 1 % of the copies, Eindhoven in 40 %, Helmond in the
        // rest; Heerlen respondent in all.
        let org = |name: &str| format!("(SELECT id FROM organisations WHERE kind = 'gemeente' AND name = '{name}')");
        exec(&t, "DELETE FROM case_parties WHERE case_id IN (SELECT id FROM cases WHERE number LIKE 'F-%' OR number LIKE 'C-%')").await;
        exec(&t, &format!(
            "INSERT INTO case_parties (case_id, organisation_id, side) \
             SELECT id, CASE WHEN id % 100 = 0 THEN {} WHEN id % 5 < 2 THEN {} ELSE {} END, 'verzoeker' \
             FROM cases WHERE number LIKE 'F-%' OR number LIKE 'C-%'",
            org("Maastricht"), org("Eindhoven"), org("Helmond"))).await;
        exec(&t, &format!(
            "INSERT INTO case_parties (case_id, organisation_id, side) \
             SELECT id, {}, 'verweerder' FROM cases WHERE number LIKE 'F-%' OR number LIKE 'C-%'",
            org("Heerlen"))).await;
        exec(&t, "ANALYZE").await;

        for user in ["demo-gemeente", "demo-gemeente-3", "demo-gemeente-2"] {
            let plan = plan(&t, user).await;
            match backend {
                DatabaseBackend::Postgres => {
                    assert!(!plan.contains("Seq Scan on cases") && !plan.contains("Seq Scan on case_parties"), "{user}: a scan\n{plan}");
                    assert!(!plan.contains("SubPlan"), "{user}: every case filtered through a subplan\n{plan}");
                    assert!(plan.contains("case_parties_organisation"), "{user}: the organisation's index\n{plan}");
                    assert!(plan.contains("cases_concepts"), "{user}: the filer's index\n{plan}");
                }
                _ => {
                    for line in plan.lines() {
                        let scans = |table: &str| line.starts_with(&format!("SCAN {table}")) && !line.contains("INDEX");
                        assert!(!scans("cases") && !scans("case_parties"), "{user}: a scan\n{plan}");
                    }
                    assert!(!plan.contains("LIST SUBQUERY") && !plan.contains("MULTI-INDEX OR"), "{user}: every case of the organisation collected, then sorted\n{plan}");
                    assert!(plan.contains("SEARCH case_parties USING") && plan.contains("case_parties_organisation"), "{user}: the organisation's index\n{plan}");
                    // SQLite reads `submitted_at IS NULL` as an equality, so the older index
                    // walks the concepts in id order as well.
                    assert!(plan.contains("cases_concepts") || plan.contains("cases_filed_by (filed_by=? AND submitted_at=?)"), "{user}: the filer's index\n{plan}");
                }
            }
            eprintln!("{user} ({backend:?}):\n{plan}\n");
        }
    }
}
