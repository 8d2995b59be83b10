//! Words for people: how the web pages say in Dutch what the service names in codes.

use chrono::{DateTime, Utc};

use crate::domain::{
    documents::{Audience, DocumentKind},
    procedure::Step,
};

/// A moment as people in the Netherlands read it: 12-03-2026 14:05.
pub fn moment(at: &DateTime<Utc>) -> String {
    at.with_timezone(&chrono_tz::Europe::Amsterdam)
        .format("%d-%m-%Y %H:%M")
        .to_string()
}

/// Who must act on a term.
pub fn who(code: &str) -> &'static str {
    match code {
        "secretaris" => "De secretaris",
        "verzoeker" => "De verzoeker",
        "verweerder" => "De verweerder",
        "partijen" => "De partijen",
        "bemiddelaar" => "De bemiddelaar",
        "voorzitter" => "De voorzitter",
        _ => "Onbekend",
    }
}

pub fn term_status(code: &str) -> &'static str {
    match code {
        "running" => "Loopt",
        "met" => "Op tijd",
        "late" => "Te laat",
        "lapsed" => "Vervallen",
        "unused" => "Niet benut",
        "waived" => "Afgezien",
        _ => "Onbekend",
    }
}

/// What an entry of the audit trail says happened.
pub fn action(code: &str) -> String {
    if let Some(step) = code.strip_prefix("step.") {
        let nl = Step::ALL.iter().find(|s| s.name() == step).map_or(step, |s| s.nl());
        return format!("Stap gezet: {nl}");
    }
    match code {
        "case.create" => "Geschil aangemaakt als concept",
        "case.edit" => "Concept gewijzigd",
        "case.suspend" => "Termijnen opgeschort",
        "case.resume" => "Opschorting beëindigd",
        "term.extend" => "Termijn verlengd",
        "mediation.session" => "Bemiddelingsgesprek vastgelegd",
        "mediation.release" => "Aantekeningen van de bemiddeling vrijgegeven",
        "message.send" => "Bericht verstuurd",
        "ruling.correct" => "Uitspraak verbeterd",
        "document.upload" => "Stuk toegevoegd",
        "document.withdraw" => "Stuk ingetrokken",
        "document.refused" => "Stuk geweigerd: er is malware in gevonden",
        other => return format!("Wijziging ({other})"),
    }
    .to_owned()
}

pub fn document_kind(code: &str) -> &'static str {
    match DocumentKind::parse(code) {
        Some(DocumentKind::Verzoekschrift) => "Verzoekschrift",
        Some(DocumentKind::Verweerschrift) => "Verweerschrift",
        Some(DocumentKind::Repliek) => "Repliek",
        Some(DocumentKind::Dupliek) => "Dupliek",
        Some(DocumentKind::Bewijsstuk) => "Bewijsstuk",
        Some(DocumentKind::Bemiddelingsverslag) => "Bemiddelingsverslag",
        Some(DocumentKind::ProcesVerbaal) => "Proces-verbaal van de zitting",
        Some(DocumentKind::Uitspraak) => "Uitspraak",
        Some(DocumentKind::GeanonimiseerdeUitspraak) => "Geanonimiseerde uitspraak",
        None => "Stuk",
    }
}

pub fn audience(code: &str) -> &'static str {
    match Audience::parse(code) {
        Some(Audience::Partijen) => "Partijen en commissie",
        Some(Audience::Commissie) => "Alleen de commissie",
        Some(Audience::Bemiddeling) => "De bemiddeling",
        None => "Onbekend",
    }
}

/// A file size for people: 1,2 MB.
pub fn size(bytes: i64) -> String {
    let b = bytes as f64;
    if b < 1024.0 {
        format!("{bytes} bytes")
    } else if b < 1024.0 * 1024.0 {
        format!("{:.0} kB", b / 1024.0)
    } else {
        format!("{:.1} MB", b / 1024.0 / 1024.0).replace('.', ",")
    }
}

pub fn role(r: crate::domain::Role) -> &'static str {
    use crate::domain::Role::*;
    match r {
        Gemeente => "Gemeente",
        Regio => "Regio",
        Aanbieder => "Zorgaanbieder",
        Secretaris => "Secretaris",
        Bemiddelaar => "Bemiddelaar",
        Commissielid => "Commissielid",
        Beheerder => "Beheerder",
    }
}

pub fn organisation_kind(k: crate::domain::OrganisationKind) -> &'static str {
    use crate::domain::OrganisationKind::*;
    match k {
        Gemeente => "Gemeente",
        Jeugdregio => "Jeugdregio",
        BwmoRegio => "Regio beschermd wonen en opvang",
        Subregio => "Subregio",
        Aanbieder => "Zorgaanbieder",
        Gi => "Gecertificeerde instelling",
        Commissie => "Commissie",
        Ozj => "Ondersteuningsteam Zorg voor de Jeugd",
    }
}

/// For a step that cannot be undone: what will happen, and what can no longer be changed
/// afterwards — said on its confirmation page. Filing has a check page of its own.
pub fn consequences(step: crate::domain::procedure::Step) -> Option<(&'static str, &'static str)> {
    use crate::domain::procedure::Step as S;
    Some(match step {
        S::DeclareInadmissible => (
            "Het geschil wordt niet-ontvankelijk verklaard en gesloten. Alle lopende termijnen vervallen en de partijen krijgen bericht.",
            "Het geschil wordt daarna niet meer behandeld; de beslissing kan niet worden teruggedraaid.",
        ),
        S::RecordMediationOutcome(_) => (
            "De uitkomst van de bemiddeling wordt vastgelegd. Bij volledige overeenstemming is het geschil geschikt en gesloten; anders kan een partij het geschil aan de commissie voorleggen.",
            "De uitkomst en het verslag kunnen daarna niet meer worden gewijzigd, en er worden geen gesprekken meer vastgelegd.",
        ),
        S::Escalate => (
            "Het geschil gaat naar de commissie. De verwerende partij krijgt een termijn voor het verweerschrift.",
            "De bemiddeling is daarmee definitief afgesloten.",
        ),
        S::SubmitDefence => (
            "Uw verweer gaat naar de commissie en de andere partij. De termijn voor de repliek gaat lopen.",
            "Het verweer kan daarna niet meer worden gewijzigd; aanvullen kan alleen met een nieuw stuk.",
        ),
        S::SubmitReply => (
            "Uw repliek gaat naar de commissie en de andere partij. De termijn voor de dupliek gaat lopen.",
            "De repliek kan daarna niet meer worden gewijzigd.",
        ),
        S::SubmitRejoinder => (
            "Uw dupliek gaat naar de commissie en de andere partij. De schriftelijke ronde is daarmee gesloten.",
            "De dupliek kan daarna niet meer worden gewijzigd.",
        ),
        S::WaiveReply => (
            "U ziet af van de repliek. De schriftelijke ronde wordt gesloten; de secretaris plant daarna de zitting.",
            "U kunt daarna geen repliek meer indienen.",
        ),
        S::WaiveRejoinder => (
            "U ziet af van de dupliek. De schriftelijke ronde wordt gesloten; de secretaris plant daarna de zitting.",
            "U kunt daarna geen dupliek meer indienen.",
        ),
        S::DecideWithoutHearing => (
            "De commissie beslist zonder zitting. De voorzitter kan daarna de uitspraak vaststellen.",
            "Er wordt daarna geen zitting meer gepland.",
        ),
        S::RecordHearing => (
            "Het verslag van de zitting wordt vastgelegd en de commissie gaat beraadslagen.",
            "Het verslag kan daarna niet meer worden gewijzigd, en de zitting niet meer worden verplaatst.",
        ),
        S::AdoptRuling => (
            "De uitspraak wordt vastgesteld en het geschil gesloten. De partijen zien de uitspraak meteen.",
            "Een vastgestelde uitspraak verandert nooit meer; een kennelijke fout kan alleen met een verbetering worden hersteld.",
        ),
        S::Withdraw => (
            "U trekt het geschil in. Het wordt gesloten en alle lopende termijnen vervallen.",
            "Een ingetrokken geschil kan niet worden heropend.",
        ),
        S::Settle => (
            "De schikking wordt vastgelegd. Het geschil wordt gesloten en alle lopende termijnen vervallen.",
            "Een geschikt geschil kan niet worden heropend.",
        ),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_step_and_change_has_words() {
        for s in Step::ALL {
            assert!(!action(&format!("step.{}", s.name())).contains('('), "{}", s.name());
        }
        assert_eq!(action("document.upload"), "Stuk toegevoegd");
        assert_eq!(size(1_300_000), "1,2 MB");
        assert_eq!(size(2048), "2 kB");
    }
}
