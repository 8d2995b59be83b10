use std::time::{Duration, Instant};

use beslecht::{
    domain::throttle::{ACCOUNT, ADDRESS},
    service::throttle,
    storage::entities::login_throttle,
};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait};

use crate::{harness::*, on_both_databases};

fn retry_after(res: &reqwest::Response) -> u64 {
    res.headers()["retry-after"].to_str().unwrap().parse().unwrap()
}

/// Moves a key's refusal into the past, as if its period had passed.
async fn lift(t: &TestApp, key: &str) {
    let row = login_throttle::Entity::find_by_id(key.to_owned())
        .one(&t.app.db)
        .await
        .unwrap()
        .unwrap();
    let mut active: login_throttle::ActiveModel = row.into();
    active.blocked_until = Set(Some(chrono::Utc::now().timestamp() - 1));
    active.update(&t.app.db).await.unwrap();
}

on_both_databases! {
    async fn repeated_failures_on_an_account_are_slowed_then_refused(t: TestApp) {
        // Each attempt from another address, so only the account counter speaks.
        for i in 1..=5 {
            let started = Instant::now();
            let res = t.login_from("demo-secretaris", "fout", &format!("10.3.0.{i}")).await;
            assert_problem(res, 401).await;
            if i == 5 {
                assert!(started.elapsed() >= Duration::from_millis(400), "the fifth failure is slowed");
            }
        }
        // Now refused, even with the right password, and told when to come back.
        let res = t.login_from("demo-secretaris", DEMO_PASSWORD, "10.3.1.1").await;
        let wait = retry_after(&res);
        assert!((1..=30).contains(&wait), "{wait}");
        assert_problem(res, 429).await;
        // Other accounts are not affected.
        assert_eq!(t.login_from("demo-gemeente", DEMO_PASSWORD, "10.3.1.1").await.status(), 200);
    }

    async fn the_lock_lifts_by_itself_escalates_on_probation_and_success_clears_it(t: TestApp) {
        for i in 1..=5 {
            t.login_from("demo-regio", "fout", &format!("10.4.0.{i}")).await;
        }
        assert_eq!(t.login_from("demo-regio", DEMO_PASSWORD, "10.4.1.1").await.status(), 429);
        // The refusal passes; one wrong try on probation earns a doubled refusal.
        lift(&t, "account:demo-regio").await;
        assert_eq!(t.login_from("demo-regio", "fout", "10.4.1.2").await.status(), 401);
        let res = t.login_from("demo-regio", DEMO_PASSWORD, "10.4.1.3").await;
        assert!((31..=60).contains(&retry_after(&res)), "the second refusal is longer");
        assert_eq!(res.status(), 429);
        // It passes again; the right password now works and clears everything.
        lift(&t, "account:demo-regio").await;
        assert_eq!(t.login_from("demo-regio", DEMO_PASSWORD, "10.4.1.1").await.status(), 200);
        assert!(login_throttle::Entity::find_by_id("account:demo-regio".to_owned()).one(&t.app.db).await.unwrap().is_none());
    }

    async fn a_client_address_with_many_failures_is_refused(t: TestApp) {
        let now = chrono::Utc::now().timestamp();
        for _ in 1..ADDRESS.block_after {
            throttle::record_failure(&t.app.db, "address:10.5.5.5", &ADDRESS, now).await.unwrap();
        }
        assert_problem(t.login_from("no-such-user", "fout", "10.5.5.5").await, 401).await;
        let res = t.login_from("demo-gemeente", DEMO_PASSWORD, "10.5.5.5").await;
        assert!(retry_after(&res) >= 1);
        assert_problem(res, 429).await;
        assert_eq!(t.login_from("demo-gemeente", DEMO_PASSWORD, "10.5.5.6").await.status(), 200);
    }

    async fn a_flood_of_logins_never_gets_a_server_error_and_locks_out_briefly(t: TestApp) {
        let mut attempts = Vec::new();
        for i in 0..60 {
            let t = &t;
            attempts.push(async move {
                let user = if i % 2 == 0 { "demo-aanbieder".to_owned() } else { format!("guess-{i}") };
                t.login_from(&user, "fout", &format!("10.6.{}.{}", i / 200, i % 200)).await.status().as_u16()
            });
        }
        let statuses = futures::future::join_all(attempts).await;
        assert!(statuses.iter().all(|s| *s == 401 || *s == 429), "{statuses:?}");
        assert!(statuses.contains(&429));
        let row = login_throttle::Entity::find_by_id("account:demo-aanbieder".to_owned()).one(&t.app.db).await.unwrap().unwrap();
        let lock = row.blocked_until.unwrap() - chrono::Utc::now().timestamp();
        assert!(lock <= ACCOUNT.max_block.as_secs() as i64, "{lock}");
    }
}
