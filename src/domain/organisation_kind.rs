//! Kinds of organisation (`../shared/api.md`).

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OrganisationKind {
    Gemeente,
    Jeugdregio,
    BwmoRegio,
    /// A purchasing sub-region within a jeugdregio, e.g. "Een 10 voor de Jeugd".
    Subregio,
    Aanbieder,
    /// Gecertificeerde instelling (youth protection and probation).
    Gi,
    Commissie,
    Ozj,
}

impl OrganisationKind {
    pub const ALL: [OrganisationKind; 8] = [
        OrganisationKind::Gemeente,
        OrganisationKind::Jeugdregio,
        OrganisationKind::BwmoRegio,
        OrganisationKind::Subregio,
        OrganisationKind::Aanbieder,
        OrganisationKind::Gi,
        OrganisationKind::Commissie,
        OrganisationKind::Ozj,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            OrganisationKind::Gemeente => "gemeente",
            OrganisationKind::Jeugdregio => "jeugdregio",
            OrganisationKind::BwmoRegio => "bwmo_regio",
            OrganisationKind::Subregio => "subregio",
            OrganisationKind::Aanbieder => "aanbieder",
            OrganisationKind::Gi => "gi",
            OrganisationKind::Commissie => "commissie",
            OrganisationKind::Ozj => "ozj",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn is_region(self) -> bool {
        matches!(self, Self::Jeugdregio | Self::BwmoRegio | Self::Subregio)
    }

    /// Providers and GI's: the organisations a region can be accounthouder for.
    pub fn is_provider(self) -> bool {
        matches!(self, Self::Aanbieder | Self::Gi)
    }

    /// Whether an organisation of this kind can be a member of a region of kind `region`:
    /// municipalities of any region, and a sub-region of its jeugdregio.
    pub fn may_join(self, region: OrganisationKind) -> bool {
        match self {
            Self::Gemeente => region.is_region(),
            Self::Subregio => region == Self::Jeugdregio,
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip() {
        for k in OrganisationKind::ALL {
            assert_eq!(OrganisationKind::parse(k.as_str()), Some(k));
            assert_eq!(serde_json::to_value(k).unwrap(), k.as_str());
        }
        assert_eq!(OrganisationKind::parse("regio"), None);
    }

    #[test]
    fn membership_rules() {
        use OrganisationKind as K;
        for region in K::ALL {
            assert_eq!(K::Gemeente.may_join(region), region.is_region());
            assert_eq!(K::Subregio.may_join(region), region == K::Jeugdregio);
            assert!(!K::Aanbieder.may_join(region));
            assert!(!K::Commissie.may_join(region));
        }
        assert!(K::Gi.is_provider() && K::Aanbieder.is_provider() && !K::Gemeente.is_provider());
    }
}
