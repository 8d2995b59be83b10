//! The audit trail is tamper-evident: a changed, removed or reordered entry is found, by the
//! API and by `beslecht audit verify`, which names the first broken entry.

use sea_orm::ConnectionTrait;
use serde_json::Value;

use beslecht::service::cases::verify::verify_all;

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
}
