//! Benchmark: the public register's search and filters over published rulings, through the
//! service's own query (`register::list`, as `GET /api/v1/rulings` and `/uitspraken` call it).
//!
//! `cargo bench --bench register` (SQLite in a temporary directory, or `BENCH_DATABASE_URL`
//! for PostgreSQL; `BENCH_RULINGS` sets how many published rulings, default 10,000;
//! `BENCH_REQUESTS` how many searches per scenario, default 200). Every ruling's text is four
//! paragraphs of Dutch; one word occurs in every ruling, one in a sixth, one in a thousandth.
//! Prints p50 and p99 per scenario, one at a time (no concurrency: the figure is the query's).

#[path = "cases/seed.rs"]
mod seed;

use std::time::{Duration, Instant};

use beslecht::{
    config::Config,
    domain::search_words,
    service::{
        App, bootstrap,
        register::{
            self, RegisterQuery,
            index::{self, AGREEMENT, REGION},
        },
    },
    storage::entities::{publication, ruling},
};
use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait};

const RULING_IDS: i32 = 1_000_000_000;
const PASSWORD: &str = "benchmark-wachtwoord";
const KINDS: [&str; 5] = [
    "binnen_regio",
    "tussen_regios",
    "regio_aanbieder",
    "uittreding",
    "woonplaatsbeginsel",
];
const OUTCOMES: [&str; 4] = ["gegrond", "deels_gegrond", "ongegrond", "niet_ontvankelijk"];

fn text(i: i32) -> String {
    let mut t = format!(
        "De gemeente stelt dat de regio de kosten van de jeugdhulp niet naar rato verdeelt. \
         Verweerder betwist dat en wijst op de afspraken in de regionale samenwerking van {}. \
         De commissie overweegt dat de Norm voor Opdrachtgeverschap solidariteit binnen de regio vraagt \
         en dat gemeenten tijdig moeten aanbesteden, met een contractduur van ten minste drie jaar. \
         Zaak {i}: de verdeelsleutel is in de gemeenteraad besproken. ",
        2020 + i % 6
    );
    if i % 6 == 0 {
        t.push_str("Het woonplaatsbeginsel bepaalt welke gemeente verantwoordelijk is voor de jeugdige. ");
    }
    if i % 1_000 == 0 {
        t.push_str("Het pleegzorgtarief is eenzijdig verlaagd. ");
    }
    t
}

async fn seed_register(app: &App, n: i32) {
    let at = chrono::Utc::now();
    for chunk in (1..=n).collect::<Vec<_>>().chunks(500) {
        // Ids of their own, apart from the rulings the case seed made.
        let rulings = chunk.iter().map(|id| ruling::ActiveModel {
            id: Set(RULING_IDS + *id),
            public_id: Set(uuid::Uuid::new_v4()),
            case_id: Set(*id),
            outcome: Set(OUTCOMES[(*id / 8 % 4) as usize].into()),
            nature: Set("bindend_advies".into()),
            dictum: Set("Verweerder betaalt.".into()),
            reasoning: Set(text(*id)),
            cost_allocation: Set(None),
            adopted_on: Set(at.date_naive()),
            adopted_at: Set(at),
            chair_id: Set(1),
            corrects_id: Set(None),
            correction_reason: Set(None),
        });
        ruling::Entity::insert_many(rulings)
            .exec_without_returning(&app.db)
            .await
            .unwrap();
        for id in chunk {
            let body = text(*id);
            let row = publication::Model {
                case_id: *id,
                ruling_id: RULING_IDS + *id,
                number: format!("GS-{id:06}"),
                status: "volledig".into(),
                rules: "[]".into(),
                public_data: "{}".into(),
                search_text: search_words::plain(&body),
                text: body,
                summary: None,
                reason: None,
                kind: KINDS[(*id % 5) as usize].into(),
                outcome: OUTCOMES[(*id / 8 % 4) as usize].into(),
                ruled_on: at.date_naive() - chrono::Duration::days(i64::from(*id % 1_500)),
                prepared_by: 1,
                prepared_at: at,
                decided_by: Some(1),
                published_at: Some(at - chrono::Duration::seconds(i64::from(n - *id))),
                chamber: "Algemeen".into(),
            };
            publication::Entity::insert(publication::ActiveModel::from(row.clone()))
                .exec_without_returning(&app.db)
                .await
                .unwrap();
            let facets = [
                (AGREEMENT, (1 + id % 8).to_string()),
                (REGION, format!("Regio {}", id % 42)),
            ];
            index::put(&app.db, &row, &facets).await.unwrap();
        }
    }
    app.db.execute_unprepared("ANALYZE").await.unwrap();
}

fn report(what: &str, found: usize, mut times: Vec<Duration>) {
    times.sort();
    let at = |q: f64| times[((times.len() as f64 * q).ceil() as usize).clamp(1, times.len()) - 1];
    println!(
        "{what:<44} first page {found:>3}   p50 {:>7.2} ms   p99 {:>7.2} ms",
        at(0.50).as_secs_f64() * 1e3,
        at(0.99).as_secs_f64() * 1e3
    );
}

#[tokio::main]
async fn main() {
    let n: i32 = std::env::var("BENCH_RULINGS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let requests: usize = std::env::var("BENCH_REQUESTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200);
    let dir = tempfile::tempdir().unwrap();
    let url = std::env::var("BENCH_DATABASE_URL")
        .unwrap_or_else(|_| format!("sqlite://{}?mode=rwc", dir.path().join("bench.db").display()));
    let vars = [
        ("BESLECHT_DATA_DIR", dir.path().display().to_string()),
        ("DATABASE_URL", url),
        ("BESLECHT_DEMO_PASSWORD", PASSWORD.to_owned()),
    ];
    let config = Config::load(|k| vars.iter().find(|(v, _)| *v == k).map(|(_, v)| v.clone())).unwrap();
    let app = App::start(config).await.unwrap();
    bootstrap::ensure_first_admin(&app).await.unwrap();
    bootstrap::seed_reference(&app).await.unwrap();
    bootstrap::seed_demo_users(&app).await.unwrap();
    let t = Instant::now();
    seed::seed_to(&app.db, n as u64).await;
    seed_register(&app, n).await;
    println!(
        "{n} published rulings on {:?}, seeded in {:.1?}",
        app.db.get_database_backend(),
        t.elapsed()
    );
    let q = |s: &str| RegisterQuery {
        q: Some(s.to_owned()),
        ..Default::default()
    };
    let scenarios: Vec<(&str, RegisterQuery)> = vec![
        ("no search (newest first)", RegisterQuery::default()),
        ("a word in every ruling (gemeenten)", q("gemeenten")),
        ("a word in a sixth (woonplaatsbeginsel)", q("woonplaatsbeginsel")),
        ("a rare word (pleegzorgtarief)", q("pleegzorgtarief")),
        (
            "two words (verdeelsleutel solidariteit)",
            q("verdeelsleutel solidariteit"),
        ),
        (
            "agreement 3 and outcome gegrond",
            RegisterQuery {
                agreement: Some(3),
                outcome: Some("gegrond".into()),
                ..Default::default()
            },
        ),
        (
            "a word in a sixth, in one region",
            RegisterQuery {
                region: Some("Regio 12".into()),
                ..q("woonplaatsbeginsel")
            },
        ),
    ];
    for (name, query) in scenarios {
        let mut times = Vec::with_capacity(requests);
        let mut found = 0;
        for _ in 0..requests {
            let t = Instant::now();
            let page = register::list(&app, query.clone()).await.unwrap();
            times.push(t.elapsed());
            found = page.items.len();
        }
        report(name, found, times);
    }
}
