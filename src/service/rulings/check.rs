//! Authenticity: anyone holding a ruling document can ask whether this commission issued it,
//! unchanged. The file's SHA-256 is looked up among every version ever issued (an index
//! walk); the answer names the case number, the date, the outcome and whether a later
//! correction replaced that version — nothing else about the case.

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde::Serialize;
use utoipa::ToSchema;

use crate::{
    error::{Error, Result, invalid_field},
    service::{App, register::outcome_nl},
    storage::entities::{case, ruling, ruling_document},
};

/// A ruling document this commission issued.
#[derive(Debug, Serialize, ToSchema)]
pub struct Issued {
    /// The case number, which is the ruling's identifier.
    pub number: String,
    /// The day the ruling (this version) was adopted.
    pub date: chrono::NaiveDate,
    /// `gegrond`, `deels_gegrond`, `ongegrond` or `niet_ontvankelijk`.
    pub outcome: String,
    /// The outcome in Dutch.
    pub uitkomst: String,
    /// `bindend_advies` or `advies`.
    pub nature: String,
    pub sha256: String,
    /// When this version was issued.
    pub issued_at: chrono::DateTime<chrono::Utc>,
    /// Whether a correction has since replaced this version (it stays authentic: it was
    /// issued, and it says what it said then).
    pub corrected: bool,
}

/// A SHA-256 as 64 hex digits (either case), lowercased; a clear refusal otherwise.
pub fn parse_sha256(raw: &str) -> Result<String> {
    let raw = raw.trim();
    if raw.len() == 64 && raw.bytes().all(|b| b.is_ascii_hexdigit()) {
        Ok(raw.to_ascii_lowercase())
    } else {
        Err(invalid_field(
            "sha256",
            "must be a SHA-256 as 64 hexadecimal digits",
            "Vul de SHA-256 in als 64 hexadecimale tekens.",
        ))
    }
}

/// The ruling document with this SHA-256 (already parsed), or 404 when this commission
/// issued none.
pub async fn by_hash(app: &App, sha256: &str) -> Result<Issued> {
    let not_issued = || Error::NotFound("ruling document issued by this commission");
    let issued = ruling_document::Entity::find()
        .filter(ruling_document::Column::Sha256.eq(sha256))
        .one(&app.db)
        .await?
        .ok_or_else(not_issued)?;
    let r = ruling::Entity::find_by_id(issued.ruling_id)
        .one(&app.db)
        .await?
        .ok_or_else(not_issued)?;
    let c = case::Entity::find_by_id(r.case_id)
        .one(&app.db)
        .await?
        .ok_or_else(not_issued)?;
    let corrected = ruling::Entity::find()
        .filter(ruling::Column::CorrectsId.eq(r.id))
        .one(&app.db)
        .await?
        .is_some();
    Ok(Issued {
        number: c.number,
        date: r.adopted_on,
        uitkomst: outcome_nl(&r.outcome).to_owned(),
        outcome: r.outcome,
        nature: r.nature,
        sha256: issued.sha256,
        issued_at: issued.issued_at,
        corrected,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_is_64_hex_digits_in_either_case() {
        let h = "AB".repeat(32);
        assert_eq!(parse_sha256(&format!(" {h} ")).unwrap(), "ab".repeat(32));
        for bad in ["", "ab", &"g".repeat(64), &"a".repeat(63), &"a".repeat(65)] {
            assert!(parse_sha256(bad).is_err(), "{bad}");
        }
    }
}
