//! `beslecht audit verify`: walks every case's trail and names the first entry that does not
//! hold. Entries are read in pages in (case, sequence) order, so memory stays flat however
//! large the trail is. A trail whose tail was cut off is found too: each change to a case
//! raises its version by one and adds one entry, so a case's trail must end at its version.

use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use super::trail::entry_of;
use crate::{
    domain::audit_chain::{self, Entry},
    error::Result,
    storage::entities::{case, case_audit_entry},
};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrokenEntry {
    pub case_number: String,
    pub sequence: i64,
    pub why: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub cases: u64,
    pub entries: u64,
    /// The first entry (in case order) that does not hold.
    pub broken: Option<BrokenEntry>,
}

const PAGE: u64 = 5_000;

pub async fn verify_all(db: &impl ConnectionTrait) -> Result<Report> {
    let mut report = Report {
        cases: 0,
        entries: 0,
        broken: None,
    };
    let mut after_case = 0;
    loop {
        let cases = case::Entity::find()
            .select_only()
            .column(case::Column::Id)
            .column(case::Column::Number)
            .column(case::Column::Version)
            .filter(case::Column::Id.gt(after_case))
            .order_by_asc(case::Column::Id)
            .limit(PAGE)
            .into_tuple::<(i32, String, i32)>()
            .all(db)
            .await?;
        let Some(&(last_id, _, _)) = cases.last() else {
            return Ok(report);
        };
        let first_id = cases[0].0;
        let mut trails: std::collections::BTreeMap<i32, Vec<Entry>> = Default::default();
        let mut after: Option<(i32, i64)> = None;
        loop {
            let mut q =
                case_audit_entry::Entity::find().filter(case_audit_entry::Column::CaseId.between(first_id, last_id));
            if let Some((c, s)) = after {
                q = q.filter(
                    Condition::any().add(case_audit_entry::Column::CaseId.gt(c)).add(
                        Condition::all()
                            .add(case_audit_entry::Column::CaseId.eq(c))
                            .add(case_audit_entry::Column::Sequence.gt(s)),
                    ),
                );
            }
            let rows = q
                .order_by_asc(case_audit_entry::Column::CaseId)
                .order_by_asc(case_audit_entry::Column::Sequence)
                .limit(PAGE * 4)
                .all(db)
                .await?;
            let done = (rows.len() as u64) < PAGE * 4;
            if let Some(r) = rows.last() {
                after = Some((r.case_id, r.sequence));
            }
            for r in rows {
                trails.entry(r.case_id).or_default().push(entry_of(r));
            }
            if done {
                break;
            }
        }
        for (id, number, version) in cases {
            report.cases += 1;
            let trail = trails.remove(&id).unwrap_or_default();
            report.entries += trail.len() as u64;
            let broken = match audit_chain::verify(&trail) {
                Err(b) => Some((b.sequence, b.why.to_owned())),
                Ok(n) if n != version as u64 => Some((
                    n as i64 + 1,
                    format!("the trail ends after {n} entries but the case records {version} changes"),
                )),
                Ok(_) => None,
            };
            if let Some((sequence, why)) = broken {
                report.broken = Some(BrokenEntry {
                    case_number: number,
                    sequence,
                    why,
                });
                return Ok(report);
            }
        }
        after_case = last_id;
    }
}
