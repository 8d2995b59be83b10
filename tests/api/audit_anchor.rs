//! The audit trail against a database administrator (issue 12): rewriting an entry and
//! recomputing the hash chain, or cutting the tail and lowering the case's version, passes
//! the chain's own check — but not the sealed checkpoints in the object store. A stored file
//! replaced together with its row is found against the upload entry in the trail.

use beslecht::{
    domain::audit_chain,
    service::{audit, audit_checkpoints, cases::trail::entry_of, cases::verify::verify_all, documents},
    storage::entities::case_audit_entry,
};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::{case_support::*, document_support::*, harness::*, on_both_databases};

async fn sql(t: &TestApp, statement: &str) {
    t.app.db.execute_unprepared(statement).await.expect(statement);
}

/// A checkpoint written as if its entries had long settled.
async fn checkpoint(t: &TestApp) -> Option<i64> {
    let later = chrono::Utc::now() + chrono::Duration::hours(1);
    audit_checkpoints::write_due(&t.app, later).await.unwrap()
}

/// Recomputes a case's whole chain after a change, as someone with database access can.
async fn rechain(t: &TestApp, case_id: i32) {
    let rows = case_audit_entry::Entity::find()
        .filter(case_audit_entry::Column::CaseId.eq(case_id))
        .order_by_asc(case_audit_entry::Column::Sequence)
        .all(&t.app.db)
        .await
        .unwrap();
    let mut previous = audit_chain::GENESIS.to_owned();
    for row in rows {
        let entry = entry_of(row.clone());
        let hash = audit_chain::hash(&previous, &entry.content);
        let mut active: case_audit_entry::ActiveModel = row.into();
        active.previous_hash = Set(previous.clone());
        active.hash = Set(hash.clone());
        active.update(&t.app.db).await.unwrap();
        previous = hash;
    }
}

async fn broken(t: &TestApp) -> String {
    let report = audit_checkpoints::verify(&t.app).await.unwrap();
    report.broken.map(|(n, why)| format!("{n}: {why}")).unwrap_or_default()
}

on_both_databases! {
    async fn a_rewritten_and_rechained_trail_is_found_by_the_checkpoints(t: TestApp) {
        case_after_failed_mediation(&t).await;
        assert_eq!(checkpoint(&t).await, Some(1));
        assert_eq!(checkpoint(&t).await, None, "nothing is due within the interval");
        let report = audit_checkpoints::verify(&t.app).await.unwrap();
        assert_eq!((report.checkpoints, report.entries_covered, report.broken), (1, 5, None));

        // The mediation's outcome is rewritten and the chain recomputed: the chain holds…
        let case_id = "(SELECT id FROM cases WHERE number LIKE '%-0001')";
        sql(&t, &format!("UPDATE case_audit_entries SET reason = 'bijna gelukt' WHERE case_id = {case_id} AND sequence = 5")).await;
        let id: i32 = case_audit_entry::Entity::find().one(&t.app.db).await.unwrap().unwrap().case_id;
        rechain(&t, id).await;
        assert_eq!(verify_all(&t.app.db).await.unwrap().broken, None, "the chain alone is fooled");
        // …the checkpoint does not.
        assert!(broken(&t).await.starts_with("1: case trail entries"), "{}", broken(&t).await);

        // Restored, then the tail cut off and the version lowered: found again.
        sql(&t, &format!("UPDATE case_audit_entries SET reason = NULL WHERE case_id = {case_id} AND sequence = 5")).await;
        rechain(&t, id).await;
        assert_eq!(broken(&t).await, "");
        sql(&t, &format!("DELETE FROM case_audit_entries WHERE case_id = {case_id} AND sequence = 5")).await;
        sql(&t, &format!("UPDATE cases SET version = version - 1 WHERE id = {case_id}")).await;
        assert_eq!(verify_all(&t.app.db).await.unwrap().broken, None, "the chain alone is fooled");
        assert!(broken(&t).await.starts_with("1: case trail entries"), "{}", broken(&t).await);
    }

    // After a bulk import (or a worker that stood still) no round digests the whole backlog:
    // a checkpoint covers at most so many entries, the next follows at the next round while
    // more than a checkpoint's worth waits, and the rest waits for the interval as usual.
    async fn a_backlog_is_covered_by_a_series_of_bounded_checkpoints(t: TestApp) {
        case_after_failed_mediation(&t).await; // five entries
        let later = chrono::Utc::now() + chrono::Duration::hours(1);
        let round = |at| audit_checkpoints::write_due_at_most(&t.app, at, 2);
        assert_eq!(round(later).await.unwrap(), Some(1), "entries 1 and 2");
        assert_eq!(round(later).await.unwrap(), Some(2), "3 and 4: more than two were waiting");
        assert_eq!(round(later).await.unwrap(), None, "one entry waits for the interval");
        let report = audit_checkpoints::verify(&t.app).await.unwrap();
        assert_eq!((report.checkpoints, report.entries_covered, report.broken), (2, 4, None));
        assert_eq!(round(later + chrono::Duration::hours(1)).await.unwrap(), Some(3));
        let report = audit_checkpoints::verify(&t.app).await.unwrap();
        assert_eq!((report.checkpoints, report.entries_covered, report.broken), (3, 5, None));
    }

    async fn a_rechained_service_log_and_a_touched_checkpoint_are_found(t: TestApp) {
        let admin = t.token("beheerder").await;
        let res = t.send_json(reqwest::Method::POST, "/api/v1/organisations", Some(&admin),
            &serde_json::json!({"name": "Gemeente Testdorp", "kind": "gemeente", "cbs_code": "gm9999"})).await;
        assert_eq!(res.status(), 201);
        assert_eq!(checkpoint(&t).await, Some(1));
        assert_eq!(broken(&t).await, "");

        // The last event rewritten, its hash and the head recomputed: the log's own chain holds.
        let last = "(SELECT MAX(sequence) FROM audit_events)";
        sql(&t, &format!("UPDATE audit_events SET actor = 'iemand anders' WHERE sequence = {last}")).await;
        let event = beslecht::storage::entities::audit_event::Entity::find()
            .order_by_desc(beslecht::storage::entities::audit_event::Column::Sequence)
            .one(&t.app.db).await.unwrap().unwrap();
        let entry = audit::entry_of(event.clone());
        let hash = audit_chain::hash(&entry.previous_hash, &entry.content);
        sql(&t, &format!("UPDATE audit_events SET hash = '{hash}' WHERE sequence = {last}")).await;
        sql(&t, &format!("UPDATE audit_log_head SET hash = '{hash}'")).await;
        assert_eq!(audit::verify(&t.app.db).await.unwrap().1, None, "the chain alone is fooled");
        assert!(broken(&t).await.contains("service audit log"), "{}", broken(&t).await);

        // A checkpoint's own object changed, or removed, in the store.
        let path = t.data_dir.path().join("objects/audit/checkpoints/000000000001.json");
        let original = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, original.replace("\"count\": 0", "\"count\": 1")).unwrap();
        assert!(broken(&t).await.contains("not sealed with this service's audit key"), "{}", broken(&t).await);
        std::fs::remove_file(&path).unwrap();
        assert!(broken(&t).await.contains("the object store does not hold it"), "{}", broken(&t).await);
    }

    async fn a_replaced_file_with_its_row_updated_is_found_against_its_upload_entry(t: TestApp) {
        let case = case_in_mediation(&t).await;
        let original = pdf("Verzoekschrift");
        let doc = upload_ok(&t, "demo-gemeente", &case,
            &[("type", "verzoekschrift"), ("title", "Verzoekschrift"), ("confidentiality", "vertrouwelijk")],
            ("verzoek.pdf", original)).await;
        let report = documents::verify::verify_all(&t.app).await.unwrap();
        assert!(report.findings.is_empty(), "{:?}", report.findings);

        // The bytes replaced in the store, and the row's hash and size with them.
        let forged = pdf("Een ander verzoekschrift, met andere bedragen");
        let key = beslecht::storage::entities::document::Entity::find().one(&t.app.db).await.unwrap().unwrap().storage_key;
        std::fs::write(t.data_dir.path().join("objects").join(&key), &forged).unwrap();
        sql(&t, &format!("UPDATE documents SET sha256 = '{}', size = {} WHERE public_id = '{}'",
            sha256(&forged), forged.len(), doc["id"].as_str().unwrap())).await;
        let report = documents::verify::verify_all(&t.app).await.unwrap();
        assert_eq!(report.findings.len(), 1);
        assert!(matches!(report.findings[0].problem, documents::verify::Problem::Changed { .. }), "{:?}", report.findings);
    }
}

/// Another node with another key cannot vouch for (or forge) the checkpoints.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn checkpoints_hold_only_under_their_own_key() {
    let key = "een sleutel buiten de database van minstens 32 tekens";
    let t = TestApp::start_with(Db::Sqlite, &[("BESLECHT_AUDIT_KEY", key)]).await;
    case_in_mediation(&t).await;
    assert_eq!(checkpoint(&t).await, Some(1));
    assert_eq!(broken(&t).await, "");
    let url = format!("sqlite://{}?mode=rwc", t.data_dir.path().join("test.db").display());
    let other = beslecht::service::App::start(test_config(
        t.data_dir.path().to_path_buf(),
        url,
        &[("BESLECHT_AUDIT_KEY", "een andere sleutel, ook van minstens 32 tekens")],
    ))
    .await
    .unwrap();
    let report = audit_checkpoints::verify(&other).await.unwrap();
    assert!(
        report
            .broken
            .unwrap()
            .1
            .contains("not sealed with this service's audit key")
    );
}
