//! The shape of a party's case list: at a size where the planner's choice matters (20,000
//! filed cases, one organisation party to 1 % of them and one to 40 %, plus concepts), the
//! query for a page's ids walks the organisation's index and the filer's index — on PostgreSQL
//! (`EXPLAIN`) and SQLite (`EXPLAIN QUERY PLAN`) alike — and never scans the cases, nor
//! filters every case through a subplan (the `OR` across `EXISTS` that once cost seconds).
//! Narrowed by phase (and kind), the walk follows the parties' copies of them.

use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseBackend, EntityTrait, QueryFilter, QueryTrait, Statement};
use serde_json::json;

use crate::{case_support::*, harness::*, on_both_databases};
use beslecht::{
    domain::{dispute::DisputeKind, procedure::Phase},
    service::{
        Actor,
        cases::{
            access::visible_page,
            bundle,
            list::page_statement,
            narrowing::{Narrowing, Waiting},
        },
        identity,
    },
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

async fn actor(t: &TestApp, username: &str) -> Actor {
    let model = user::Entity::find()
        .filter(user::Column::Username.eq(username))
        .one(&t.app.db)
        .await
        .unwrap()
        .unwrap();
    identity::actor_of(&t.app, model).await.unwrap()
}

/// The plan of `stmt`, a line per step.
async fn explain(t: &TestApp, stmt: Statement) -> String {
    let db = &t.app.db;
    let backend = db.get_database_backend();
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

/// The plan of the ids of a party's first page, narrowed by `narrowing`.
async fn plan(t: &TestApp, username: &str, narrowing: Narrowing) -> String {
    let backend = t.app.db.get_database_backend();
    let actor = actor(t, username).await;
    explain(
        t,
        backend.build(&visible_page(&actor, sea_orm::Condition::all(), &narrowing, None, 51)),
    )
    .await
}

/// Whether `plan` reads every row of `table` (on either database).
fn scans(plan: &str, table: &str) -> bool {
    plan.lines().any(|line| {
        let line = line.trim_start_matches(|c: char| !c.is_alphabetic());
        line.starts_with(&format!("Seq Scan on {table} "))
            || (line.starts_with(&format!("SCAN {table}")) && !line.contains("INDEX"))
    })
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
        // One in twenty of the filed copies in the commission's phase, for the narrowed lists.
        exec(&t, "UPDATE cases SET phase = 'commissie', stage = 'verweer' WHERE number LIKE 'F-%' AND id % 20 = 3").await;
        // Parties: Maastricht claimant in 1 % of the copies, Eindhoven in 40 %, Helmond in the
        // rest; Heerlen respondent in all.
        let org = |name: &str| format!("(SELECT id FROM organisations WHERE kind = 'gemeente' AND name = '{name}')");
        exec(&t, "DELETE FROM case_parties WHERE case_id IN (SELECT id FROM cases WHERE number LIKE 'F-%' OR number LIKE 'C-%')").await;
        exec(&t, &format!(
            "INSERT INTO case_parties (case_id, organisation_id, side, phase, kind) \
             SELECT id, CASE WHEN id % 100 = 0 THEN {} WHEN id % 5 < 2 THEN {} ELSE {} END, 'verzoeker', phase, kind \
             FROM cases WHERE number LIKE 'F-%' OR number LIKE 'C-%'",
            org("Maastricht"), org("Eindhoven"), org("Helmond"))).await;
        exec(&t, &format!(
            "INSERT INTO case_parties (case_id, organisation_id, side, phase, kind) \
             SELECT id, {}, 'verweerder', phase, kind FROM cases WHERE number LIKE 'F-%' OR number LIKE 'C-%'",
            org("Heerlen"))).await;
        // A running term in one case in ten, waiting on the claimant; its last day passed.
        exec(&t, "UPDATE case_parties SET next_due_on = '2026-01-05' WHERE case_id % 10 = 1").await;
        exec(&t, "UPDATE case_parties SET waits_until = next_due_on WHERE side = 'verzoeker'").await;
        exec(&t, "ANALYZE").await;

        for user in ["demo-gemeente", "demo-gemeente-3", "demo-gemeente-2"] {
            let plan = plan(&t, user, Narrowing::default()).await;
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

            // The whole list statement: those ids, their rows by primary key, and their
            // parties' names, without a scan.
            let actor = actor(&t, user).await;
            let sent = beslecht::storage::literal_limits(page_statement(backend, &actor, sea_orm::Condition::all(), &Narrowing::default(), None, 51));
            if backend == DatabaseBackend::Postgres {
                // The limits stand as numbers, so PostgreSQL may keep one plan for the list.
                assert!(sent.sql.contains("LIMIT 51") && !sent.sql.contains("LIMIT $"), "{}", sent.sql);
            }
            let list = explain(&t, sent).await;
            for table in ["cases", "case_parties"] {
                assert!(!scans(&list, table), "{user}: the list scans {table}\n{list}");
            }
            assert!(list.contains("case_parties_organisation"), "{user}: the list walks the organisation's index\n{list}");

            // Narrowed by phase, or phase and kind: the walk reads only the organisation's
            // cases in that phase, by the parties' copy of it.
            for narrowing in [
                Narrowing { phase: Some(Phase::Commissie), ..Default::default() },
                Narrowing { phase: Some(Phase::Commissie), kind: Some(DisputeKind::BinnenRegio), ..Default::default() },
            ] {
                let narrowed = self::plan(&t, user, narrowing.clone()).await;
                for table in ["cases", "case_parties"] {
                    assert!(!scans(&narrowed, table), "{user} {narrowing:?}: a scan of {table}\n{narrowed}");
                }
                assert!(narrowed.contains("case_parties_phase"), "{user} {narrowing:?}: the walk by phase\n{narrowed}");
                eprintln!("{user} {narrowing:?} ({backend:?}):\n{narrowed}\n");
            }
            // Waiting on us, or a term passed: the walk follows the party's copies of its
            // deadlines, in the partial indexes that hold only rows with one.
            let me = actor.clone();
            for (narrowing, index) in [
                (Narrowing { waiting: Some(Waiting::of(&me)), ..Default::default() }, "case_parties_waiting"),
                (Narrowing { overdue_before: Some(chrono::NaiveDate::from_ymd_opt(2026, 6, 1).unwrap()), ..Default::default() }, "case_parties_due"),
            ] {
                let narrowed = self::plan(&t, user, narrowing.clone()).await;
                for table in ["cases", "case_parties"] {
                    assert!(!scans(&narrowed, table), "{user} {narrowing:?}: a scan of {table}\n{narrowed}");
                }
                assert!(narrowed.contains(index), "{user} {narrowing:?}: the walk by {index}\n{narrowed}");
                // No concept has a term: the person's concepts are not walked to find none.
                assert!(!narrowed.contains("cases_concepts"), "{user} {narrowing:?}: the concepts walked\n{narrowed}");
                eprintln!("{user} {narrowing:?} ({backend:?}):\n{narrowed}\n");
            }
        }

        // Everyone else's walk (the secretary's: every filed case) narrowed by a term: waiting
        // on them, it follows the cases newest first and looks each one's running terms up by
        // case — never the other way round (every such term of the database first, then a
        // sort), which SQLite 3.46+ chooses when it turns the EXISTS into a join and which cost
        // seconds at a million cases; a term passed, it walks the cases with a running term by
        // their copy of its last day (`cases_due`).
        exec(&t, &format!(
            "INSERT INTO case_terms (public_id, case_id, key, who, starts_on, due_on, fatal_on, extensions, \
             suspended_days, reminders_sent, overdue_signalled, status, created_at) \
             SELECT {}, id, 'repliek', CASE WHEN id % 20 = 1 THEN 'secretaris' ELSE 'verzoeker' END, \
             '2026-01-01', '2026-01-05', '2026-01-05', 0, 0, 0, false, 'running', created_at \
             FROM cases WHERE number LIKE 'F-%' AND id % 10 = 1",
            if backend == DatabaseBackend::Postgres { "gen_random_uuid()" } else { "randomblob(16)" })).await;
        // The cases' own copy of their first running term's last day (as the service keeps it).
        exec(&t, "UPDATE cases SET next_due_on = '2026-01-05' WHERE number LIKE 'F-%' AND id % 10 = 1").await;
        // The reminder sweep's day for each: one in twenty has come, the rest are weeks ahead.
        let date = if backend == DatabaseBackend::Postgres { "::date" } else { "" };
        exec(&t, &format!("UPDATE case_terms SET sweep_on = CASE WHEN id % 20 = 0 THEN '2026-05-29'{date} ELSE '2026-07-01'{date} END")).await;
        exec(&t, "ANALYZE").await;
        // The sweep reads the terms whose day has come by its partial index, never all
        // running terms (before: every term within two weeks of its end, every minute).
        let sweep = explain(&t, beslecht::service::reminders::due_terms(backend, chrono::NaiveDate::from_ymd_opt(2026, 6, 1).unwrap(), None).build(backend)).await;
        assert!(!scans(&sweep, "case_terms"), "the sweep scans the terms\n{sweep}");
        assert!(sweep.contains("case_terms_sweep_on"), "the sweep walks its index\n{sweep}");
        eprintln!("sweep ({backend:?}):\n{sweep}\n");
        // Its next batch, after the last term it looked at: the same walk, further on.
        let day = chrono::NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();
        let next = explain(&t, beslecht::service::reminders::due_terms(backend, day, Some((day, 5))).build(backend)).await;
        assert!(!scans(&next, "case_terms") && next.contains("case_terms_sweep_on"), "the sweep's next batch\n{next}");
        let secretary = actor(&t, "demo-secretaris").await;
        for narrowing in [
            Narrowing { waiting: Some(Waiting::of(&secretary)), ..Default::default() },
            Narrowing { overdue_before: Some(chrono::NaiveDate::from_ymd_opt(2026, 6, 1).unwrap()), ..Default::default() },
        ] {
            let narrowed = self::plan(&t, "demo-secretaris", narrowing.clone()).await;
            assert!(!scans(&narrowed, "case_terms"), "secretary {narrowing:?}: a scan of the terms\n{narrowed}");
            match backend {
                DatabaseBackend::Postgres => {
                    assert!(!narrowed.contains("Sort Key: cases.") && !narrowed.contains("Sort Key: case_terms."), "secretary {narrowing:?}: collected, then sorted\n{narrowed}");
                }
                _ => {
                    assert!(!narrowed.contains("TEMP B-TREE"), "secretary {narrowing:?}: collected, then sorted\n{narrowed}");
                    assert!(narrowing.overdue_before.is_some() || narrowed.contains("case_terms_lookup"), "secretary {narrowing:?}: terms by case\n{narrowed}");
                    // Not a join either, which leaves the planner free to start from the
                    // terms once they outnumber the cases it expects to walk.
                    assert!(!narrowed.contains("case_terms EXISTS"), "secretary {narrowing:?}: the check made a join\n{narrowed}");
                }
            }
            if narrowing.overdue_before.is_some() {
                // "A term passed" walks only the cases that have a running term, by the copy of
                // its last day beside the id; the terms themselves are not read.
                assert!(narrowed.contains("cases_due"), "secretary {narrowing:?}: the walk of cases with a term\n{narrowed}");
                assert!(!narrowed.contains("case_terms"), "secretary {narrowing:?}: the terms read\n{narrowed}");
            }
            eprintln!("secretary {narrowing:?} ({backend:?}):\n{narrowed}\n");
        }

        // A case with everything hanging off it, in one statement that walks indexes only.
        let mut one = bundle::statement(backend);
        let id = t.app.db.query_one_raw(Statement::from_string(backend, "SELECT public_id FROM cases WHERE number = 'F-77'")).await.unwrap().unwrap();
        one.values = Some(sea_orm::Values(vec![id.try_get::<uuid::Uuid>("", "public_id").unwrap().into()]));
        let plan = explain(&t, one).await;
        // (The other tables hold a few rows here, which a planner may rightly read whole.)
        for table in ["cases", "case_parties"] {
            assert!(!scans(&plan, table), "a case's bundle scans {table}\n{plan}");
        }
        eprintln!("bundle ({backend:?}):\n{plan}\n");
        // The same, read beside the caller a token names (the case detail's one statement on
        // PostgreSQL; SQLite never sends it, as its planner walked every term beside the caller).
        if backend == DatabaseBackend::Postgres {
            let case = id.try_get::<uuid::Uuid>("", "public_id").unwrap();
            let me = beslecht::service::identity::Presented::sample(uuid::Uuid::new_v4(), uuid::Uuid::new_v4());
            let plan = explain(&t, bundle::statement_as(backend, &me, case)).await;
            for table in ["cases", "case_parties", "case_terms"] {
                assert!(!scans(&plan, table), "a case's bundle beside its caller scans {table}\n{plan}");
            }
            eprintln!("bundle with its caller ({backend:?}):\n{plan}\n");
        }
    }
}
