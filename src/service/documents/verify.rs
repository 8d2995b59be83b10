//! `beslecht documents verify`: re-reads every stored document and compares its size and
//! SHA-256 with what the case's audit trail recorded at upload — not only with the document's
//! row, which whoever replaces the bytes in the store can update too; the trail's entry is
//! itself sealed by the audit checkpoints. Reports each document missing or changed.

use futures::StreamExt;
use object_store::ObjectStoreExt;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use sha2::{Digest, Sha256};
use std::collections::HashMap;

use super::staging::hex;
use crate::{
    error::{Error, Result},
    service::App,
    storage::{
        entities::{case, case_audit_entry, document},
        objects,
    },
};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    Missing,
    /// The case's trail holds no upload entry for it.
    NotInTrail,
    /// The row's size or hash differ from the upload entry's (the bytes may still match it).
    RecordChanged,
    /// Stored size and hash differ from the upload entry.
    Changed {
        size: u64,
        sha256: String,
    },
    Unreadable(String),
}

#[derive(Debug, Clone)]
pub struct Finding {
    pub case_number: String,
    pub document: uuid::Uuid,
    pub problem: Problem,
}

#[derive(Debug, Default)]
pub struct Report {
    pub checked: u64,
    pub bytes: u64,
    pub findings: Vec<Finding>,
}

/// What the trail recorded at each upload of the documents' cases: size and SHA-256 by
/// document id.
async fn uploads(app: &App, docs: &[document::Model]) -> Result<HashMap<String, (u64, String)>> {
    let cases: Vec<i32> = docs.iter().map(|d| d.case_id).collect();
    let entries = case_audit_entry::Entity::find()
        .filter(case_audit_entry::Column::CaseId.is_in(cases))
        .filter(case_audit_entry::Column::Action.eq("document.upload"))
        .select_only()
        .column(case_audit_entry::Column::After)
        .into_tuple::<Option<serde_json::Value>>()
        .all(&app.db)
        .await?;
    Ok(entries
        .into_iter()
        .flatten()
        .filter_map(|after| {
            let id = after["document"].as_str()?.to_owned();
            Some((id, (after["size"].as_u64()?, after["sha256"].as_str()?.to_owned())))
        })
        .collect())
}

async fn check(app: &App, doc: &document::Model, uploaded: Option<&(u64, String)>) -> (u64, Option<Problem>) {
    let Some((recorded_size, recorded_sha256)) = uploaded else {
        return (0, Some(Problem::NotInTrail));
    };
    let got = match app.documents.store.get(&objects::path(&doc.storage_key)).await {
        Ok(g) => g,
        Err(object_store::Error::NotFound { .. }) => return (0, Some(Problem::Missing)),
        Err(e) => return (0, Some(Problem::Unreadable(e.to_string()))),
    };
    let mut stream = got.into_stream();
    let mut hasher = Sha256::new();
    let mut size = 0u64;
    while let Some(chunk) = stream.next().await {
        match chunk {
            Ok(c) => {
                size += c.len() as u64;
                hasher.update(&c);
            }
            Err(e) => return (size, Some(Problem::Unreadable(e.to_string()))),
        }
    }
    let sha256 = hex(&hasher.finalize());
    if size != *recorded_size || sha256 != *recorded_sha256 {
        (size, Some(Problem::Changed { size, sha256 }))
    } else if doc.size as u64 != size || doc.sha256 != sha256 {
        (size, Some(Problem::RecordChanged))
    } else {
        (size, None)
    }
}

/// Checks every document, in batches, withdrawn ones included (their bytes are kept too).
pub async fn verify_all(app: &App) -> Result<Report> {
    let mut report = Report::default();
    let mut after = 0;
    loop {
        let docs = document::Entity::find()
            .filter(document::Column::Id.gt(after))
            .order_by_asc(document::Column::Id)
            .limit(500)
            .all(&app.db)
            .await?;
        let Some(last) = docs.last() else { break };
        after = last.id;
        let uploaded = uploads(app, &docs).await?;
        for doc in &docs {
            let (bytes, problem) = check(app, doc, uploaded.get(&doc.public_id.to_string())).await;
            report.checked += 1;
            report.bytes += bytes;
            if let Some(problem) = problem {
                let number = case::Entity::find_by_id(doc.case_id)
                    .one(&app.db)
                    .await?
                    .map(|c| c.number)
                    .ok_or_else(|| Error::internal("document without a case"))?;
                report.findings.push(Finding {
                    case_number: number,
                    document: doc.public_id,
                    problem,
                });
            }
        }
    }
    Ok(report)
}
