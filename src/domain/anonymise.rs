//! Finding personal data in a ruling's text, for its public version: names of natural
//! persons (those the case knows, and any written after a title or initials), street
//! addresses and postcodes, dates of birth, BSNs (nine digits that pass the 11-proef), e-mail
//! addresses, telephone numbers and IBANs (that pass the mod-97 check). Organisations stay
//! named: a municipality or a provider is a party, not a person.
//!
//! Pure: text in, findings out. What is found is a proposal — the secretary reviews it,
//! undoes a finding or adds one ([`Rules`]) — but a BSN, an e-mail address or an IBAN is never
//! published ([`must_not_publish`]).

use std::{collections::BTreeMap, sync::LazyLock};

use regex::Regex;
use serde::{Deserialize, Serialize};

/// What kind of personal data a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Naam,
    Adres,
    Postcode,
    Geboortedatum,
    Bsn,
    Email,
    Telefoon,
    Iban,
}

impl Kind {
    /// What replaces it in the public text.
    pub fn replacement(self) -> &'static str {
        match self {
            Kind::Naam => "[naam]",
            Kind::Adres => "[adres]",
            Kind::Postcode => "[postcode]",
            Kind::Geboortedatum => "[geboortedatum]",
            Kind::Bsn => "[BSN]",
            Kind::Email => "[e-mailadres]",
            Kind::Telefoon => "[telefoonnummer]",
            Kind::Iban => "[IBAN]",
        }
    }

    /// Dutch words for the review page.
    pub fn nl(self) -> &'static str {
        match self {
            Kind::Naam => "naam",
            Kind::Adres => "adres",
            Kind::Postcode => "postcode",
            Kind::Geboortedatum => "geboortedatum",
            Kind::Bsn => "BSN",
            Kind::Email => "e-mailadres",
            Kind::Telefoon => "telefoonnummer",
            Kind::Iban => "IBAN",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        serde_json::from_value(serde_json::Value::String(s.to_owned())).ok()
    }
}

/// One piece of personal data found in a text: its place (byte offsets) and what it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub kind: Kind,
    pub start: usize,
    pub end: usize,
}

static EMAIL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}").unwrap());
static IBAN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\b").unwrap());
static PHONE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:\+31|0031|\b0)[\s-]?(?:\(0\)[\s-]?)?(?:\d[\s-]?){8}\d\b").unwrap());
static BSN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(?:\d{9}|\d{4}\.\d{2}\.\d{3}|\d{3}\.\d{3}\.\d{3})\b").unwrap());
const MONTHS: &str = "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december";
static BIRTH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)(?:geboren op|geboren|geboortedatum:?|geb\.)\s+(\d{{1,2}}[-/.]\d{{1,2}}[-/.]\d{{4}}|\d{{1,2}} (?:{MONTHS}) \d{{4}})"
    ))
    .unwrap()
});
static POSTCODE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\b[1-9]\d{3} ?[A-Z]{2}\b").unwrap());
static ADDRESS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b[A-Z][a-zà-ÿ]+(?:straat|laan|weg|plein|gracht|kade|singel|dijk|hof|steeg|pad|dreef|markt|park|baan|veld|dam|straatweg)\s+\d+(?:\s?[a-zA-Z]\b|-\d+)?").unwrap()
});
/// A surname as Dutch writes it: with its tussenvoegsels.
const SURNAME: &str =
    r"(?:(?:van der|van den|van de|van|de|der|den|ter|ten|in ?'t|op ?de) )?[A-Z][a-zà-ÿ]+(?:-[A-Z][a-zà-ÿ]+)?";
static TITLED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"\b(?i:de heer|mevrouw|mevr\.|mw\.|dhr\.|mr\.|dr\.|drs\.|ir\.|ing\.|prof\.) ((?:[A-Z]\.){{0,4}} ?(?:[A-Z][a-zà-ÿ]+ )?{SURNAME})"
    ))
    .unwrap()
});
static INITIALS: LazyLock<Regex> = LazyLock::new(|| Regex::new(&format!(r"\b(?:[A-Z]\.){{1,4}} ?{SURNAME}")).unwrap());

/// Whether nine digits pass the 11-proef for a BSN (and are not all zeros).
pub fn is_bsn(digits: &str) -> bool {
    let d: Vec<u32> = digits.chars().filter_map(|c| c.to_digit(10)).collect();
    if d.len() != 9 || d.iter().all(|&x| x == 0) {
        return false;
    }
    let sum: i64 = d[..8]
        .iter()
        .zip((2..=9).rev())
        .map(|(&x, w)| i64::from(x) * w)
        .sum::<i64>()
        - i64::from(d[8]);
    sum % 11 == 0
}

/// Whether an IBAN (spaces allowed) passes the mod-97 check.
pub fn is_iban(raw: &str) -> bool {
    let s: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
    if !(15..=34).contains(&s.len()) {
        return false;
    }
    let (head, tail) = s.split_at(4);
    let mut rem: u32 = 0;
    for c in tail.chars().chain(head.chars()) {
        let v = match c.to_digit(36) {
            Some(v) => v,
            None => return false,
        };
        for digit in v.to_string().chars() {
            rem = (rem * 10 + digit.to_digit(10).unwrap()) % 97;
        }
    }
    rem == 1
}

/// Every piece of personal data in `text`, in order, none overlapping (where two would, the
/// one found by the stricter rule — earlier in [`Kind`]'s checks below — wins). `known` are the
/// names of natural persons the case knows (users, contact persons): found wherever they are
/// written whole.
pub fn find(text: &str, known: &[String]) -> Vec<Finding> {
    let mut found: Vec<Finding> = Vec::new();
    let mut add = |kind: Kind, start: usize, end: usize| {
        if !found.iter().any(|f| f.start < end && start < f.end) {
            found.push(Finding { kind, start, end });
        }
    };
    for m in EMAIL.find_iter(text) {
        add(Kind::Email, m.start(), m.end());
    }
    for m in IBAN.find_iter(text).filter(|m| is_iban(m.as_str())) {
        add(Kind::Iban, m.start(), m.end());
    }
    for m in BSN.find_iter(text).filter(|m| is_bsn(m.as_str())) {
        add(Kind::Bsn, m.start(), m.end());
    }
    for m in PHONE.find_iter(text) {
        add(Kind::Telefoon, m.start(), m.end());
    }
    for c in BIRTH.captures_iter(text) {
        let m = c.get(1).expect("the date");
        add(Kind::Geboortedatum, m.start(), m.end());
    }
    for m in ADDRESS.find_iter(text) {
        add(Kind::Adres, m.start(), m.end());
    }
    for m in POSTCODE.find_iter(text) {
        add(Kind::Postcode, m.start(), m.end());
    }
    let mut names: Vec<&String> = known.iter().filter(|n| n.trim().chars().count() > 2).collect();
    // The longest first: "Jan de Vries" before "de Vries".
    names.sort_by_key(|n| std::cmp::Reverse(n.len()));
    for name in names {
        // A word boundary on each side that is a word character (a name may end in ")").
        let name = name.trim();
        let edge = |c: Option<char>| {
            if c.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                r"\b"
            } else {
                ""
            }
        };
        let pattern = format!(
            "{}{}{}",
            edge(name.chars().next()),
            regex::escape(name),
            edge(name.chars().last())
        );
        if let Ok(re) = Regex::new(&pattern) {
            for m in re.find_iter(text) {
                add(Kind::Naam, m.start(), m.end());
            }
        }
    }
    for c in TITLED.captures_iter(text) {
        let m = c.get(1).expect("the name");
        add(Kind::Naam, m.start(), m.end());
    }
    for m in INITIALS.find_iter(text) {
        add(Kind::Naam, m.start(), m.end());
    }
    found.sort_by_key(|f| f.start);
    found
}

/// The secretary's review, as rules over originals: what replaces each piece of text found
/// or added (`replace`), and what found text stays as written (`keep`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rules {
    /// Text the secretary added: replaced wherever it appears, by its replacement.
    #[serde(default)]
    pub add: BTreeMap<String, String>,
    /// Found text the secretary undid: kept as written.
    #[serde(default)]
    pub keep: Vec<String>,
}

/// One replacement in a text: where, what it was, what it becomes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Replacement {
    pub kind: Option<Kind>,
    pub start: usize,
    pub end: usize,
    pub original: String,
    pub replacement: String,
}

/// The replacements `rules` make in `text`: what [`find`] finds, less what is kept, with
/// what was added (an added text found again inside a finding is not counted twice).
pub fn replacements(text: &str, known: &[String], rules: &Rules) -> Vec<Replacement> {
    let mut out: Vec<Replacement> = find(text, known)
        .into_iter()
        .filter(|f| !rules.keep.iter().any(|k| k == &text[f.start..f.end]))
        .map(|f| Replacement {
            kind: Some(f.kind),
            start: f.start,
            end: f.end,
            original: text[f.start..f.end].to_owned(),
            replacement: f.kind.replacement().to_owned(),
        })
        .collect();
    for (original, replacement) in &rules.add {
        if original.trim().is_empty() {
            continue;
        }
        for (start, _) in text.match_indices(original.as_str()) {
            let end = start + original.len();
            if !out.iter().any(|r| r.start < end && start < r.end) {
                out.push(Replacement {
                    kind: None,
                    start,
                    end,
                    original: original.clone(),
                    replacement: replacement.clone(),
                });
            }
        }
    }
    out.sort_by_key(|r| r.start);
    out
}

/// `text` with `replacements` (in order, not overlapping) made.
pub fn apply(text: &str, replacements: &[Replacement]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for r in replacements {
        out.push_str(&text[at..r.start]);
        out.push_str(&r.replacement);
        at = r.end;
    }
    out.push_str(&text[at..]);
    out
}

/// What in a public text may never be published, whatever the review said: a BSN, an e-mail
/// address or an IBAN still in it.
pub fn must_not_publish(text: &str) -> Vec<Finding> {
    find(text, &[])
        .into_iter()
        .filter(|f| matches!(f.kind, Kind::Bsn | Kind::Email | Kind::Iban))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn kinds(text: &str, known: &[&str]) -> Vec<(Kind, String)> {
        let known: Vec<String> = known.iter().map(|s| s.to_string()).collect();
        find(text, &known)
            .into_iter()
            .map(|f| (f.kind, text[f.start..f.end].to_owned()))
            .collect()
    }

    #[test]
    fn the_11_proef() {
        assert!(is_bsn("111222333"));
        assert!(is_bsn("123456782"));
        assert!(!is_bsn("123456789"));
        assert!(!is_bsn("000000000"));
        assert!(!is_bsn("12345678"));
    }

    #[test]
    fn the_iban_check() {
        assert!(is_iban("NL91ABNA0417164300"));
        assert!(is_iban("NL91 ABNA 0417 1643 00"));
        assert!(!is_iban("NL92ABNA0417164300"));
        assert!(!is_iban("NL91"));
    }

    #[test]
    fn each_kind_is_found_in_a_seeded_text() {
        let text = "De moeder, mevrouw J. de Vries, geboren op 12-03-2011, woont aan de Kerkstraat 12a, \
                    6411 AB Heerlen. Haar BSN is 111222333, haar e-mail j.devries@example.nl, telefoon 06-12345678, \
                    rekening NL91 ABNA 0417 1643 00. Jan Jansen van de gemeente Heerlen belde. Het kind is geb. 3 mei 2012.";
        let got = kinds(text, &["Jan Jansen"]);
        let expect = [
            (Kind::Naam, "J. de Vries"),
            (Kind::Geboortedatum, "12-03-2011"),
            (Kind::Adres, "Kerkstraat 12a"),
            (Kind::Postcode, "6411 AB"),
            (Kind::Bsn, "111222333"),
            (Kind::Email, "j.devries@example.nl"),
            (Kind::Telefoon, "06-12345678"),
            (Kind::Iban, "NL91 ABNA 0417 1643 00"),
            (Kind::Naam, "Jan Jansen"),
            (Kind::Geboortedatum, "3 mei 2012"),
        ];
        assert_eq!(got, expect.map(|(k, s)| (k, s.to_owned())));
        // Organisations stay named.
        let public = apply(text, &replacements(text, &["Jan Jansen".into()], &Rules::default()));
        assert!(
            public.contains("gemeente Heerlen") && public.contains("Heerlen."),
            "{public}"
        );
        assert!(must_not_publish(&public).is_empty(), "{public}");
        for gone in [
            "de Vries",
            "111222333",
            "example.nl",
            "12345678",
            "0417",
            "Kerkstraat",
            "Jansen",
            "2011",
            "2012",
        ] {
            assert!(!public.contains(gone), "{gone}: {public}");
        }
    }

    #[test]
    fn numbers_that_are_not_personal_data_stay() {
        for text in [
            "Heerlen betaalt 12.500 euro binnen 6 weken.",
            "Het contract van 1 januari 2024 loopt 36 maanden.",
            "Zaak GS-2026-0001, artikel 7:904 BW.",
            "Het bedrag is 123456789 cent.", // nine digits that fail the 11-proef
            "De Gemeente Maastricht en Zorgaanbieder De Hoeve B.V.",
        ] {
            assert!(kinds(text, &[]).is_empty(), "{text}: {:?}", kinds(text, &[]));
        }
    }

    #[test]
    fn the_review_keeps_and_adds() {
        let text = "Mr. Visser van de gemeente en de heer Bakker spraken met Pietje.";
        let rules = Rules {
            add: [("Pietje".to_owned(), "[kind]".to_owned())].into(),
            keep: vec!["Bakker".to_owned()],
        };
        let public = apply(text, &replacements(text, &[], &rules));
        assert_eq!(
            public,
            "Mr. [naam] van de gemeente en de heer Bakker spraken met [kind]."
        );
        let public = apply(text, &replacements(text, &[], &Rules::default()));
        assert_eq!(
            public,
            "Mr. [naam] van de gemeente en de heer [naam] spraken met Pietje."
        );
    }

    #[test]
    fn a_known_name_is_found_whole_whatever_it_ends_in() {
        let text = "Getekend door Demo Commissielid (voorzitter) en Ans.";
        assert_eq!(
            kinds(text, &["Demo Commissielid (voorzitter)", "Ans"]),
            [
                (Kind::Naam, "Demo Commissielid (voorzitter)".to_owned()),
                (Kind::Naam, "Ans".to_owned()),
            ]
        );
        // Not inside another word.
        assert!(kinds("Ansichtkaart", &["Ans"]).is_empty());
    }

    #[test]
    fn a_bsn_or_e_mail_left_in_is_caught() {
        assert_eq!(must_not_publish("BSN 111222333").len(), 1);
        assert_eq!(must_not_publish("a@b.nl").len(), 1);
        assert!(must_not_publish("[BSN] en [e-mailadres]").is_empty());
    }

    proptest! {
        /// Whatever the text, a valid BSN or an e-mail address written in it is found and the
        /// public text holds none.
        #[test]
        fn no_bsn_or_e_mail_survives(prefix in "[a-zA-Z ,.]{0,40}", suffix in "[a-zA-Z ,.]{0,40}", n in 10_000_000u32..99_999_999u32, user in "[a-z]{1,10}") {
            // A BSN from eight digits: the ninth that makes the 11-proef pass, when there is one.
            let digits: Vec<u32> = format!("{n:08}").chars().map(|c| c.to_digit(10).unwrap()).collect();
            let sum: u32 = digits.iter().zip((2..=9).rev()).map(|(d, w)| d * w).sum();
            let last = sum % 11;
            prop_assume!(last < 10);
            let bsn = format!("{n:08}{last}");
            prop_assert!(is_bsn(&bsn));
            let text = format!("{prefix} {bsn} {suffix} {user}@voorbeeld.nl {suffix}");
            let public = apply(&text, &replacements(&text, &[], &Rules::default()));
            prop_assert!(!public.contains(&bsn), "{}", public);
            prop_assert!(!public.contains("@voorbeeld.nl"), "{}", public);
            prop_assert!(must_not_publish(&public).is_empty());
        }
    }
}
