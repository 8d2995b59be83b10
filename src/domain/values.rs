//! Small value types that can only be built valid (`parse` returns `Result`).
//!
//! Each rejection is an [`Invalid`] that the API renders in English and the web app in Dutch.

use std::fmt;

use super::characters::{self, Refused, TextUse};

/// Why a value was refused. Rendered per audience: `Display` (API) and [`Invalid::nl`] (UI).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Invalid {
    Empty,
    TooShort {
        min: usize,
    },
    TooLong {
        max: usize,
    },
    ControlCharacters,
    /// Bidirectional overrides or invisible characters where a reader relies on what the
    /// text looks like.
    MisleadingCharacters,
    Pattern {
        expected: &'static str,
    },
}

impl fmt::Display for Invalid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Invalid::Empty => write!(f, "must not be empty"),
            Invalid::TooShort { min } => write!(f, "must be at least {min} characters"),
            Invalid::TooLong { max } => write!(f, "must be at most {max} characters"),
            Invalid::ControlCharacters => write!(f, "must not contain control characters"),
            Invalid::MisleadingCharacters => write!(
                f,
                "must not contain invisible characters or characters that reverse the reading direction"
            ),
            Invalid::Pattern { expected } => write!(f, "must be {expected}"),
        }
    }
}

impl From<Refused> for Invalid {
    fn from(r: Refused) -> Self {
        match r {
            Refused::Control => Invalid::ControlCharacters,
            Refused::Misleading => Invalid::MisleadingCharacters,
        }
    }
}

impl Invalid {
    /// The same reason in plain Dutch, for the web application.
    pub fn nl(&self) -> String {
        match self {
            Invalid::Empty => "Vul dit veld in.".into(),
            Invalid::TooShort { min } => format!("Gebruik minstens {min} tekens."),
            Invalid::TooLong { max } => format!("Gebruik hoogstens {max} tekens."),
            Invalid::ControlCharacters => "Dit veld bevat tekens die niet zijn toegestaan.".into(),
            Invalid::MisleadingCharacters => {
                "Dit veld bevat onzichtbare tekens of tekens die de leesrichting omdraaien. Typ de tekst opnieuw zonder te plakken.".into()
            }
            Invalid::Pattern { expected } => format!("Dit heeft niet de juiste vorm ({expected})."),
        }
    }
}

/// Trimmed, non-empty, printable text of bounded length; `multiline` text may also hold line
/// breaks and tabs.
fn text(raw: &str, max: usize, multiline: bool) -> Result<String, Invalid> {
    let t = raw.trim();
    if t.is_empty() {
        return Err(Invalid::Empty);
    }
    if t.chars().count() > max {
        return Err(Invalid::TooLong { max });
    }
    let use_ = if multiline { TextUse::Multiline } else { TextUse::Line };
    characters::check(t, use_)?;
    Ok(t.to_owned())
}

macro_rules! text_type {
    ($(#[$doc:meta])* $name:ident, $max:expr) => {
        text_type!($(#[$doc])* $name, $max, false);
    };
    ($(#[$doc:meta])* $name:ident, $max:expr, $multiline:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct $name(String);
        impl $name {
            pub const MAX: usize = $max;
            pub fn parse(raw: &str) -> Result<Self, Invalid> {
                text(raw, Self::MAX, $multiline).map(Self)
            }
            pub fn as_str(&self) -> &str {
                &self.0
            }
            pub fn into_inner(self) -> String {
                self.0
            }
        }
    };
}

text_type!(
    /// The name of an organisation, e.g. "Gemeente Maastricht".
    OrganisationName,
    200
);
text_type!(
    /// A person's name as shown to others.
    DisplayName,
    200
);
text_type!(
    /// A case's title: one line, as in a list.
    CaseTitle,
    200
);
text_type!(
    /// A place, e.g. where a hearing is held.
    Location,
    200
);
text_type!(
    /// A short explanation (toelichting), e.g. why a case is withdrawn.
    Reason,
    2_000,
    true
);
text_type!(
    /// A written piece: a summary, a statement, a dictum, a reasoning, a message.
    Prose,
    50_000,
    true
);

/// A login name: 3–64 characters of lowercase letters, digits, `.`, `-`, `_`, `@`.
/// Stored lowercased so that `Demo-Gemeente` and `demo-gemeente` are one account.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Username(String);

impl Username {
    pub const MIN: usize = 3;
    pub const MAX: usize = 64;
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let u = raw.trim().to_lowercase();
        if u.is_empty() {
            return Err(Invalid::Empty);
        }
        if u.chars().count() < Self::MIN {
            return Err(Invalid::TooShort { min: Self::MIN });
        }
        if u.chars().count() > Self::MAX {
            return Err(Invalid::TooLong { max: Self::MAX });
        }
        let ok = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || ".-_@".contains(c);
        if !u.chars().all(ok) {
            return Err(Invalid::Pattern {
                expected: "lowercase letters, digits, '.', '-', '_' or '@'",
            });
        }
        Ok(Self(u))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A new password. Length rules follow NIST SP 800-63B: at least 12 characters, at most 256
/// (a bound that keeps hashing cost fixed); every character allowed, nothing else imposed.
/// Never printed: `Debug` shows a placeholder.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

impl Password {
    pub const MIN: usize = 12;
    pub const MAX: usize = 256;
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let n = raw.chars().count();
        if n == 0 {
            return Err(Invalid::Empty);
        }
        if n < Self::MIN {
            return Err(Invalid::TooShort { min: Self::MIN });
        }
        if n > Self::MAX {
            return Err(Invalid::TooLong { max: Self::MAX });
        }
        characters::check(raw, TextUse::Raw)?;
        Ok(Self(raw.to_owned()))
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(***)")
    }
}

/// A CBS municipality code, `GM` followed by four digits (e.g. `GM0935` for Maastricht).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CbsCode(String);

impl CbsCode {
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let c = raw.trim().to_uppercase();
        let ok = c.len() == 6 && c.starts_with("GM") && c[2..].chars().all(|ch| ch.is_ascii_digit());
        if ok {
            Ok(Self(c))
        } else {
            Err(Invalid::Pattern {
                expected: "'GM' followed by four digits",
            })
        }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An e-mail address, checked only for shape: one `@`, no spaces, at most 254 characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let e = text(raw, 254, false)?;
        let mut parts = e.split('@');
        let ok = matches!((parts.next(), parts.next(), parts.next()),
            (Some(l), Some(d), None) if !l.is_empty() && d.contains('.') && !d.starts_with('.') && !d.ends_with('.'))
            && !e.chars().any(char::is_whitespace);
        if ok {
            Ok(Self(e))
        } else {
            Err(Invalid::Pattern {
                expected: "an e-mail address",
            })
        }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames() {
        assert_eq!(Username::parse(" Demo-Gemeente ").unwrap().as_str(), "demo-gemeente");
        assert_eq!(Username::parse(""), Err(Invalid::Empty));
        assert_eq!(Username::parse("ab"), Err(Invalid::TooShort { min: 3 }));
        assert!(matches!(Username::parse(&"a".repeat(65)), Err(Invalid::TooLong { .. })));
        assert!(matches!(Username::parse("jan jansen"), Err(Invalid::Pattern { .. })));
        assert!(matches!(Username::parse("jän"), Err(Invalid::Pattern { .. })));
        assert!(Username::parse("j.jansen@maastricht.nl").is_ok());
    }

    #[test]
    fn passwords_are_bounded_and_never_printed() {
        assert_eq!(Password::parse(""), Err(Invalid::Empty));
        assert_eq!(Password::parse("kort"), Err(Invalid::TooShort { min: 12 }));
        assert!(Password::parse(&"x".repeat(257)).is_err());
        let p = Password::parse("correct horse battery").unwrap();
        assert_eq!(format!("{p:?}"), "Password(***)");
        assert_eq!(p.expose(), "correct horse battery");
        // Length counts characters, not bytes.
        assert!(Password::parse("ééééééééééé").is_err());
        assert!(Password::parse("éééééééééééé").is_ok());
    }

    #[test]
    fn texts_are_trimmed_and_printable() {
        assert_eq!(
            OrganisationName::parse("  Gemeente Vaals ").unwrap().as_str(),
            "Gemeente Vaals"
        );
        assert_eq!(OrganisationName::parse("   "), Err(Invalid::Empty));
        assert_eq!(OrganisationName::parse("a\u{0}b"), Err(Invalid::ControlCharacters));
        assert_eq!(
            CaseTitle::parse("Geschil \u{202E}gnidnaeb"),
            Err(Invalid::MisleadingCharacters)
        );
        assert_eq!(Prose::parse("a\u{202E}b"), Err(Invalid::MisleadingCharacters));
        assert!(Prose::parse("regel één\nregel twee").is_ok());
        assert!(OrganisationName::parse(&"a".repeat(201)).is_err());
        assert!(OrganisationName::parse(&"a".repeat(200)).is_ok());
        assert!(DisplayName::parse("Stef van Ool").is_ok());
    }

    #[test]
    fn cbs_codes() {
        assert_eq!(CbsCode::parse("gm0935").unwrap().as_str(), "GM0935");
        for bad in ["", "GM935", "GM09355", "XX0935", "GM09a5"] {
            assert!(CbsCode::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn emails() {
        assert!(Email::parse("stef.van.ool@maastricht.nl").is_ok());
        for bad in ["", "a", "a@b", "@maastricht.nl", "a@@b.nl", "a b@c.nl", "a@.nl"] {
            assert!(Email::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn messages_exist_in_both_languages() {
        let all = [
            Invalid::Empty,
            Invalid::TooShort { min: 3 },
            Invalid::TooLong { max: 9 },
            Invalid::ControlCharacters,
            Invalid::MisleadingCharacters,
            Invalid::Pattern { expected: "x" },
        ];
        for i in all {
            assert!(!i.to_string().is_empty());
            assert!(!i.nl().is_empty());
        }
    }
}
