//! Documents through the real API: round trips with hash checks, every type, ranges,
//! versions, withdrawal and the access log.

use reqwest::Method;
use serde_json::{Value, json};

use crate::{case_support::*, document_support::*, harness::*, on_both_databases};

on_both_databases! {
    async fn a_document_goes_up_and_comes_back_byte_for_byte(t: TestApp) {
        let case = case_in_mediation(&t).await;
        let bytes = pdf("Verzoek om vergoeding van de kosten van jeugdhulp");
        let doc = upload_ok(&t, "demo-gemeente", &case,
            &[("type", "verzoekschrift"), ("title", "Verzoekschrift"), ("description", "Met bijlagen"),
              ("confidentiality", "vertrouwelijk")],
            ("Verzoekschrift Maastricht – def.pdf", bytes.clone())).await;
        assert_eq!(doc["sha256"], sha256(&bytes));
        assert_eq!(doc["size"], bytes.len());
        assert_eq!(doc["content_type"], "application/pdf");
        assert_eq!(doc["type"], "verzoekschrift");
        assert_eq!(doc["confidentiality"], "vertrouwelijk");
        assert_eq!(doc["audience"], "partijen");
        assert_eq!(doc["file_name"], "Verzoekschrift Maastricht – def.pdf");
        assert_eq!(doc["uploaded_by"]["display_name"], "Demo Gemeente Maastricht");
        let id = doc["id"].as_str().unwrap();

        // The other party sees and downloads it, exactly.
        assert_eq!(listed(&t, "demo-gemeente-2", &case).await, vec![id.to_owned()]);
        let res = content(&t, "demo-gemeente-2", &case, id, None).await;
        assert_eq!(res.status(), 200);
        let h = res.headers().clone();
        assert_eq!(h["content-type"], "application/pdf");
        assert_eq!(h["content-length"], bytes.len().to_string().as_str());
        assert_eq!(h["x-content-type-options"], "nosniff");
        assert_eq!(h["accept-ranges"], "bytes");
        assert_eq!(h["etag"], format!("\"{}\"", sha256(&bytes)).as_str());
        let disposition = h["content-disposition"].to_str().unwrap();
        assert!(disposition.starts_with("attachment; filename=\"Verzoekschrift Maastricht _ def.pdf\""), "{disposition}");
        assert!(disposition.contains("filename*=UTF-8''Verzoekschrift%20Maastricht%20%E2%80%93%20def.pdf"), "{disposition}");
        let body = res.bytes().await.unwrap();
        assert_eq!(sha256(&body), sha256(&bytes));

        // Ranges: a slice, a suffix, and one outside the file.
        let res = content(&t, "demo-gemeente-2", &case, id, Some("bytes=0-7")).await;
        assert_eq!(res.status(), 206);
        assert_eq!(res.headers()["content-range"], format!("bytes 0-7/{}", bytes.len()).as_str());
        assert_eq!(res.bytes().await.unwrap().as_ref(), &bytes[..8]);
        let res = content(&t, "demo-secretaris", &case, id, Some("bytes=-6")).await;
        assert_eq!(res.status(), 206);
        assert_eq!(res.bytes().await.unwrap().as_ref(), &bytes[bytes.len() - 6..]);
        let res = content(&t, "demo-secretaris", &case, id, Some(&format!("bytes={}-", bytes.len()))).await;
        assert_eq!(res.headers()["content-range"], format!("bytes */{}", bytes.len()).as_str());
        assert_problem(res, 416).await;

        // The record, with the view logged; the access log names every look.
        let token = t.token("demo-bemiddelaar").await;
        let res = t.get(&format!("/api/v1/cases/{case}/documents/{id}"), Some(&token)).await;
        assert_eq!(res.status(), 200);
        let token = t.token("demo-secretaris").await;
        let log: Value = t.get(&format!("/api/v1/cases/{case}/documents/{id}/access-log"), Some(&token)).await.json().await.unwrap();
        let seen: Vec<(String, String, Value)> = log.as_array().unwrap().iter()
            .map(|e| (e["user_name"].as_str().unwrap().to_owned(), e["action"].as_str().unwrap().to_owned(), e["byte_range"].clone()))
            .collect();
        assert_eq!(seen, vec![
            ("Demo Gemeente Heerlen".into(), "download".into(), Value::Null),
            ("Demo Gemeente Heerlen".into(), "download".into(), json!("0-7")),
            ("Demo Secretaris".into(), "download".into(), json!(format!("{}-{}", bytes.len() - 6, bytes.len() - 1))),
            ("Demo Bemiddelaar".into(), "view".into(), Value::Null),
        ]);
        assert!(log[0]["organisation_name"].as_str().unwrap().contains("Heerlen"));
        // The other party may not read the log of a document it did not submit.
        let token = t.token("demo-gemeente-2").await;
        assert_problem(t.get(&format!("/api/v1/cases/{case}/documents/{id}/access-log"), Some(&token)).await, 403).await;

        // The audit trail records the upload without the title.
        let token = t.token("demo-gemeente-2").await;
        let audit: Value = t.get(&format!("/api/v1/cases/{case}/audit"), Some(&token)).await.json().await.unwrap();
        let entries = audit["entries"].as_array().unwrap_or_else(|| audit.as_array().unwrap());
        let entry = entries.iter().find(|e| e["action"] == "document.upload").expect("upload audited");
        assert_eq!(entry["after"]["document"], id);
        assert_eq!(entry["after"]["sha256"], sha256(&bytes));
        assert!(!entry.to_string().contains("Verzoekschrift Maastricht"));
    }

    async fn every_accepted_type_is_recognised_from_its_bytes(t: TestApp) {
        let case = case_in_mediation(&t).await;
        let samples: Vec<(&str, Vec<u8>, &str)> = vec![
            ("brief.PDF", pdf("x"), "application/pdf"),
            ("notitie.docx", docx(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
            ("tarieven.xlsx", xlsx(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            ("besluit.odt", odt(), "application/vnd.oasis.opendocument.text"),
            ("begroting.ods", ods(), "application/vnd.oasis.opendocument.spreadsheet"),
            ("foto.png", png(), "image/png"),
            ("scan.jpg", jpeg(), "image/jpeg"),
            ("scan.jpeg", jpeg(), "image/jpeg"),
            ("aantekening.txt", "Gesprek met de regio: één afspraak.\n".as_bytes().to_vec(), "text/plain; charset=utf-8"),
            ("mail.eml", eml(), "message/rfc822"),
        ];
        for (name, bytes, expected) in samples {
            let doc = upload_ok(&t, "demo-gemeente-2", &case, BEWIJS, (name, bytes.clone())).await;
            assert_eq!(doc["content_type"], expected, "{name}");
            let res = content(&t, "demo-gemeente", &case, doc["id"].as_str().unwrap(), None).await;
            assert_eq!(res.headers()["content-type"], expected);
            assert_eq!(res.bytes().await.unwrap().as_ref(), &bytes[..], "{name}");
        }
        assert_eq!(listed(&t, "demo-gemeente", &case).await.len(), 10);
    }

    async fn a_new_version_links_to_the_old_and_nothing_is_overwritten(t: TestApp) {
        let case = case_in_mediation(&t).await;
        let first = upload_ok(&t, "demo-gemeente", &case, BEWIJS, ("tarieven.pdf", pdf("versie 1"))).await;
        let first_id = first["id"].as_str().unwrap();
        let second = upload_ok(&t, "demo-gemeente", &case,
            &[("type", "bewijsstuk"), ("title", "Tariefopbouw 2026 (herzien)"), ("replaces", first_id)],
            ("tarieven.pdf", pdf("versie 2"))).await;
        assert_eq!(second["replaces"], first_id);
        assert_ne!(second["sha256"], first["sha256"]);
        let token = t.token("demo-gemeente-2").await;
        let old: Value = t.get(&format!("/api/v1/cases/{case}/documents/{first_id}"), Some(&token)).await.json().await.unwrap();
        assert_eq!(old["replaced_by"], second["id"]);
        // The old bytes are still there, unchanged.
        let res = content(&t, "demo-gemeente-2", &case, first_id, None).await;
        assert_eq!(res.bytes().await.unwrap().as_ref(), &pdf("versie 1")[..]);
        // One successor per version; only the submitting organisation files one.
        let again = upload(&t, "demo-gemeente", &case,
            &[("type", "bewijsstuk"), ("title", "Nog eens"), ("replaces", first_id)], Some(("t.pdf", pdf("3")))).await;
        assert_problem(again, 409).await;
        let other = upload(&t, "demo-gemeente-2", &case,
            &[("type", "bewijsstuk"), ("title", "Van Heerlen"), ("replaces", second["id"].as_str().unwrap())], Some(("t.pdf", pdf("h")))).await;
        assert_problem(other, 403).await;
        let unknown = upload(&t, "demo-gemeente", &case,
            &[("type", "bewijsstuk"), ("title", "x"), ("replaces", &uuid::Uuid::new_v4().to_string())], Some(("t.pdf", pdf("u")))).await;
        assert_eq!(invalid_fields(&assert_problem(unknown, 400).await), vec!["replaces"]);
        assert_eq!(listed(&t, "demo-gemeente", &case).await.len(), 2);
    }

    async fn the_secretary_withdraws_a_document_with_a_reason(t: TestApp) {
        let case = case_in_mediation(&t).await;
        let doc = upload_ok(&t, "demo-gemeente", &case, BEWIJS, ("bsn-lijst.pdf", pdf("persoonsgegevens"))).await;
        let id = doc["id"].as_str().unwrap();
        let path = format!("/api/v1/cases/{case}/documents/{id}/withdraw");
        let party = t.token("demo-gemeente").await;
        assert_problem(t.send_json(Method::POST, &path, Some(&party), &json!({"reason": "Per ongeluk"})).await, 403).await;
        let secretary = t.token("demo-secretaris").await;
        let problem = assert_problem(t.send_json(Method::POST, &path, Some(&secretary), &json!({})).await, 400).await;
        assert_eq!(invalid_fields(&problem), vec!["reason"]);
        let res = t.send_json(Method::POST, &path, Some(&secretary),
            &json!({"reason": "Bevat BSN's van kinderen die niet nodig zijn voor het geschil."})).await;
        assert_eq!(res.status(), 200);
        let withdrawn: Value = res.json().await.unwrap();
        assert_eq!(withdrawn["withdrawn"]["reason"], "Bevat BSN's van kinderen die niet nodig zijn voor het geschil.");
        // Listed as withdrawn; its content is no longer offered; once only.
        let docs: Value = list(&t, "demo-gemeente-2", &case).await.json().await.unwrap();
        assert!(docs[0]["withdrawn"]["at"].is_string());
        assert_problem(content(&t, "demo-gemeente-2", &case, id, None).await, 410).await;
        assert_problem(t.send_json(Method::POST, &path, Some(&secretary), &json!({"reason": "Nogmaals"})).await, 409).await;
        // Its bytes are kept, and the withdrawal is in the trail with its reason.
        let report = beslecht::service::documents::verify::verify_all(&t.app).await.unwrap();
        assert_eq!((report.checked, report.findings.len()), (1, 0));
        let audit: Value = t.get(&format!("/api/v1/cases/{case}/audit"), Some(&secretary)).await.json().await.unwrap();
        assert!(audit.to_string().contains("document.withdraw"));
    }

    async fn verify_finds_missing_and_changed_files(t: TestApp) {
        use sea_orm::{EntityTrait, QueryOrder};
        let case = case_in_mediation(&t).await;
        for n in 0..3 {
            upload_ok(&t, "demo-gemeente", &case, BEWIJS, ("b.pdf", pdf(&format!("stuk {n}")))).await;
        }
        let report = beslecht::service::documents::verify::verify_all(&t.app).await.unwrap();
        assert_eq!((report.checked, report.findings.len()), (3, 0));
        let docs = beslecht::storage::entities::document::Entity::find()
            .order_by_asc(beslecht::storage::entities::document::Column::Id)
            .all(&t.app.db).await.unwrap();
        let file_of = |key: &str| t.data_dir.path().join("objects").join(key);
        std::fs::write(file_of(&docs[0].storage_key), b"%PDF-1.4 vervalst").unwrap();
        std::fs::remove_file(file_of(&docs[2].storage_key)).unwrap();
        let report = beslecht::service::documents::verify::verify_all(&t.app).await.unwrap();
        let found: Vec<(uuid::Uuid, bool)> = report.findings.iter()
            .map(|f| (f.document, matches!(f.problem, beslecht::service::documents::verify::Problem::Missing)))
            .collect();
        assert_eq!(found, vec![(docs[0].public_id, false), (docs[2].public_id, true)]);
    }

    async fn an_interrupted_upload_s_stored_bytes_are_cleaned_up(t: TestApp) {
        use object_store::ObjectStoreExt;
        use sea_orm::{ActiveValue::{NotSet, Set}, EntityTrait};
        use beslecht::storage::entities::document_upload;
        let case = case_in_mediation(&t).await;
        let kept = upload_ok(&t, "demo-gemeente", &case, BEWIJS, ("b.pdf", pdf("blijft"))).await;
        // What a crash between storing the bytes and committing the record leaves behind.
        let key = beslecht::storage::objects::new_key();
        t.app.documents.store.put(&beslecht::storage::objects::path(&key), b"half".to_vec().into()).await.unwrap();
        document_upload::Entity::insert(document_upload::ActiveModel {
            id: NotSet, storage_key: Set(key.clone()), started_at: Set(chrono::Utc::now() - chrono::Duration::hours(7)),
        }).exec(&t.app.db).await.unwrap();
        // A recent announcement may be an upload still running: it is left alone.
        assert_eq!(beslecht::service::documents::recovery::sweep(&t.app, chrono::Duration::hours(8)).await.unwrap(), 0);
        assert_eq!(beslecht::service::documents::recovery::sweep(&t.app, beslecht::service::documents::recovery::STALE_AFTER).await.unwrap(), 1);
        assert!(t.app.documents.store.head(&beslecht::storage::objects::path(&key)).await.is_err());
        assert_eq!(listed(&t, "demo-gemeente", &case).await, vec![kept["id"].as_str().unwrap().to_owned()]);
        let report = beslecht::service::documents::verify::verify_all(&t.app).await.unwrap();
        assert_eq!((report.checked, report.findings.len()), (1, 0));
    }
}
