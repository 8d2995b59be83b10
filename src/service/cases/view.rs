//! How a case leaves the service: the whole case ([`CaseView`]) for those who may see it, and
//! a line per case ([`CaseSummary`]) for lists.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::{
    access::{CLAIMANT, Loaded, kind_of},
    facts::{self, Facts},
    rulebook,
};
use crate::{
    domain::{
        OrganisationKind,
        dispute::{DisputeDomain, DisputeKind},
        nvo::Flag,
        procedure::{MediationOutcome, Phase, Stage},
        rules::Action,
    },
    error::{Error, Result},
    service::{Actor, App, organisations::OrganisationSummary},
    storage::entities::organisation,
};

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PersonView {
    pub id: Uuid,
    pub display_name: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SubmissionView {
    pub id: Uuid,
    /// `verweer`, `repliek`, `dupliek` or `herstel`.
    pub kind: String,
    pub statement: String,
    pub organisation: Option<Uuid>,
    pub submitted_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct HearingView {
    pub at: Option<DateTime<Utc>>,
    pub location: Option<String>,
    /// Recorded after the hearing.
    pub summary: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MediationView {
    pub outcome: Option<MediationOutcome>,
    /// The mediator's report of the outcome; for `overeenstemming`, the agreement.
    pub summary: Option<String>,
    /// The parties that released the mediation notes to the commission.
    pub notes_released_by: Vec<Uuid>,
    /// Whether every party has released them.
    pub notes_released: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RulingView {
    pub id: Uuid,
    pub outcome: String,
    pub nature: String,
    pub dictum: String,
    pub reasoning: String,
    pub cost_allocation: Option<String>,
    #[schema(value_type = String, format = Date)]
    pub adopted_on: NaiveDate,
    pub adopted_at: DateTime<Utc>,
    pub chair: PersonView,
    /// For a correction: the ruling it corrects.
    pub corrects: Option<Uuid>,
    pub correction_reason: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AgreementView {
    pub number: u8,
    pub text: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CaseView {
    pub id: Uuid,
    /// Readable and gap-free per year, e.g. `GS-2026-0001`.
    pub number: String,
    pub kind: DisputeKind,
    pub domain: DisputeDomain,
    pub title: String,
    pub summary: String,
    pub phase: Phase,
    /// Only while before the commission.
    pub stage: Option<Stage>,
    pub claimant: OrganisationSummary,
    pub respondents: Vec<OrganisationSummary>,
    pub chamber: String,
    /// The NvO agreements at stake for this kind of dispute.
    pub agreements: Vec<AgreementView>,
    pub facts: Option<Facts>,
    /// Facts that breach an NvO requirement.
    pub flags: Vec<Flag>,
    pub filed_by: PersonView,
    pub mediator: Option<PersonView>,
    pub chair: Option<PersonView>,
    pub members: Vec<PersonView>,
    pub mediation: MediationView,
    pub hearing: Option<HearingView>,
    pub submissions: Vec<SubmissionView>,
    /// The ruling and any corrections, oldest first.
    pub rulings: Vec<RulingView>,
    /// The case's terms, running first, each explaining its last day.
    pub terms: Vec<super::terms::TermView>,
    /// The earliest last day among the running terms (einddatumGepland).
    #[schema(value_type = Option<String>, format = Date)]
    pub target_date: Option<NaiveDate>,
    /// That term's last day with every extension still allowed (uiterlijkeEinddatumAfdoening).
    #[schema(value_type = Option<String>, format = Date)]
    pub fatal_date: Option<NaiveDate>,
    /// Whether the case is suspended now.
    pub suspended: bool,
    /// The suspension ledger, oldest first.
    pub suspensions: Vec<super::ledger::SuspensionView>,
    /// Why the case was closed (withdrawn, inadmissible, settled), or why completion was asked.
    pub closing_reason: Option<String>,
    /// The steps the caller may take now (`POST …/steps/{step}`).
    pub available_steps: Vec<String>,
    /// Every step and other action the caller may take now: the rule book's answer (see
    /// `beslecht rules`), the same list the web offers.
    pub available_actions: Vec<String>,
    /// The kinds of document the caller may add now, each with an audience allowed for it.
    pub document_choices: Vec<DocumentChoice>,
    /// Raised by every change; send it back as `version` to refuse acting on a stale copy.
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
}

/// A kind of document the caller may add, for an audience.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DocumentChoice {
    pub kind: &'static str,
    pub audience: &'static str,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CaseSummary {
    pub id: Uuid,
    pub number: String,
    pub kind: DisputeKind,
    pub domain: DisputeDomain,
    pub title: String,
    pub phase: Phase,
    pub stage: Option<Stage>,
    pub claimant: String,
    pub respondents: Vec<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

fn org_summary(orgs: &HashMap<i32, organisation::Model>, id: i32) -> Result<OrganisationSummary> {
    let o = orgs
        .get(&id)
        .ok_or_else(|| Error::internal("party without organisation"))?;
    Ok(OrganisationSummary {
        id: o.public_id,
        name: o.name.clone(),
        kind: OrganisationKind::parse(&o.kind).ok_or_else(|| Error::internal("unknown organisation kind"))?,
    })
}

/// The case as `actor` sees it now, from what was loaded with it: no further reads.
pub fn detail(app: &App, actor: &Actor, c: &Loaded) -> Result<CaseView> {
    let m = &c.case;
    let (kind, domain) = kind_of(m)?;
    let orgs = &c.organisations;
    let rulings = &c.rulings;
    let people = &c.people;
    let person = |id: i32| {
        people
            .get(&id)
            .map(|p| PersonView {
                id: p.public_id,
                display_name: p.display_name.clone(),
            })
            .ok_or_else(|| Error::internal("unknown user"))
    };
    let rules = app.reglement.kind(kind);
    let (facts, flags) = facts::judge(kind, m.facts.as_ref());
    let org_public = |id: i32| orgs.get(&id).map(|o| o.public_id);
    let ruling_public: HashMap<i32, Uuid> = rulings.iter().map(|r| (r.id, r.public_id)).collect();
    let actions = rulebook::available_actions(app, actor, c)?;
    let names = |steps_only: bool| {
        let mut names: Vec<String> = Vec::new();
        for a in actions.iter().filter(|a| !steps_only || matches!(a, Action::Step(_))) {
            if !names.iter().any(|n| n == a.name()) {
                names.push(a.name().to_owned());
            }
        }
        names
    };
    let terms = super::terms::views_of(app, &c.terms);
    let first_due = terms
        .iter()
        .filter(|t| t.status == super::terms::RUNNING)
        .min_by_key(|t| t.due_on);
    let suspensions = super::ledger::views_of(&c.suspensions);
    Ok(CaseView {
        target_date: first_due.map(|t| t.due_on),
        fatal_date: first_due.map(|t| t.fatal_on),
        terms,
        suspended: suspensions.iter().any(|s| s.until.is_none()),
        suspensions,
        id: m.public_id,
        number: m.number.clone(),
        kind,
        domain,
        title: m.title.clone(),
        summary: m.summary.clone(),
        phase: c.phase(),
        stage: c.state.stage,
        claimant: org_summary(orgs, m.claimant_id)?,
        respondents: c
            .parties
            .iter()
            .filter(|p| p.side != CLAIMANT)
            .map(|p| org_summary(orgs, p.organisation_id))
            .collect::<Result<_>>()?,
        chamber: rules.chamber.clone(),
        agreements: rules
            .agreements
            .iter()
            .map(|n| AgreementView {
                number: *n,
                text: app.reglement.agreements.get(n).cloned().unwrap_or_default(),
            })
            .collect(),
        facts,
        flags,
        filed_by: person(m.filed_by)?,
        mediator: m.mediator_id.map(person).transpose()?,
        chair: m.chair_id.map(person).transpose()?,
        members: c.members.iter().map(|id| person(*id)).collect::<Result<_>>()?,
        mediation: MediationView {
            outcome: m
                .mediation_outcome
                .as_deref()
                .map(|o| {
                    MediationOutcome::parse(o)
                        .ok_or_else(|| Error::internal(format!("case {}: unknown mediation outcome {o}", m.number)))
                })
                .transpose()?,
            summary: m.mediation_summary.clone(),
            notes_released_by: c
                .releases
                .iter()
                .filter_map(|r| org_public(r.organisation_id))
                .collect(),
            notes_released: c.notes_released(),
        },
        hearing: (m.hearing_at.is_some() || m.hearing_summary.is_some()).then(|| HearingView {
            at: m.hearing_at,
            location: m.hearing_location.clone(),
            summary: m.hearing_summary.clone(),
        }),
        submissions: c
            .submissions
            .iter()
            .map(|s| SubmissionView {
                id: s.public_id,
                kind: s.kind.clone(),
                statement: s.statement.clone(),
                organisation: s.organisation_id.and_then(org_public),
                submitted_at: s.submitted_at,
            })
            .collect(),
        rulings: rulings
            .iter()
            .map(|r| {
                Ok(RulingView {
                    id: r.public_id,
                    outcome: r.outcome.clone(),
                    nature: r.nature.clone(),
                    dictum: r.dictum.clone(),
                    reasoning: r.reasoning.clone(),
                    cost_allocation: r.cost_allocation.clone(),
                    adopted_on: r.adopted_on,
                    adopted_at: r.adopted_at,
                    chair: person(r.chair_id)?,
                    corrects: r.corrects_id.and_then(|id| ruling_public.get(&id).copied()),
                    correction_reason: r.correction_reason.clone(),
                })
            })
            .collect::<Result<_>>()?,
        closing_reason: m.closing_reason.clone(),
        available_steps: names(true),
        available_actions: names(false),
        document_choices: actions
            .iter()
            .filter_map(|a| match a {
                Action::AddDocument(kind, audience) => Some(DocumentChoice {
                    kind: kind.as_str(),
                    audience: audience.as_str(),
                }),
                _ => None,
            })
            .collect(),
        version: m.version,
        created_at: m.created_at,
        updated_at: m.updated_at,
        submitted_at: m.submitted_at,
        closed_at: m.closed_at,
    })
}
