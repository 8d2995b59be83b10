//! Benchmark: term computation itself, and the reminder sweep over 100,000 open terms.
//!
//! `cargo bench --bench terms` (SQLite in a temporary directory, or `BENCH_DATABASE_URL`;
//! `BENCH_TERMS` sets how many open terms, default 100,000). Prints the cost per computed
//! deadline, then the sweep's first round (every reminder and signal due today goes out) and
//! a second round (nothing new: what every further round costs).

#[path = "cases/seed.rs"]
mod seed;

use std::time::Instant;

use beslecht::{
    config::Config,
    domain::terms::{self, Direction, Term},
    service::{App, bootstrap, reminders, today},
    storage::entities::case_term,
};
use chrono::{Days, NaiveDate};
use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait};

const PASSWORD: &str = "benchmark-wachtwoord";

fn computation(app: &App) {
    use chrono::Datelike;
    let start = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
    let kinds = [
        Term::days(3),
        Term::weeks(2),
        Term::weeks(6),
        Term::months(1),
        Term::months(3),
    ];
    let n = 200_000u64;
    let t = Instant::now();
    let mut checksum = 0i64;
    for i in 0..n {
        let d = terms::compute(
            &app.calendar,
            start + Days::new(i % 3_650),
            kinds[(i % 5) as usize],
            Direction::Forward,
            true,
        )
        .unwrap();
        checksum += i64::from(d.end.ordinal()) + d.steps.len() as i64;
    }
    let took = t.elapsed();
    println!(
        "term computation (Atw, with explanation): {n} deadlines in {took:.2?} = {:.0} ns each, {:.0}/s (checksum {checksum})",
        took.as_nanos() as f64 / n as f64,
        n as f64 / took.as_secs_f64()
    );
}

#[tokio::main]
async fn main() {
    use chrono::Datelike;
    let count: u64 = std::env::var("BENCH_TERMS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
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
    computation(&app);

    bootstrap::ensure_first_admin(&app).await.unwrap();
    bootstrap::seed_reference(&app).await.unwrap();
    bootstrap::seed_demo_users(&app).await.unwrap();
    let t = Instant::now();
    seed::seed_to(&app.db, count).await;
    // One running term per case, last days spread from 30 days ago to 60 days ahead.
    let today = today();
    let keys = ["ontvankelijkheid", "bemiddeling", "verweer", "repliek", "uitspraak"];
    let whom = ["secretaris", "bemiddelaar", "verweerder", "verzoeker", "voorzitter"];
    for chunk in (1..=count as i32).collect::<Vec<_>>().chunks(1_000) {
        let rows = chunk.iter().map(|id| {
            let due = today + chrono::Duration::days(i64::from(*id % 91) - 30);
            case_term::ActiveModel {
                id: sea_orm::ActiveValue::NotSet,
                public_id: Set(uuid::Uuid::new_v4()),
                case_id: Set(*id),
                key: Set(keys[(*id % 5) as usize].into()),
                label: Set(None),
                who: Set(whom[(*id % 5) as usize].into()),
                starts_on: Set(due - chrono::Duration::days(28)),
                due_on: Set(due),
                fatal_on: Set(due),
                extensions: Set(0),
                suspended_days: Set(0),
                reminders_sent: Set(0),
                overdue_signalled: Set(false),
                // As a term starts: the sweep looks at it first on its first day.
                sweep_on: Set(Some(due - chrono::Duration::days(28))),
                status: Set("running".into()),
                created_at: Set(chrono::Utc::now()),
                ended_at: Set(None),
            }
        });
        case_term::Entity::insert_many(rows)
            .exec_without_returning(&app.db)
            .await
            .unwrap();
    }
    app.db.execute_unprepared("ANALYZE").await.unwrap();
    println!("{count} cases with one open term each, seeded in {:.1?}", t.elapsed());
    for round in 1..=2 {
        let t = Instant::now();
        let r = reminders::sweep(&app, today).await.unwrap();
        println!(
            "sweep round {round}: {:.2?}, {} terms with something due, {} inbox notifications (year {})",
            t.elapsed(),
            r.terms,
            r.notifications,
            today.year()
        );
    }
    if let Ok(status) = std::fs::read_to_string("/proc/self/status")
        && let Some(line) = status.lines().find(|l| l.starts_with("VmHWM"))
    {
        println!("peak resident memory: {}", line[6..].trim());
    }
}
