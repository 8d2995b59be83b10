//! `beslecht documents verify`: re-reads every stored document and compares its size and
//! SHA-256 with the record, reporting each one that is missing or changed.

use futures::StreamExt;
use object_store::ObjectStoreExt;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use sha2::{Digest, Sha256};

use super::staging::hex;
use crate::{
    error::{Error, Result},
    service::App,
    storage::{
        entities::{case, document},
        objects,
    },
};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    Missing,
    /// Stored size and hash differ from the record.
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

async fn check(app: &App, doc: &document::Model) -> (u64, Option<Problem>) {
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
    if size == doc.size as u64 && sha256 == doc.sha256 {
        (size, None)
    } else {
        (size, Some(Problem::Changed { size, sha256 }))
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
        for doc in &docs {
            let (bytes, problem) = check(app, doc).await;
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
