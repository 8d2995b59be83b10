//! Phases of a case (the `phase` of the API) and the stages within the commission phase.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// Being written by the filer; only they see it.
    Concept,
    /// Filed; the secretary decides on admissibility.
    Ingediend,
    /// The secretary asked the claimant to complete the filing.
    HerstelVerzuim,
    /// Declared inadmissible (closed).
    NietOntvankelijk,
    /// Mediation by the OZJ.
    Bemiddeling,
    /// Mediation ended without full agreement; a party may escalate to the commission.
    BemiddelingBeeindigd,
    /// Before the commission; see [`Stage`].
    Commissie,
    /// The commission's ruling was adopted (closed).
    Uitspraak,
    /// Withdrawn by the claimant (closed).
    Ingetrokken,
    /// Settled (closed).
    Geschikt,
}

impl Phase {
    pub const ALL: [Phase; 10] = [
        Phase::Concept,
        Phase::Ingediend,
        Phase::HerstelVerzuim,
        Phase::NietOntvankelijk,
        Phase::Bemiddeling,
        Phase::BemiddelingBeeindigd,
        Phase::Commissie,
        Phase::Uitspraak,
        Phase::Ingetrokken,
        Phase::Geschikt,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Concept => "concept",
            Phase::Ingediend => "ingediend",
            Phase::HerstelVerzuim => "herstel_verzuim",
            Phase::NietOntvankelijk => "niet_ontvankelijk",
            Phase::Bemiddeling => "bemiddeling",
            Phase::BemiddelingBeeindigd => "bemiddeling_beeindigd",
            Phase::Commissie => "commissie",
            Phase::Uitspraak => "uitspraak",
            Phase::Ingetrokken => "ingetrokken",
            Phase::Geschikt => "geschikt",
        }
    }

    pub fn parse(s: &str) -> Option<Phase> {
        Phase::ALL.into_iter().find(|p| p.as_str() == s)
    }

    /// Closed phases end the procedure: no step is possible any more.
    pub fn is_closed(self) -> bool {
        matches!(
            self,
            Phase::NietOntvankelijk | Phase::Uitspraak | Phase::Ingetrokken | Phase::Geschikt
        )
    }

    /// In Dutch, for people.
    pub fn nl(self) -> &'static str {
        match self {
            Phase::Concept => "concept",
            Phase::Ingediend => "ingediend",
            Phase::HerstelVerzuim => "herstel verzuim",
            Phase::NietOntvankelijk => "niet-ontvankelijk",
            Phase::Bemiddeling => "bemiddeling",
            Phase::BemiddelingBeeindigd => "bemiddeling beëindigd",
            Phase::Commissie => "bij de commissie",
            Phase::Uitspraak => "uitspraak gedaan",
            Phase::Ingetrokken => "ingetrokken",
            Phase::Geschikt => "geschikt",
        }
    }
}

/// Where a case before the commission stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// Waiting for the respondent's defence (verweerschrift).
    Verweer,
    /// Defence received; the claimant may reply.
    Repliek,
    /// Reply received; the respondent may rejoin.
    Dupliek,
    /// The written round is closed; the hearing is to be scheduled.
    ZittingVoorbereiding,
    /// The hearing is scheduled.
    Zitting,
    /// The hearing was held; the commission deliberates and the chair adopts the ruling.
    Beraadslaging,
}

impl Stage {
    pub const ALL: [Stage; 6] = [
        Stage::Verweer,
        Stage::Repliek,
        Stage::Dupliek,
        Stage::ZittingVoorbereiding,
        Stage::Zitting,
        Stage::Beraadslaging,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Verweer => "verweer",
            Stage::Repliek => "repliek",
            Stage::Dupliek => "dupliek",
            Stage::ZittingVoorbereiding => "zitting_voorbereiding",
            Stage::Zitting => "zitting",
            Stage::Beraadslaging => "beraadslaging",
        }
    }

    pub fn parse(s: &str) -> Option<Stage> {
        Stage::ALL.into_iter().find(|p| p.as_str() == s)
    }
}
