//! The roles of `../shared/domain.md` §2. Exactly these; every user has one.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::OrganisationKind;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Staff of a municipality.
    Gemeente,
    /// Contact point (aanspreekpunt) of a region.
    Regio,
    /// Staff of a provider or GI.
    Aanbieder,
    /// Secretary of the disputes commission.
    Secretaris,
    /// OZJ mediator.
    Bemiddelaar,
    /// Member (or chair) of the commission.
    Commissielid,
    /// Administrator: users and organisations, never case content.
    Beheerder,
}

impl Role {
    pub const ALL: [Role; 7] = [
        Role::Gemeente,
        Role::Regio,
        Role::Aanbieder,
        Role::Secretaris,
        Role::Bemiddelaar,
        Role::Commissielid,
        Role::Beheerder,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Gemeente => "gemeente",
            Role::Regio => "regio",
            Role::Aanbieder => "aanbieder",
            Role::Secretaris => "secretaris",
            Role::Bemiddelaar => "bemiddelaar",
            Role::Commissielid => "commissielid",
            Role::Beheerder => "beheerder",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// Which kinds of organisation a user with this role may belong to. The administrator
    /// belongs to none (`None`): that account exists to manage the others.
    pub fn organisation_kinds(self) -> Option<&'static [OrganisationKind]> {
        use OrganisationKind as K;
        Some(match self {
            Role::Gemeente => &[K::Gemeente],
            Role::Regio => &[K::Jeugdregio, K::BwmoRegio, K::Subregio],
            Role::Aanbieder => &[K::Aanbieder, K::Gi],
            Role::Secretaris | Role::Commissielid => &[K::Commissie],
            Role::Bemiddelaar => &[K::Ozj],
            Role::Beheerder => return None,
        })
    }

    /// Whether a user of this role may belong to an organisation of `kind` (`None`: no
    /// organisation at all).
    pub fn fits_organisation(self, kind: Option<OrganisationKind>) -> bool {
        match (self.organisation_kinds(), kind) {
            (None, None) => true,
            (Some(kinds), Some(k)) => kinds.contains(&k),
            _ => false,
        }
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_role_round_trips_through_its_name() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
            let json = serde_json::to_string(&role).unwrap();
            assert_eq!(json, format!("\"{}\"", role.as_str()));
        }
        assert_eq!(Role::parse("admin"), None);
        assert_eq!(Role::parse("Gemeente"), None);
    }

    #[test]
    fn only_the_administrator_has_no_organisation() {
        for role in Role::ALL {
            assert_eq!(role.fits_organisation(None), role == Role::Beheerder);
        }
    }

    #[test]
    fn roles_fit_exactly_their_kinds_of_organisation() {
        use OrganisationKind as K;
        assert!(Role::Gemeente.fits_organisation(Some(K::Gemeente)));
        assert!(!Role::Gemeente.fits_organisation(Some(K::Jeugdregio)));
        assert!(Role::Regio.fits_organisation(Some(K::Subregio)));
        assert!(Role::Aanbieder.fits_organisation(Some(K::Gi)));
        assert!(!Role::Aanbieder.fits_organisation(Some(K::Commissie)));
        assert!(Role::Secretaris.fits_organisation(Some(K::Commissie)));
        assert!(Role::Bemiddelaar.fits_organisation(Some(K::Ozj)));
        assert!(!Role::Bemiddelaar.fits_organisation(Some(K::Commissie)));
        assert!(!Role::Beheerder.fits_organisation(Some(K::Commissie)));
    }
}
