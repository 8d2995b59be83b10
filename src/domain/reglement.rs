//! The reglement (`policies/reglement.toml`): per kind of dispute, who may be claimant and
//! respondent, the NvO agreements at stake, the chamber, and which paths are open per domain.
//!
//! Parsed from text and checked here, without I/O; a file that does not parse or contradicts
//! itself is refused with the entry named, and the service does not start.

use crate::domain::policy_file::PolicyFileError;
use std::collections::BTreeMap;

use serde::Deserialize;

use super::{
    OrganisationKind,
    dispute::{DisputeDomain, DisputeKind},
    procedure::{Path, PathRules},
};

#[derive(Debug, Clone)]
pub struct Reglement {
    pub agreements: BTreeMap<u8, String>,
    /// Whether the commission may decide without a hearing when every party agrees
    /// (`zonder_zitting`; a written procedure).
    pub written_procedure: bool,
    kinds: BTreeMap<DisputeKind, KindRules>,
}

#[derive(Debug, Clone)]
pub struct KindRules {
    pub label: String,
    pub chamber: String,
    pub agreements: Vec<u8>,
    pub parties: Vec<Pairing>,
    pub paths: BTreeMap<DisputeDomain, PathRules>,
}

/// Claimant of one of `claimants` against respondents each of one of `respondents`.
#[derive(Debug, Clone)]
pub struct Pairing {
    pub claimants: Vec<OrganisationKind>,
    pub respondents: Vec<OrganisationKind>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawReglement {
    #[serde(default)]
    zonder_zitting: bool,
    agreements: BTreeMap<String, String>,
    kinds: BTreeMap<String, RawKind>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawKind {
    label: String,
    chamber: String,
    agreements: Vec<u8>,
    parties: Vec<RawPairing>,
    paths: BTreeMap<String, RawPaths>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPairing {
    claimants: Vec<String>,
    respondents: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPaths {
    mediation: bool,
    commission: bool,
}

impl Reglement {
    /// Parses and checks the reglement; `file` names it in errors.
    pub fn parse(file: &str, text: &str) -> Result<Self, PolicyFileError> {
        let fail = |entry: &str, message: String| PolicyFileError {
            file: file.into(),
            entry: entry.into(),
            message,
        };
        let raw: RawReglement =
            toml::from_str(text).map_err(|e| fail("(file)", format!("not a valid reglement: {e}")))?;
        let mut agreements = BTreeMap::new();
        for (number, text) in raw.agreements {
            let n: u8 = number
                .parse()
                .map_err(|_| fail(&format!("agreements.{number}"), "must be numbered".into()))?;
            agreements.insert(n, text);
        }
        let mut kinds = BTreeMap::new();
        for (name, raw) in raw.kinds {
            let entry = format!("kinds.{name}");
            let kind = DisputeKind::parse(&name).ok_or_else(|| fail(&entry, "is not a kind of dispute".into()))?;
            if let Some(n) = raw.agreements.iter().find(|n| !agreements.contains_key(n)) {
                return Err(fail(
                    &entry,
                    format!("names agreement {n}, which [agreements] does not list"),
                ));
            }
            if raw.parties.is_empty() {
                return Err(fail(&entry, "names no parties".into()));
            }
            let org_kinds = |list: &[String], what: &str| -> Result<Vec<OrganisationKind>, PolicyFileError> {
                if list.is_empty() {
                    return Err(fail(&entry, format!("a pairing has no {what}")));
                }
                list.iter()
                    .map(|k| {
                        OrganisationKind::parse(k)
                            .ok_or_else(|| fail(&entry, format!("`{k}` is not a kind of organisation")))
                    })
                    .collect()
            };
            let parties = raw
                .parties
                .iter()
                .map(|p| {
                    Ok(Pairing {
                        claimants: org_kinds(&p.claimants, "claimants")?,
                        respondents: org_kinds(&p.respondents, "respondents")?,
                    })
                })
                .collect::<Result<Vec<_>, _>>()?;
            let mut paths = BTreeMap::new();
            for (domain, p) in raw.paths {
                let d = DisputeDomain::parse(&domain)
                    .ok_or_else(|| fail(&format!("{entry}.paths.{domain}"), "is not a domain".into()))?;
                if d == DisputeDomain::Bwmo && p.mediation {
                    return Err(fail(
                        &format!("{entry}.paths.bwmo"),
                        "the OZJ does not mediate BW-MO disputes".into(),
                    ));
                }
                paths.insert(
                    d,
                    PathRules {
                        mediation: p.mediation,
                        commission: p.commission,
                    },
                );
            }
            if let Some(missing) = DisputeDomain::ALL.into_iter().find(|d| !paths.contains_key(d)) {
                return Err(fail(
                    &entry,
                    format!("says nothing about the {} domain", missing.as_str()),
                ));
            }
            kinds.insert(
                kind,
                KindRules {
                    label: raw.label,
                    chamber: raw.chamber,
                    agreements: raw.agreements,
                    parties,
                    paths,
                },
            );
        }
        if let Some(missing) = DisputeKind::ALL.into_iter().find(|k| !kinds.contains_key(k)) {
            return Err(fail(&format!("kinds.{}", missing.as_str()), "is missing".into()));
        }
        Ok(Reglement {
            agreements,
            written_procedure: raw.zonder_zitting,
            kinds,
        })
    }

    pub fn kind(&self, kind: DisputeKind) -> &KindRules {
        &self.kinds[&kind]
    }

    /// The commission's chambers, each once, in alphabetical order.
    pub fn chambers(&self) -> Vec<&str> {
        let mut c: Vec<&str> = self.kinds.values().map(|k| k.chamber.as_str()).collect();
        c.sort_unstable();
        c.dedup();
        c
    }

    pub fn paths(&self, kind: DisputeKind, domain: DisputeDomain) -> PathRules {
        self.kind(kind).paths[&domain]
    }

    /// Where an admitted case goes unless the secretary chooses otherwise; `None` when the
    /// reglement opens no path at all for this kind in this domain (it cannot be filed).
    pub fn default_path(&self, kind: DisputeKind, domain: DisputeDomain) -> Option<Path> {
        let p = self.paths(kind, domain);
        if p.mediation {
            Some(Path::Bemiddeling)
        } else if p.commission {
            Some(Path::Commissie)
        } else {
            None
        }
    }

    /// The kinds of organisation a claimant of kind `claimant` may bring any dispute
    /// against, in the order of `OrganisationKind::ALL` (what a filing form offers).
    pub fn respondent_kinds(&self, claimant: OrganisationKind) -> Vec<OrganisationKind> {
        OrganisationKind::ALL
            .into_iter()
            .filter(|r| {
                DisputeKind::ALL.iter().any(|k| {
                    self.kind(*k)
                        .parties
                        .iter()
                        .any(|p| p.claimants.contains(&claimant) && p.respondents.contains(r))
                })
            })
            .collect()
    }

    /// Whether a claimant of kind `claimant` may bring this dispute against respondents of
    /// the kinds `respondents` (all under one pairing).
    pub fn parties_fit(&self, kind: DisputeKind, claimant: OrganisationKind, respondents: &[OrganisationKind]) -> bool {
        !respondents.is_empty()
            && self
                .kind(kind)
                .parties
                .iter()
                .any(|p| p.claimants.contains(&claimant) && respondents.iter().all(|r| p.respondents.contains(r)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use OrganisationKind as O;

    const FILE: &str = include_str!("../../policies/reglement.toml");

    fn reglement() -> Reglement {
        Reglement::parse("policies/reglement.toml", FILE).unwrap()
    }

    #[test]
    fn a_filing_offers_only_organisations_that_can_respond() {
        let r = reglement();
        let kinds = r.respondent_kinds(O::Gemeente);
        assert!(kinds.contains(&O::Gemeente), "{kinds:?}");
        assert!(!kinds.contains(&O::Commissie) && !kinds.contains(&O::Ozj), "{kinds:?}");
        for k in &kinds {
            assert!(
                DisputeKind::ALL.iter().any(|d| r.parties_fit(*d, O::Gemeente, &[*k])),
                "{k:?}"
            );
        }
    }

    #[test]
    fn the_default_reglement_follows_the_domain() {
        let r = reglement();
        for kind in DisputeKind::ALL {
            assert!(!r.paths(kind, DisputeDomain::Bwmo).mediation, "no OZJ for BW-MO");
        }
        assert_eq!(
            r.default_path(DisputeKind::BinnenRegio, DisputeDomain::Jeugd),
            Some(Path::Bemiddeling)
        );
        assert_eq!(
            r.default_path(DisputeKind::BinnenRegio, DisputeDomain::Bwmo),
            Some(Path::Commissie)
        );
        assert_eq!(
            r.default_path(DisputeKind::Woonplaatsbeginsel, DisputeDomain::Jeugd),
            Some(Path::Commissie)
        );
        assert!(
            !r.paths(DisputeKind::RegioAanbieder, DisputeDomain::Jeugd).commission,
            "providers only where the chamber allows"
        );
        assert_eq!(r.default_path(DisputeKind::RegioAanbieder, DisputeDomain::Bwmo), None);
        assert_eq!(r.kind(DisputeKind::Woonplaatsbeginsel).chamber, "Woonplaatsbeginsel");
        assert_eq!(r.agreements.len(), 8);
    }

    #[test]
    fn who_may_bring_which_dispute() {
        let r = reglement();
        assert!(r.parties_fit(DisputeKind::BinnenRegio, O::Gemeente, &[O::Gemeente]));
        assert!(r.parties_fit(DisputeKind::BinnenRegio, O::Gemeente, &[O::Gemeente, O::Jeugdregio]));
        assert!(!r.parties_fit(DisputeKind::BinnenRegio, O::Gemeente, &[O::Aanbieder]));
        assert!(!r.parties_fit(DisputeKind::BinnenRegio, O::Gemeente, &[]));
        assert!(r.parties_fit(DisputeKind::RegioAanbieder, O::Jeugdregio, &[O::Aanbieder, O::Gi]));
        assert!(r.parties_fit(DisputeKind::RegioAanbieder, O::Aanbieder, &[O::Jeugdregio]));
        assert!(!r.parties_fit(DisputeKind::RegioAanbieder, O::Aanbieder, &[O::Gi]));
        assert!(!r.parties_fit(DisputeKind::TussenRegios, O::Gemeente, &[O::Jeugdregio]));
        assert!(!r.parties_fit(DisputeKind::Woonplaatsbeginsel, O::Commissie, &[O::Gemeente]));
    }

    #[test]
    fn mistakes_are_named_by_entry() {
        let broken = |from: &str, to: &str| Reglement::parse("r.toml", &FILE.replacen(from, to, 1)).unwrap_err();
        let e = broken("[kinds.uittreding]", "[kinds.vertrek]");
        assert_eq!(e.entry, "kinds.vertrek");
        let e = broken("agreements = [2, 5]", "agreements = [2, 9]");
        assert_eq!(
            (e.entry.as_str(), e.message.contains("agreement 9")),
            ("kinds.tussen_regios", true)
        );
        let e = broken(
            "paths.bwmo = { mediation = false, commission = true }",
            "paths.bwmo = { mediation = true, commission = true }",
        );
        assert_eq!(e.entry, "kinds.binnen_regio.paths.bwmo");
        let e = broken(
            "respondents = [\"gemeente\"] },\n]\npaths.jeugd = { mediation = false",
            "respondents = [\"stad\"] },\n]\npaths.jeugd = { mediation = false",
        );
        assert!(e.message.contains("`stad`"), "{e}");
        let e = broken("label = \"Woonplaatsbeginsel\"", "lable = \"Woonplaatsbeginsel\"");
        assert_eq!(e.entry, "(file)");
        assert_eq!(e.file, "r.toml");
        let e = Reglement::parse(
            "r.toml",
            &FILE.replace("paths.bwmo = { mediation = false, commission = false }\n", ""),
        )
        .unwrap_err();
        assert!(e.message.contains("bwmo"), "{e}");
    }
}
