//! What a case holds beyond its data, in Dutch for its page: the parties' written
//! submissions, the mediation's outcome, the hearing, and the ruling with any corrections.

use super::{
    nl,
    step_forms::{MEDIATION, NATURES, OUTCOMES, label_of},
};
use crate::{
    domain::nvo::nl_date,
    service::cases::{ruling_draft::DraftView, view::CaseView},
};

pub struct SubmissionRow {
    pub kind: &'static str,
    pub at: String,
    pub statement: String,
}

pub struct RulingRow {
    pub outcome: String,
    pub nature: String,
    pub adopted: String,
    pub chair: String,
    pub dictum: String,
    pub reasoning: String,
    pub costs: Option<String>,
    /// For a correction: why the earlier ruling was corrected.
    pub correction: Option<String>,
}

/// The chair's draft, as the commission reads it.
pub struct DraftRow {
    pub saved: String,
    pub outcome: String,
    pub dictum: String,
    pub reasoning: String,
}

pub fn draft_row(d: &DraftView) -> DraftRow {
    let label = |opts, v: &Option<String>| v.as_deref().map_or("nog open", |v| label_of(opts, v)).to_owned();
    DraftRow {
        saved: format!("{}, {}", nl::moment(&d.updated_at), d.updated_by.display_name),
        outcome: format!(
            "{}; {}",
            label(OUTCOMES, &d.outcome),
            label(NATURES, &d.nature).to_lowercase()
        ),
        dictum: d.dictum.clone(),
        reasoning: d.reasoning.clone(),
    }
}

pub struct Record {
    pub submissions: Vec<SubmissionRow>,
    /// (outcome, the mediator's report)
    pub mediation: Option<(String, Option<String>)>,
    /// (when, where, the record of the hearing)
    pub hearing: Option<(String, String, Option<String>)>,
    pub rulings: Vec<RulingRow>,
}

fn submission_kind(code: &str) -> &'static str {
    match code {
        "verweer" => "Verweerschrift",
        "repliek" => "Repliek",
        "dupliek" => "Dupliek",
        "herstel" => "Aanvulling",
        _ => "Processtuk",
    }
}

pub fn record_of(case: &CaseView) -> Record {
    let mediation = case.mediation.outcome.map(|o| {
        let code = serde_json::to_value(o)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        (label_of(MEDIATION, &code).to_owned(), case.mediation.summary.clone())
    });
    let hearing = case.hearing.as_ref().and_then(|h| {
        Some((
            nl::moment(h.at.as_ref()?),
            h.location.clone().unwrap_or_default(),
            h.summary.clone(),
        ))
    });
    Record {
        submissions: case
            .submissions
            .iter()
            .map(|s| SubmissionRow {
                kind: submission_kind(&s.kind),
                at: nl::moment(&s.submitted_at),
                statement: s.statement.clone(),
            })
            .collect(),
        mediation,
        hearing,
        rulings: case
            .rulings
            .iter()
            .map(|r| RulingRow {
                outcome: label_of(OUTCOMES, &r.outcome).to_owned(),
                nature: label_of(NATURES, &r.nature).to_owned(),
                adopted: nl_date(r.adopted_on),
                chair: r.chair.display_name.clone(),
                dictum: r.dictum.clone(),
                reasoning: r.reasoning.clone(),
                costs: r.cost_allocation.clone(),
                correction: r.corrects.map(|_| r.correction_reason.clone().unwrap_or_default()),
            })
            .collect(),
    }
}
