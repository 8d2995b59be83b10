//! Faults on purpose: two nodes on one PostgreSQL and one S3 store (moto), each with a data
//! directory of its own, used in turn as no balancer would bother to: tokens, web sessions,
//! the sign-in throttle, uploads, the worker and the audit checkpoints behave as one service;
//! then one node dies in the middle of work and the other carries on.

use std::collections::HashSet;

use reqwest::Method;
use sea_orm::ConnectionTrait;
use serde_json::json;

use crate::{
    case_support::*,
    document_support::*,
    harness::*,
    moto::Moto,
    smtp_sink::SmtpSink,
    web::{Browser, html},
};
use beslecht::service::{audit_checkpoints, cases::verify::verify_all, documents, worker};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_nodes_behave_as_one_service_and_one_carries_on_when_the_other_dies() {
    let Some(db) = Db::postgres() else {
        eprintln!("TEST_DATABASE_URL is not set: two nodes need PostgreSQL");
        return;
    };
    let moto = Moto::start().await;
    let sink = SmtpSink::start(0).await;
    let smtp = sink.url();
    let mut shared: Vec<(&str, String)> = moto.settings().to_vec();
    shared.extend([
        (
            "BESLECHT_TOKEN_SECRET",
            "gedeeld-geheim-van-beide-knooppunten-0123456789".to_owned(),
        ),
        (
            "BESLECHT_AUDIT_KEY",
            "gedeelde-zegelsleutel-van-beide-knooppunten-42".to_owned(),
        ),
        ("BESLECHT_SMTP_URL", smtp),
        ("BESLECHT_PUBLIC_URL", "https://beslecht.example.nl".to_owned()),
        ("BESLECHT_AUDIT_CHECKPOINT_INTERVAL", "1".to_owned()),
    ]);
    let shared: Vec<(&str, &str)> = shared.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let a = TestApp::start_with(db, &shared).await;
    let b = a.another_node(&shared).await;
    let nodes = [&a, &b];

    // A token from one node is honoured by the other; a case filed on one is read on the other.
    let token = a.token("demo-gemeente").await;
    let me = b.get("/api/v1/me", Some(&token)).await;
    assert_eq!(me.status(), 200, "a token signed on A is valid on B");
    let case = case_in_mediation(&b).await;
    assert_eq!(get_case(&a, "demo-gemeente", &case).await["phase"], "bemiddeling");

    // A web session begun on one node is the session on the other, and its form token too.
    let mut on_a = Browser::new(&a);
    on_a.sign_in("demo-gemeente").await;
    let mut on_b = Browser::new(&b);
    on_b.cookies = on_a.cookies.clone();
    let page = html(on_b.get(&format!("/geschillen/{case}")).await, 200).await;
    let csrf = Browser::token_in(&page);
    let res = on_b
        .post(
            &format!("/geschillen/{case}/berichten"),
            &[("csrf", &csrf), ("body", "Via het andere knooppunt.")],
            None,
        )
        .await;
    assert_eq!(res.status(), 303, "a form from A's session is taken by B");
    let messages = a
        .get(&format!("/api/v1/cases/{case}/messages"), Some(&token))
        .await
        .text()
        .await
        .unwrap();
    assert!(messages.contains("Via het andere knooppunt."), "{messages}");
    on_b.post("/uitloggen", &[("csrf", &csrf)], None).await;
    assert_ne!(
        on_a.get("/geschillen").await.status(),
        200,
        "signing out on B ends the session on A"
    );

    // The sign-in throttle counts failures on both nodes together.
    for i in 1..=5 {
        let node = nodes[i % 2];
        assert_eq!(
            node.login_from("demo-regio", "fout", &format!("10.9.0.{i}"))
                .await
                .status(),
            401
        );
    }
    for node in nodes {
        let res = node.login_from("demo-regio", DEMO_PASSWORD, "10.9.1.1").await;
        assert_eq!(
            res.status(),
            429,
            "refused on both nodes after five failures across them"
        );
    }

    // An upload through one node is read through the other; the bytes are in the bucket.
    let bytes = pdf("twee knooppunten");
    let doc = upload_ok(&a, "demo-gemeente", &case, BEWIJS, ("beide.pdf", bytes.clone())).await;
    let res = content(&b, "demo-gemeente-2", &case, doc["id"].as_str().unwrap(), None).await;
    assert_eq!(res.status(), 200);
    assert_eq!(sha256(&res.bytes().await.unwrap()), sha256(&bytes));
    assert!(
        stored_files(&a).is_empty() && stored_files(&b).is_empty(),
        "nothing on either node's disk"
    );

    // Both workers at once: every e-mail goes out exactly once, checkpoints form one series.
    a.app
        .db
        .execute_unprepared("UPDATE users SET email = username || '@example.nl' WHERE username LIKE 'demo-%'")
        .await
        .unwrap();
    let sec = a.token("demo-secretaris").await;
    for i in 0..6usize {
        let (path, body) = if i.is_multiple_of(2) {
            (
                format!("/api/v1/cases/{case}/suspensions"),
                json!({"reason": format!("Wachten {i}"), "legal_basis": "art. 12 reglement"}),
            )
        } else {
            (format!("/api/v1/cases/{case}/suspensions/resume"), json!({}))
        };
        let res = nodes[i % 2].send_json(Method::POST, &path, Some(&sec), &body).await;
        assert_eq!(res.status(), 200, "{path}");
    }
    let rounds = futures::future::join_all((0..6).map(|i| worker::round(&nodes[i % 2].app))).await;
    for round in rounds {
        assert!(round.first_error().is_none(), "{:?}", round.first_error());
    }
    let ids = sink.message_ids();
    let distinct: HashSet<&String> = ids.iter().collect();
    assert!(!ids.is_empty(), "the suspensions became e-mail");
    assert_eq!(ids.len(), distinct.len(), "no e-mail sent twice by two workers");
    let outbox = count(
        &a.app.db,
        "SELECT COUNT(*) AS n FROM email_outbox WHERE status = 'sent'",
    )
    .await;
    assert_eq!(outbox as usize, ids.len(), "every e-mail sent, once");
    let report = audit_checkpoints::verify(&b.app).await.unwrap();
    assert!(report.checkpoints > 0 && report.broken.is_none(), "{report:?}");

    // B dies in the middle of work; A carries on with the same tokens and the same store.
    let busy = {
        let (client, url, token) = (
            b.client.clone(),
            b.url(&format!("/api/v1/cases/{case}/messages")),
            token.clone(),
        );
        tokio::spawn(async move {
            for i in 0.. {
                if client
                    .post(&url)
                    .bearer_auth(&token)
                    .json(&json!({"body": format!("Bericht {i}.")}))
                    .send()
                    .await
                    .is_err()
                {
                    return i;
                }
            }
            unreachable!()
        })
    };
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    b.crash().await;
    let sent_before_the_crash = busy.await.unwrap();
    assert!(sent_before_the_crash > 0);
    let res = a
        .send_json(
            Method::POST,
            &format!("/api/v1/cases/{case}/messages"),
            Some(&token),
            &json!({"body": "Na de val van B."}),
        )
        .await;
    assert_eq!(res.status(), 201, "A carries on");
    let res = content(&a, "demo-gemeente-2", &case, doc["id"].as_str().unwrap(), None).await;
    assert_eq!(res.status(), 200, "the document is still served");
    assert_eq!(
        verify_all(&a.app.db).await.unwrap().broken,
        None,
        "every audit chain holds"
    );
    let docs = documents::verify::verify_all(&a.app).await.unwrap();
    assert!(docs.findings.is_empty(), "{:?}", docs.findings);
    eprintln!(
        "two nodes: B died after {sent_before_the_crash} messages; A carried on; {} e-mails sent once each",
        ids.len()
    );
}
