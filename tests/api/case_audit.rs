//! The audit trail is tamper-evident: a changed, removed or reordered entry is found, by the
//! API and by `beslecht audit verify`, which names the first broken entry.

use sea_orm::ConnectionTrait;
use serde_json::Value;

use beslecht::service::{audit, cases::verify::verify_all};

use crate::{case_support::*, harness::*, on_both_databases};

async fn trail(t: &TestApp, id: &str) -> Value {
    let token = t.token("demo-secretaris").await;
    t.get(&format!("/api/v1/cases/{id}/audit"), Some(&token))
        .await
        .json()
        .await
        .unwrap()
}

async fn sql(t: &TestApp, statement: &str) {
    t.app.db.execute_unprepared(statement).await.expect(statement);
}

on_both_databases! {
    async fn a_changed_removed_or_reordered_entry_is_found(t: TestApp) {
        let first = case_after_failed_mediation(&t).await;
        let id = case_after_failed_mediation(&t).await;
        let report = verify_all(&t.app.db).await.unwrap();
        assert_eq!(report.broken, None);
        assert_eq!((report.cases, report.entries), (2, 10));

        // Someone with database access softens a reason.
        let case_id = "(SELECT id FROM cases WHERE number LIKE '%-0002')";
        sql(&t, &format!("UPDATE case_audit_entries SET action = 'step.withdraw' WHERE case_id = {case_id} AND sequence = 3")).await;
        let broken = verify_all(&t.app.db).await.unwrap().broken.expect("found");
        assert!(broken.case_number.ends_with("-0002"));
        assert_eq!(broken.sequence, 3);
        assert!(broken.why.contains("changed"));
        let api = trail(&t, &id).await;
        assert_eq!((api["intact"].clone(), api["first_broken"].clone()), (Value::Bool(false), Value::from(3)));
        assert_eq!(trail(&t, &first).await["intact"], true, "the other case is untouched");
        sql(&t, &format!("UPDATE case_audit_entries SET action = 'step.admit' WHERE case_id = {case_id} AND sequence = 3")).await;
        assert_eq!(verify_all(&t.app.db).await.unwrap().broken, None, "restored exactly, it holds again");

        // Removing the last entry (the tail) is found too.
        sql(&t, &format!("DELETE FROM case_audit_entries WHERE case_id = {case_id} AND sequence = 5")).await;
        let broken = verify_all(&t.app.db).await.unwrap().broken.expect("found");
        assert_eq!(broken.sequence, 5);

        // Swapping two entries' places.
        sql(&t, "UPDATE case_audit_entries SET sequence = 100 WHERE sequence = 1 AND case_id = (SELECT id FROM cases WHERE number LIKE '%-0001')").await;
        sql(&t, "UPDATE case_audit_entries SET sequence = 1 WHERE sequence = 2 AND case_id = (SELECT id FROM cases WHERE number LIKE '%-0001')").await;
        sql(&t, "UPDATE case_audit_entries SET sequence = 2 WHERE sequence = 100").await;
        let broken = verify_all(&t.app.db).await.unwrap().broken.expect("found");
        assert!(broken.case_number.ends_with("-0001"));
        assert_eq!(broken.sequence, 1);
    }
}

on_both_databases! {
    async fn the_service_audit_log_is_chained_and_a_change_to_it_is_found(t: TestApp) {
        // Administration writes the service's log: the administrator registers a municipality.
        let admin = t.token("beheerder").await;
        let res = t.send_json(reqwest::Method::POST, "/api/v1/organisations", Some(&admin),
            &serde_json::json!({"name": "Gemeente Testdorp", "kind": "gemeente", "cbs_code": "gm9999"})).await;
        assert_eq!(res.status(), 201);
        let (events, broken) = audit::verify(&t.app.db).await.unwrap();
        assert_eq!(broken, None);
        assert!(events >= 2, "{events}");

        // A database administrator changes who did it.
        let last = "(SELECT MAX(sequence) FROM audit_events)";
        sql(&t, &format!("UPDATE audit_events SET actor = actor || 'x' WHERE sequence = {last}")).await;
        let (_, broken) = audit::verify(&t.app.db).await.unwrap();
        let (sequence, why) = broken.expect("found");
        assert!(why.contains("changed"), "{why}");
        assert_eq!(sequence as u64, events);
        sql(&t, &format!("UPDATE audit_events SET actor = substr(actor, 1, length(actor) - 1) WHERE sequence = {last}")).await;
        assert_eq!(audit::verify(&t.app.db).await.unwrap().1, None, "restored exactly, it holds again");

        // Removing the last event is found: the log ends before its head.
        sql(&t, &format!("DELETE FROM audit_events WHERE sequence = {last}")).await;
        let (_, broken) = audit::verify(&t.app.db).await.unwrap();
        let (sequence, why) = broken.expect("found");
        assert!(why.contains("ends before"), "{why}");
        assert_eq!(sequence as u64, events);
    }
}

/// The command names the first broken entry and fails; on an intact trail it succeeds.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn audit_verify_command_names_the_first_broken_entry() {
    let t = TestApp::start(Db::Sqlite).await;
    case_after_failed_mediation(&t).await;
    let url = format!("sqlite://{}?mode=rwc", t.data_dir.path().join("test.db").display());
    let run = || {
        std::process::Command::new(env!("CARGO_BIN_EXE_beslecht"))
            .args(["audit", "verify"])
            .current_dir(t.data_dir.path())
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("DATABASE_URL", &url)
            .env("BESLECHT_DATA_DIR", t.data_dir.path())
            .output()
            .unwrap()
    };
    let ok = run();
    assert!(ok.status.success(), "{}", String::from_utf8_lossy(&ok.stderr));
    assert!(String::from_utf8_lossy(&ok.stdout).contains("intact: 5 entries in 1 cases"));
    sql(&t, "UPDATE case_audit_entries SET reason = 'anders' WHERE sequence = 4").await;
    let bad = run();
    assert!(!bad.status.success());
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(err.contains("-0001, entry 4"), "{err}");
    sql(&t, "UPDATE case_audit_entries SET reason = NULL WHERE sequence = 4").await;
    // The service's own log is checked by the same command.
    let ok = run();
    assert!(
        String::from_utf8_lossy(&ok.stdout).contains("service audit log is intact"),
        "{}",
        String::from_utf8_lossy(&ok.stdout)
    );
    sql(&t, "UPDATE audit_events SET reason = 'anders' WHERE sequence = 1").await;
    let bad = run();
    assert!(!bad.status.success());
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(err.contains("service audit log is broken: event 1"), "{err}");
}
