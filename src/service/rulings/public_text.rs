//! The public text of a ruling: its template data with the secretary's rules applied to
//! every text in it (`domain::anonymise`), each replacement with the words around it for the
//! review, and the text the register shows.

use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

use crate::domain::anonymise::{self, Rules};

/// One replacement as the review shows it: where in the ruling, what it was, what it becomes,
/// and the words around it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReplacementView {
    /// The part of the ruling (`reasoning`, `dispute`, `chair`, …).
    pub field: String,
    /// `naam`, `adres`, `postcode`, `geboortedatum`, `bsn`, `email`, `telefoon`, `iban`; none
    /// for one the secretary added.
    pub kind: Option<anonymise::Kind>,
    pub original: String,
    pub replacement: String,
    /// The text around it (up to 40 characters either side), as written.
    pub before: String,
    pub after: String,
}

/// The template data with the rules applied to every text in it, and what was replaced.
pub(super) fn anonymised(data: &Value, known: &[String], rules: &Rules) -> (Value, Vec<ReplacementView>) {
    let mut views = Vec::new();
    let mut out = data.clone();
    walk(&mut out, "", known, rules, &mut views);
    (out, views)
}

fn walk(v: &mut Value, field: &str, known: &[String], rules: &Rules, views: &mut Vec<ReplacementView>) {
    match v {
        Value::String(s) => {
            let found = anonymise::replacements(s, known, rules);
            for r in &found {
                views.push(ReplacementView {
                    field: field.to_owned(),
                    kind: r.kind,
                    original: r.original.clone(),
                    replacement: r.replacement.clone(),
                    before: around(s, r.start.saturating_sub(40), r.start),
                    after: around(s, r.end, (r.end + 40).min(s.len())),
                });
            }
            *s = anonymise::apply(s, &found);
        }
        Value::Array(items) => items.iter_mut().for_each(|i| walk(i, field, known, rules, views)),
        Value::Object(map) => {
            for (k, item) in map.iter_mut() {
                // The case number and the procedure's dates name nobody.
                if matches!(k.as_str(), "number" | "version") {
                    continue;
                }
                let name = if field.is_empty() { k.clone() } else { field.to_owned() };
                walk(item, &name, known, rules, views);
            }
        }
        _ => {}
    }
}

/// `s[from..to]`, widened to character boundaries.
fn around(s: &str, mut from: usize, mut to: usize) -> String {
    while !s.is_char_boundary(from) {
        from -= 1;
    }
    while to < s.len() && !s.is_char_boundary(to) {
        to += 1;
    }
    s[from..to].to_owned()
}

/// The public text: the ruling's parts under their headings, as the register shows it.
pub fn plain_text(d: &Value) -> String {
    let s = |k: &str| d[k].as_str().unwrap_or_default().to_owned();
    let list = |k: &str| {
        d[k].as_array()
            .map(|a| a.iter().filter_map(|p| p.as_str()).collect::<Vec<_>>().join("\n\n"))
            .unwrap_or_default()
    };
    let mut out = vec![
        s("title"),
        format!(
            "Zaaknummer: {}\nDatum: {}\nAard: {}\nUitkomst: {}",
            s("number"),
            s("date"),
            s("nature"),
            s("outcome")
        ),
    ];
    let respondents = d["respondents"]
        .as_array()
        .map(|a| a.iter().filter_map(|p| p.as_str()).collect::<Vec<_>>().join(", "))
        .unwrap_or_default();
    out.push(format!(
        "De partijen\n\nVerzoeker: {}\nVerweerder: {respondents}",
        s("claimant")
    ));
    for (heading, key) in [
        ("De feiten", "facts"),
        ("Het geschil", "dispute"),
        ("De beoordeling", "reasoning"),
        ("De beslissing", "dictum"),
        ("De kosten", "costs"),
    ] {
        let body = list(key);
        if !body.is_empty() {
            out.push(format!("{heading}\n\n{body}"));
        }
    }
    out.join("\n\n")
}
