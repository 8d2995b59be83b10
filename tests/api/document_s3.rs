//! The same documents on an S3-compatible store (moto): round trips of small and multi-part
//! files, ranges, integrity checks and the clean-up of interrupted uploads.

use object_store::ObjectStoreExt;
use sea_orm::{
    ActiveValue::{NotSet, Set},
    EntityTrait,
};

use crate::{case_support::*, document_support::*, harness::*, moto::Moto};
use beslecht::{
    service::documents::{recovery, verify},
    storage::{entities::document_upload, objects},
};

async fn on_s3(db: Db) {
    let moto = Moto::start().await;
    let settings = moto.settings();
    let extra: Vec<(&str, &str)> = settings.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let t = TestApp::start_with(db, &extra).await;
    let case = case_in_mediation(&t).await;

    let small = pdf("op S3");
    let doc = upload_ok(&t, "demo-gemeente", &case, BEWIJS, ("klein.pdf", small.clone())).await;
    // 20 MiB: three parts of the multipart upload.
    let big: Vec<u8> = [pdf("groot"), (0..20u32 << 20).map(|i| (i % 251) as u8).collect()].concat();
    let large = upload_ok(&t, "demo-gemeente", &case, BEWIJS, ("groot.pdf", big.clone())).await;
    assert_eq!(large["sha256"], sha256(&big));

    for (d, bytes) in [(&doc, &small), (&large, &big)] {
        let res = content(&t, "demo-gemeente-2", &case, d["id"].as_str().unwrap(), None).await;
        assert_eq!(res.status(), 200);
        assert_eq!(sha256(&res.bytes().await.unwrap()), sha256(bytes));
    }
    let res = content(
        &t,
        "demo-gemeente-2",
        &case,
        large["id"].as_str().unwrap(),
        Some("bytes=10485750-10485769"),
    )
    .await;
    assert_eq!(res.status(), 206);
    assert_eq!(res.bytes().await.unwrap().as_ref(), &big[10_485_750..10_485_770]);

    // The bytes are in the bucket, not on local disk.
    assert_eq!(moto.keys().await.len(), 2);
    assert!(stored_files(&t).is_empty(), "{:?}", stored_files(&t));
    let report = verify::verify_all(&t.app).await.unwrap();
    assert_eq!((report.checked, report.findings.len()), (2, 0));

    // An upload interrupted after storing its bytes: recovery removes them from the bucket.
    let key = objects::new_key();
    t.app
        .documents
        .store
        .put(&objects::path(&key), b"half".to_vec().into())
        .await
        .unwrap();
    document_upload::Entity::insert(document_upload::ActiveModel {
        id: NotSet,
        storage_key: Set(key.clone()),
        started_at: Set(chrono::Utc::now() - chrono::Duration::hours(7)),
    })
    .exec(&t.app.db)
    .await
    .unwrap();
    assert_eq!(moto.keys().await.len(), 3);
    assert_eq!(recovery::sweep(&t.app, recovery::STALE_AFTER).await.unwrap(), 1);
    assert_eq!(moto.keys().await.len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn documents_on_s3_sqlite() {
    on_s3(Db::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn documents_on_s3_postgres() {
    if let Some(db) = Db::postgres() {
        on_s3(db).await;
    }
}
