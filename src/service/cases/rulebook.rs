//! The service's side of the rule book: it describes a loaded case as the domain's
//! [`Situation`] and asks [`rules::may`]. Every per-case operation calls [`check`] (or, for a
//! step, [`step`]) before it changes or shows anything; nothing else decides.

use crate::{
    domain::{
        obligation::{self, OpenObligations},
        procedure::{CaseState, Phase, Step},
        rules::{self, Action, Situation},
    },
    error::{Error, Result},
    service::{Actor, App, now, today},
};

use super::access::{Loaded, kind_of, participant};

/// The case as the rule book sees it, at this moment.
pub fn situation(app: &App, c: &Loaded) -> Result<Situation> {
    let (kind, domain) = kind_of(&c.case)?;
    Ok(Situation {
        state: c.state,
        paths: app.reglement.paths(kind, domain),
        written_procedure: app.reglement.written_procedure,
        submitted: c.case.submitted_at.is_some(),
        suspended: c.suspended,
        notes_released: c.notes_released(),
        hearing_at: c.case.hearing_at,
        written_term_due: c.written_term_due,
        extendable_term: c.running_terms.iter().any(|(key, extensions)| {
            app.term_rules
                .get(key)
                .is_some_and(|r| i64::from(r.extensions_allowed()) > i64::from(*extensions))
        }),
        ruled: c.state.phase == Phase::Uitspraak,
        open_obligations: OpenObligations::of(
            c.terms
                .iter()
                .filter(|t| t.key == obligation::TERM_KEY && t.status == super::terms::RUNNING)
                .map(|t| t.who.as_str()),
        ),
        now: now(),
        today: today(),
    })
}

/// May `actor` do `action` in this case now: `Ok`, or the refusal (403 or 409) with its
/// reason in English and Dutch.
pub fn check(app: &App, actor: &Actor, c: &Loaded, action: Action) -> Result<()> {
    rules::may(&situation(app, c)?, &participant(actor, c), action).map_err(Error::Refused)
}

/// The state after `step`, or the refusal.
pub fn step(app: &App, actor: &Actor, c: &Loaded, step: Step) -> Result<CaseState> {
    rules::step(&situation(app, c)?, &participant(actor, c), step).map_err(Error::Refused)
}

/// The names of every action `actor` may take in this case now (`available_actions`).
pub fn available(app: &App, actor: &Actor, c: &Loaded) -> Result<Vec<String>> {
    Ok(rules::available_names(&situation(app, c)?, &participant(actor, c))
        .into_iter()
        .map(str::to_owned)
        .collect())
}

/// Every action, with its choices, `actor` may take now.
pub fn available_actions(app: &App, actor: &Actor, c: &Loaded) -> Result<Vec<Action>> {
    Ok(rules::available(&situation(app, c)?, &participant(actor, c)))
}
