//! Seeds a realistic data set straight into the database, in batches: cases spread over five
//! years, every kind and phase, two parties each drawn from the reference organisations,
//! mediators and commission members assigned where the phase has them, and a hash-chained
//! audit trail per case whose length equals the case's version (as the service writes it).
//! Deterministic (a fixed-seed generator), and fast enough to reach 1,000,000 cases.

use beslecht::{
    domain::audit_chain::{self, EntryContent},
    storage::entities::{case, case_audit_entry, case_commission_member, case_party, organisation, ruling, user},
};
use chrono::{Datelike, Duration, TimeZone, Utc};
use rand::{Rng, SeedableRng, rngs::StdRng};
use sea_orm::{
    ActiveValue::{NotSet, Set},
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect, TransactionTrait,
};
use serde_json::json;

const BATCH: usize = 500;
const KINDS: [&str; 4] = ["binnen_regio", "tussen_regios", "uittreding", "woonplaatsbeginsel"];
/// Phase, share in percent, and the steps a case in it has taken (its audit entries).
const PHASES: [(&str, u32, &[&str]); 8] = [
    ("concept", 5, &[]),
    ("ingediend", 10, &["submit"]),
    ("bemiddeling", 20, &["submit", "admit", "assign-mediator"]),
    (
        "bemiddeling_beeindigd",
        5,
        &["submit", "admit", "assign-mediator", "record-mediation-outcome"],
    ),
    (
        "commissie",
        20,
        &[
            "submit",
            "admit",
            "assign-mediator",
            "record-mediation-outcome",
            "escalate",
            "assign-commission",
            "submit-defence",
        ],
    ),
    (
        "uitspraak",
        15,
        &[
            "submit",
            "admit",
            "assign-mediator",
            "record-mediation-outcome",
            "escalate",
            "assign-commission",
            "submit-defence",
            "schedule-hearing",
            "record-hearing",
            "adopt-ruling",
        ],
    ),
    (
        "geschikt",
        15,
        &["submit", "admit", "assign-mediator", "record-mediation-outcome"],
    ),
    ("ingetrokken", 10, &["submit", "withdraw"]),
];

/// The municipality party to about 40 % of the seeded cases (demo-gemeente-3's).
pub const LARGE: &str = "Eindhoven";

/// The internal id of the municipality called `name`.
pub async fn gemeente_named(db: &DatabaseConnection, name: &str) -> i32 {
    organisation::Entity::find()
        .select_only()
        .column(organisation::Column::Id)
        .filter(organisation::Column::Kind.eq("gemeente"))
        .filter(organisation::Column::Name.eq(name))
        .into_tuple::<i32>()
        .one(db)
        .await
        .unwrap()
        .expect("a reference municipality")
}

async fn ids_of(db: &DatabaseConnection, kind: &str) -> Vec<i32> {
    organisation::Entity::find()
        .select_only()
        .column(organisation::Column::Id)
        .filter(organisation::Column::Kind.eq(kind))
        .into_tuple::<i32>()
        .all(db)
        .await
        .unwrap()
}

/// Gives every municipality a filing user and the OZJ and the commission a realistic staff
/// (ten mediators, fifteen members), copying a demo user's password hash.
async fn ensure_staff(db: &DatabaseConnection) {
    let template = user::Entity::find()
        .filter(user::Column::Username.eq("demo-gemeente"))
        .one(db)
        .await
        .unwrap()
        .expect("the demo users are seeded first");
    let mut wanted: Vec<(String, &str, i32, bool)> = Vec::new();
    for org in ids_of(db, "gemeente").await {
        wanted.push((format!("seed-gemeente-{org}"), "gemeente", org, false));
    }
    let ozj = ids_of(db, "ozj").await[0];
    let commission = ids_of(db, "commissie").await[0];
    for n in 1..10 {
        wanted.push((format!("seed-bemiddelaar-{n}"), "bemiddelaar", ozj, false));
    }
    for n in 1..15 {
        wanted.push((format!("seed-commissielid-{n}"), "commissielid", commission, n % 3 == 0));
    }
    for (username, role, org, may_chair) in wanted {
        let exists = user::Entity::find()
            .filter(user::Column::Username.eq(&username))
            .one(db)
            .await
            .unwrap();
        if exists.is_none() {
            user::Entity::insert(user::ActiveModel {
                id: NotSet,
                public_id: Set(uuid::Uuid::new_v4()),
                display_name: Set(username.clone()),
                username: Set(username),
                email: Set(None),
                role: Set(role.into()),
                organisation_id: Set(Some(org)),
                may_chair: Set(may_chair),
                password_hash: Set(template.password_hash.clone()),
                credentials_version: Set(1),
                disabled_at: Set(None),
                created_at: Set(Utc::now()),
                updated_at: Set(Utc::now()),
            })
            .exec(db)
            .await
            .unwrap();
        }
    }
}

/// The user who files for each municipality: its demo user where there is one.
async fn filers(db: &DatabaseConnection) -> std::collections::HashMap<i32, i32> {
    let mut by_org = std::collections::HashMap::new();
    for u in user::Entity::find()
        .filter(user::Column::Role.eq("gemeente"))
        .all(db)
        .await
        .unwrap()
    {
        let Some(org) = u.organisation_id else { continue };
        let is_demo = u.username.starts_with("demo-");
        if is_demo || !by_org.contains_key(&org) {
            by_org.insert(org, u.id);
        }
    }
    by_org
}

async fn users_with_role(db: &DatabaseConnection, role: &str) -> Vec<i32> {
    user::Entity::find()
        .select_only()
        .column(user::Column::Id)
        .filter(user::Column::Role.eq(role))
        .into_tuple::<i32>()
        .all(db)
        .await
        .unwrap()
}

/// The running term of each case in a phase that has one (as the procedure starts them:
/// intake, mediation, the request for the commission, the reply), with its last day spread
/// from ten days ago to six weeks ahead (about one in six has passed), and the case's and
/// the parties' copies of their deadlines (`next_due_on`, `waits_until`). Cases that already have terms
/// are left alone, so a database seeded before terms were seeded is topped up. Then the
/// rulings' obligations (see [`obligations`]).
async fn running_terms(db: &DatabaseConnection) {
    let postgres = db.get_database_backend() == sea_orm::DatabaseBackend::Postgres;
    let (uuid, due) = if postgres {
        ("gen_random_uuid()", "CURRENT_DATE + (c.id % 56 - 10)")
    } else {
        ("randomblob(16)", "date('now', (c.id % 56 - 10) || ' days')")
    };
    let inserted = db
        .execute_unprepared(&format!(
            "INSERT INTO case_terms (public_id, case_id, key, who, starts_on, due_on, fatal_on, extensions, \
             suspended_days, reminders_sent, overdue_signalled, status, created_at) \
             SELECT {uuid}, c.id, x.key, x.who, {due}, {due}, {due}, 0, 0, 0, false, 'running', c.created_at \
             FROM cases c JOIN (SELECT 'ingediend' AS phase, 'ontvankelijkheid' AS key, 'secretaris' AS who \
               UNION ALL SELECT 'bemiddeling', 'bemiddeling', 'bemiddelaar' \
               UNION ALL SELECT 'bemiddeling_beeindigd', 'escalatie', 'partijen' \
               UNION ALL SELECT 'commissie', 'repliek', 'verzoeker') x ON x.phase = c.phase \
             WHERE NOT EXISTS (SELECT 1 FROM case_terms t WHERE t.case_id = c.id)"
        ))
        .await
        .unwrap()
        .rows_affected()
        + obligations(db, uuid, due).await;
    if inserted == 0 {
        return;
    }
    // As the reminder sweep leaves them, so that a worker run on the seeded database finds the steady state
    // (a day's reminders, not every term at once): reminders counted as sent five working days
    // (about a week) and one day before the last day, the passing signalled, and the day of the
    // next look. Where a day falls otherwise (a weekend, a holiday), the sweep corrects it.
    let before = |days: u32| {
        if postgres {
            format!("due_on - {days}")
        } else {
            format!("date(due_on, '-{days} days')")
        }
    };
    let (week, day, after) = (
        before(7),
        before(1),
        if postgres {
            "due_on + 1".to_owned()
        } else {
            "date(due_on, '+1 day')".to_owned()
        },
    );
    let today = if postgres { "CURRENT_DATE" } else { "date('now')" };
    db.execute_unprepared(&format!(
        "UPDATE case_terms SET overdue_signalled = (due_on < {today}), \
         reminders_sent = (CASE WHEN {week} <= {today} THEN 1 ELSE 0 END) + (CASE WHEN {day} <= {today} THEN 1 ELSE 0 END), \
         sweep_on = CASE WHEN due_on < {today} THEN NULL WHEN {day} <= {today} THEN {after} \
           WHEN {week} <= {today} THEN {day} ELSE {week} END \
         WHERE status = 'running' AND sweep_on IS NULL"
    ))
    .await
    .unwrap();
    // Statistics first: gathered while `case_terms` was empty, they would lead SQLite's
    // planner to look each party's terms up by status alone (all running terms per row).
    db.execute_unprepared("ANALYZE").await.unwrap();
    db.execute_unprepared(
        "UPDATE cases SET next_due_on = (SELECT MIN(t.due_on) FROM case_terms t WHERE t.case_id = cases.id AND t.status = 'running') \
         WHERE id IN (SELECT case_id FROM case_terms WHERE status = 'running')",
    )
    .await
    .unwrap();
    db.execute_unprepared(
        "UPDATE case_parties SET \
         next_due_on = (SELECT c.next_due_on FROM cases c WHERE c.id = case_parties.case_id), \
         waits_until = (SELECT MIN(t.due_on) FROM case_terms t WHERE t.case_id = case_parties.case_id AND t.status = 'running' \
           AND t.who IN (case_parties.side, 'partijen')) \
         WHERE case_id IN (SELECT case_id FROM case_terms WHERE status = 'running')",
    )
    .await
    .unwrap();
    db.execute_unprepared(if postgres { "VACUUM ANALYZE" } else { "ANALYZE" })
        .await
        .unwrap();
}

/// What the rulings order: one obligation per adopted ruling, alternately on the claimant, the
/// respondent and both parties, run as a term (`nakoming`, as `rulings::obligations` records
/// it); one in four still running (its last day spread as the other terms'), the rest met on
/// their last day. Rulings whose case already has its obligation are left alone. Answers how
/// many terms were added.
async fn obligations(db: &DatabaseConnection, uuid: &str, due: &str) -> u64 {
    let added = db
        .execute_unprepared(&format!(
            "INSERT INTO case_terms (public_id, case_id, key, label, who, starts_on, due_on, fatal_on, extensions, \
             suspended_days, reminders_sent, overdue_signalled, status, created_at, ended_at) \
             SELECT {uuid}, c.id, 'nakoming', 'Betaalt de kosten van de procedure', \
             CASE r.id % 3 WHEN 0 THEN 'verzoeker' WHEN 1 THEN 'verweerder' ELSE 'partijen' END, \
             r.adopted_on, {due}, {due}, 0, 0, 0, false, \
             CASE WHEN r.id % 4 = 0 THEN 'running' ELSE 'met' END, r.adopted_at, \
             CASE WHEN r.id % 4 = 0 THEN NULL ELSE r.adopted_at END \
             FROM rulings r JOIN cases c ON c.id = r.case_id \
             WHERE NOT EXISTS (SELECT 1 FROM case_terms t WHERE t.case_id = c.id AND t.key = 'nakoming')"
        ))
        .await
        .unwrap()
        .rows_affected();
    db.execute_unprepared(&format!(
        "INSERT INTO ruling_obligations (public_id, case_id, term_id, ruling_id, who, description, amount_cents, \
         recorded_by, recorded_at, fulfilled_on, reported_by, reported_at) \
         SELECT {uuid}, t.case_id, t.id, r.id, t.who, 'Betaalt de kosten van de procedure.', 125000, \
         r.chair_id, t.created_at, CASE WHEN t.status = 'met' THEN t.due_on END, \
         CASE WHEN t.status = 'met' THEN r.chair_id END, t.ended_at \
         FROM case_terms t JOIN rulings r ON r.case_id = t.case_id \
         WHERE t.key = 'nakoming' AND NOT EXISTS (SELECT 1 FROM ruling_obligations o WHERE o.term_id = t.id)"
    ))
    .await
    .unwrap();
    added
}

/// Adds cases until there are `target`; answers how many were added.
pub async fn seed_to(db: &DatabaseConnection, target: u64) -> u64 {
    let existing: Option<i32> = case::Entity::find()
        .select_only()
        .column_as(case::Column::Id.max(), "max")
        .into_tuple::<Option<i32>>()
        .one(db)
        .await
        .unwrap()
        .flatten();
    let start = existing.unwrap_or(0) as u64;
    if start >= target {
        running_terms(db).await;
        return 0;
    }
    let gemeenten = ids_of(db, "gemeente").await;
    // One large organisation, party to about 40 % of the cases (as respondent), beside the
    // others' few per cent: the party scenarios run for both.
    let large = gemeente_named(db, LARGE).await;
    ensure_staff(db).await;
    let filer = filers(db).await;
    let mediators = users_with_role(db, "bemiddelaar").await;
    let members = users_with_role(db, "commissielid").await;
    let mut rng = StdRng::seed_from_u64(start ^ 0x5eed);
    let mut next = start + 1;
    while next <= target {
        let end = (next + BATCH as u64 - 1).min(target);
        let mut cases = Vec::with_capacity(BATCH);
        let mut parties = Vec::with_capacity(BATCH * 2);
        let mut entries = Vec::with_capacity(BATCH * 6);
        let mut seats = Vec::new();
        let mut rulings = Vec::new();
        for id in next..=end {
            let id = id as i32;
            let mut pick = rng.random_range(0..100u32);
            let (phase, _, steps) = *PHASES
                .iter()
                .find(|(_, share, _)| {
                    let hit = pick < *share;
                    pick = pick.saturating_sub(*share);
                    hit
                })
                .unwrap_or(&PHASES[1]);
            let claimant = gemeenten[rng.random_range(0..gemeenten.len())];
            let mut respondent = if claimant != large && rng.random_bool(0.4) {
                large
            } else {
                gemeenten[rng.random_range(0..gemeenten.len())]
            };
            if respondent == claimant {
                respondent = gemeenten[(gemeenten.iter().position(|g| *g == claimant).unwrap() + 1) % gemeenten.len()];
            }
            let created = Utc.with_ymd_and_hms(2021, 1, 1, 8, 0, 0).unwrap()
                + Duration::minutes(rng.random_range(0..5 * 365 * 24 * 60));
            let kind = KINDS[rng.random_range(0..KINDS.len())];
            let mediated = steps.contains(&"assign-mediator");
            let chaired = steps.contains(&"assign-commission");
            let mediator = mediated.then(|| mediators[rng.random_range(0..mediators.len())]);
            let chair = chaired.then(|| members[rng.random_range(0..members.len())]);
            if let Some(chair) = chair
                && let Some(m) = members.iter().find(|m| **m != chair)
            {
                seats.push(case_commission_member::ActiveModel {
                    case_id: Set(id),
                    user_id: Set(*m),
                });
            }
            if phase == "uitspraak"
                && let Some(chair) = chair
            {
                let adopted = created + Duration::days(steps.len() as i64 * 14);
                rulings.push(ruling::ActiveModel {
                    id: NotSet,
                    public_id: Set(uuid::Uuid::new_v4()),
                    case_id: Set(id),
                    outcome: Set(["gegrond", "deels_gegrond", "ongegrond"][rng.random_range(0..3)].into()),
                    nature: Set("bindend_advies".into()),
                    dictum: Set("De commissie stelt de verzoeker deels in het gelijk.".into()),
                    reasoning: Set("De NvO vraagt zorgvuldige inkoop en continuïteit van zorg.".into()),
                    cost_allocation: Set(None),
                    adopted_on: Set(adopted.date_naive()),
                    adopted_at: Set(adopted),
                    chair_id: Set(chair),
                    corrects_id: Set(None),
                    correction_reason: Set(None),
                });
            }
            let stage = (phase == "commissie").then(|| "repliek".to_owned());
            let version = steps.len() as i32 + 1;
            let number = format!("GS-{}-{:06}", created.year(), id);
            cases.push(case::ActiveModel {
                id: Set(id),
                public_id: Set(uuid::Uuid::new_v4()),
                number: Set(number.clone()),
                kind: Set(kind.into()),
                domain: Set(if rng.random_bool(0.8) { "jeugd" } else { "bwmo" }.into()),
                title: Set(format!(
                    "Geschil {id}: {} over inkoop en tarieven",
                    kind.replace('_', " ")
                )),
                summary: Set("Partijen verschillen van mening over de toepassing van de NvO.".into()),
                claimant_id: Set(claimant),
                filed_by: Set(filer[&claimant]),
                phase: Set(phase.into()),
                stage: Set(stage),
                facts: Set(Some(
                    json!({"tender_published_on": "2025-05-01", "contract_duration_months": 24}),
                )),
                mediator_id: Set(mediator),
                chair_id: Set(chair),
                mediation_outcome: Set(None),
                mediation_summary: Set(None),
                hearing_at: Set(None),
                hearing_location: Set(None),
                hearing_summary: Set(None),
                closing_reason: Set(None),
                version: Set(version),
                created_at: Set(created),
                updated_at: Set(created),
                submitted_at: Set((phase != "concept").then_some(created)),
                closed_at: Set(None),
                next_due_on: Set(None),
            });
            parties.push(case_party::ActiveModel {
                case_id: Set(id),
                organisation_id: Set(claimant),
                side: Set("verzoeker".into()),
                phase: Set(phase.into()),
                kind: Set(kind.into()),
                // Filled with the running terms, after the cases (see `running_terms`).
                waits_until: Set(None),
                next_due_on: Set(None),
            });
            parties.push(case_party::ActiveModel {
                case_id: Set(id),
                organisation_id: Set(respondent),
                side: Set("verweerder".into()),
                phase: Set(phase.into()),
                kind: Set(kind.into()),
                // Filled with the running terms, after the cases (see `running_terms`).
                waits_until: Set(None),
                next_due_on: Set(None),
            });
            let mut previous = None;
            for (i, action) in std::iter::once("case.create").chain(steps.iter().copied()).enumerate() {
                let content = EntryContent {
                    sequence: 0,
                    occurred_at: created + Duration::days(i as i64 * 14),
                    actor: "seed (system)".into(),
                    organisation: None,
                    action: if i == 0 {
                        action.into()
                    } else {
                        format!("step.{action}")
                    },
                    subject: format!("case {number}"),
                    reason: None,
                    before: None,
                    after: Some(json!({ "step": i })),
                };
                let e = audit_chain::append(previous.as_ref(), content);
                entries.push(case_audit_entry::ActiveModel {
                    id: NotSet,
                    case_id: Set(id),
                    sequence: Set(e.content.sequence),
                    occurred_at: Set(e.content.occurred_at),
                    actor: Set(e.content.actor.clone()),
                    organisation: Set(None),
                    action: Set(e.content.action.clone()),
                    subject: Set(e.content.subject.clone()),
                    reason: Set(None),
                    before: Set(None),
                    after: Set(e.content.after.clone()),
                    previous_hash: Set(e.previous_hash.clone()),
                    hash: Set(e.hash.clone()),
                });
                previous = Some(e);
            }
        }
        let tx = db.begin().await.unwrap();
        case::Entity::insert_many(cases).exec(&tx).await.unwrap();
        case_party::Entity::insert_many(parties).exec(&tx).await.unwrap();
        for chunk in entries.chunks(1_000) {
            case_audit_entry::Entity::insert_many(chunk.to_vec())
                .exec(&tx)
                .await
                .unwrap();
        }
        if !rulings.is_empty() {
            ruling::Entity::insert_many(rulings).exec(&tx).await.unwrap();
        }
        if !seats.is_empty() {
            case_commission_member::Entity::insert_many(seats)
                .exec(&tx)
                .await
                .unwrap();
        }
        tx.commit().await.unwrap();
        next = end + 1;
    }
    running_terms(db).await;
    // A production database keeps its planner statistics current; after a bulk load they
    // must be gathered once, as autovacuum would shortly.
    let maintenance = match db.get_database_backend() {
        // Statistics and the visibility map (for index-only scans), as autovacuum keeps them.
        sea_orm::DatabaseBackend::Postgres => "VACUUM ANALYZE",
        _ => "ANALYZE",
    };
    db.execute_unprepared(maintenance).await.unwrap();
    if db.get_database_backend() == sea_orm::DatabaseBackend::Postgres {
        // Ids were given explicitly; the sequence must continue after them.
        db.execute_unprepared("SELECT setval(pg_get_serial_sequence('cases', 'id'), (SELECT MAX(id) FROM cases))")
            .await
            .unwrap();
    }
    target - start
}
