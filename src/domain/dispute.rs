//! Kinds of dispute (geschilsoort), the domain they fall in, and the kinds of care whose
//! purchasing rules differ (`../shared/domain.md` §4).

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DisputeKind {
    /// Between municipalities (or a municipality and its region) within one region.
    BinnenRegio,
    /// Between regions, e.g. on supra-regional functions or accounthouderschap.
    TussenRegios,
    /// Between a region or municipality and a provider: tariffs, purchasing, continuity.
    RegioAanbieder,
    /// A municipality leaving its region.
    Uittreding,
    /// Which municipality is responsible for paying (woonplaatsbeginsel).
    Woonplaatsbeginsel,
}

impl DisputeKind {
    pub const ALL: [DisputeKind; 5] = [
        DisputeKind::BinnenRegio,
        DisputeKind::TussenRegios,
        DisputeKind::RegioAanbieder,
        DisputeKind::Uittreding,
        DisputeKind::Woonplaatsbeginsel,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            DisputeKind::BinnenRegio => "binnen_regio",
            DisputeKind::TussenRegios => "tussen_regios",
            DisputeKind::RegioAanbieder => "regio_aanbieder",
            DisputeKind::Uittreding => "uittreding",
            DisputeKind::Woonplaatsbeginsel => "woonplaatsbeginsel",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// Youth care (Jeugdwet) or sheltered housing and shelter (BW-MO).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DisputeDomain {
    Jeugd,
    Bwmo,
}

impl DisputeDomain {
    pub const ALL: [DisputeDomain; 2] = [DisputeDomain::Jeugd, DisputeDomain::Bwmo];

    pub fn as_str(self) -> &'static str {
        match self {
            DisputeDomain::Jeugd => "jeugd",
            DisputeDomain::Bwmo => "bwmo",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|d| d.as_str() == s)
    }
}

/// The kind of care a contract is for: the NvO asks six months between signing and start for
/// closed youth care, youth protection, probation and care ordered in a criminal case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CareCategory {
    Jeugdhulp,
    GeslotenJeugdhulp,
    Jeugdbescherming,
    Jeugdreclassering,
    /// Youth care ordered in a criminal decision (strafrechtelijke beslissing).
    Strafrechtelijk,
    /// Sheltered housing and shelter (Wmo 2015).
    Bwmo,
}

impl CareCategory {
    pub const ALL: [CareCategory; 6] = [
        CareCategory::Jeugdhulp,
        CareCategory::GeslotenJeugdhulp,
        CareCategory::Jeugdbescherming,
        CareCategory::Jeugdreclassering,
        CareCategory::Strafrechtelijk,
        CareCategory::Bwmo,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CareCategory::Jeugdhulp => "jeugdhulp",
            CareCategory::GeslotenJeugdhulp => "gesloten_jeugdhulp",
            CareCategory::Jeugdbescherming => "jeugdbescherming",
            CareCategory::Jeugdreclassering => "jeugdreclassering",
            CareCategory::Strafrechtelijk => "strafrechtelijk",
            CareCategory::Bwmo => "bwmo",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// Months required between signing a contract and its start.
    pub fn months_between_signing_and_start(self) -> u32 {
        match self {
            CareCategory::GeslotenJeugdhulp
            | CareCategory::Jeugdbescherming
            | CareCategory::Jeugdreclassering
            | CareCategory::Strafrechtelijk => 6,
            CareCategory::Jeugdhulp | CareCategory::Bwmo => 3,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for k in DisputeKind::ALL {
            assert_eq!(DisputeKind::parse(k.as_str()), Some(k));
            assert_eq!(serde_json::to_value(k).unwrap(), k.as_str());
        }
        for d in DisputeDomain::ALL {
            assert_eq!(DisputeDomain::parse(d.as_str()), Some(d));
        }
        for c in CareCategory::ALL {
            assert_eq!(CareCategory::parse(c.as_str()), Some(c));
        }
        assert_eq!(DisputeKind::parse("ruzie"), None);
    }

    #[test]
    fn six_months_for_closed_care_protection_and_probation() {
        let six: Vec<_> = CareCategory::ALL
            .into_iter()
            .filter(|c| c.months_between_signing_and_start() == 6)
            .collect();
        assert_eq!(six.len(), 4);
        assert_eq!(CareCategory::Jeugdhulp.months_between_signing_and_start(), 3);
    }
}

/// Whether every party of a dispute stands in one region: the rule for a dispute *binnen de
/// regio*. `regions[i]` holds the regions party `i` belongs to on the day (a region belongs
/// to itself).
pub fn share_a_region<T: Ord + Copy>(regions: &[std::collections::BTreeSet<T>]) -> bool {
    let Some((first, rest)) = regions.split_first() else {
        return false;
    };
    first.iter().any(|r| rest.iter().all(|other| other.contains(r)))
}

#[cfg(test)]
mod region_tests {
    use std::collections::BTreeSet;

    use super::share_a_region;

    #[test]
    fn parties_share_a_region_only_when_one_region_holds_them_all() {
        let set = |xs: &[i32]| xs.iter().copied().collect::<BTreeSet<i32>>();
        assert!(share_a_region(&[set(&[1, 2]), set(&[2])]));
        assert!(share_a_region(&[set(&[1]), set(&[1]), set(&[1, 3])]));
        assert!(!share_a_region(&[set(&[1]), set(&[2])]));
        assert!(!share_a_region(&[set(&[1, 2]), set(&[2]), set(&[1])]));
        assert!(!share_a_region(&[set(&[]), set(&[])]));
        assert!(!share_a_region::<i32>(&[]));
    }
}
