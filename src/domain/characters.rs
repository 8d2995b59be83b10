//! Which characters text may hold. Control characters never reach storage (PostgreSQL refuses
//! a NUL in text, and a line break can forge a log line or a header); characters that change
//! how text is *shown* without being seen — the bidirectional overrides and the invisible
//! format characters — are refused where a reader relies on what a short text looks like
//! (names, titles, file names), because "rapport<U+202E>fdp.exe" displays as "rapportexe.pdf".

/// Where a text is used, which decides what it may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextUse {
    /// Anything read as it is and never shown: a password, a search term.
    Raw,
    /// Prose: line breaks and tabs, and the marks some scripts need (LRM/RLM, ZWJ/ZWNJ).
    Multiline,
    /// One line that identifies something: a name, a title, a place, a file name.
    Line,
}

/// A character that is never accepted: C0 and C1 controls and DEL, except the line breaks
/// and tab that prose may hold.
pub fn is_forbidden_control(c: char, use_: TextUse) -> bool {
    c.is_control() && !(use_ == TextUse::Multiline && matches!(c, '\n' | '\r' | '\t'))
}

/// The bidirectional embeddings, overrides and isolates: they reorder what follows them.
pub fn is_bidi_override(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Characters that take no space when shown: zero-width spaces and joiners, direction marks,
/// word joiners and invisible operators, the byte-order mark, the Mongolian vowel separator.
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{061C}' | '\u{180E}' | '\u{200B}'..='\u{200F}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}'
    )
}

/// Why `text` may not be used so, if it may not.
pub fn check(text: &str, use_: TextUse) -> Result<(), Refused> {
    for c in text.chars() {
        if is_forbidden_control(c, use_) {
            return Err(Refused::Control);
        }
        let misleading = match use_ {
            TextUse::Raw => false,
            TextUse::Multiline => is_bidi_override(c),
            TextUse::Line => is_bidi_override(c) || is_invisible(c),
        };
        if misleading {
            return Err(Refused::Misleading);
        }
    }
    Ok(())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    Control,
    Misleading,
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn each_use_refuses_what_it_must() {
        use TextUse::*;
        assert_eq!(check("a\u{0}b", Raw), Err(Refused::Control));
        assert_eq!(check("a\u{0}b", Multiline), Err(Refused::Control));
        assert_eq!(check("a\u{7f}", Line), Err(Refused::Control));
        assert_eq!(check("a\u{85}", Multiline), Err(Refused::Control));
        assert_eq!(check("regel\nregel\ttab", Multiline), Ok(()));
        assert_eq!(check("regel\nregel", Line), Err(Refused::Control));
        assert_eq!(check("rapport\u{202E}fdp.exe", Line), Err(Refused::Misleading));
        assert_eq!(check("rapport\u{202E}fdp.exe", Multiline), Err(Refused::Misleading));
        assert_eq!(check("rapport\u{202E}fdp.exe", Raw), Ok(()));
        assert_eq!(check("jan\u{200B}sen", Line), Err(Refused::Misleading));
        assert_eq!(check("مرحبا\u{200F} tekst", Multiline), Ok(()));
        assert_eq!(check("a\u{200F}b", Line), Err(Refused::Misleading));
        assert_eq!(
            check("Gemeente 's-Hertogenbosch — Zorg & Co (€ 1.250,50)", Line),
            Ok(())
        );
    }

    proptest! {
        #[test]
        fn what_passes_a_line_holds_no_control_or_format_character(s in "\\PC*|.*") {
            if check(&s, TextUse::Line).is_ok() {
                prop_assert!(s.chars().all(|c| !c.is_control() && !is_bidi_override(c) && !is_invisible(c)));
            }
        }

        #[test]
        fn the_uses_are_ordered_from_lenient_to_strict(s in ".*") {
            // A text fit for one line is fit for prose, and prose is fit to be read raw,
            // except for the line breaks that only prose may hold.
            if check(&s, TextUse::Line).is_ok() {
                prop_assert!(check(&s, TextUse::Multiline).is_ok());
            }
            if check(&s, TextUse::Multiline).is_ok() && !s.contains(['\n', '\r', '\t']) {
                prop_assert!(check(&s, TextUse::Raw).is_ok());
            }
        }
    }
}
