//! Extending a term, as the reglement's terms say.

use super::book::not_now;
use crate::domain::{procedure::Refusal, terms::TermRule};

/// Whether this term may be extended once more, as the reglement says (`verlenging` in
/// `policies/termijnen.toml`): at all, how often, and with every party's consent.
pub fn term_extension(rule: &TermRule, extensions: u32, parties_consent: bool) -> Result<(), Refusal> {
    let Some(allowed) = &rule.extension else {
        return Err(not_now(
            format!("the reglement allows no extension of the term '{}'", rule.label),
            format!(
                "Het reglement staat geen verlenging van de termijn '{}' toe.",
                rule.label
            ),
        ));
    };
    if extensions >= allowed.max {
        return Err(not_now(
            format!(
                "the term '{}' was already extended as often as the reglement allows ({})",
                rule.label, allowed.max
            ),
            format!(
                "De termijn '{}' is al zo vaak verlengd als het reglement toestaat ({}).",
                rule.label, allowed.max
            ),
        ));
    }
    if allowed.consent_of_parties && !parties_consent {
        return Err(not_now(
            "this extension needs the consent of every party (parties_consent)",
            "Voor deze verlenging is de instemming van alle partijen nodig.",
        ));
    }
    Ok(())
}
