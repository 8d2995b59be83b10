//! What a document is (its kind), how confidential (the ordered ZGW scale), and who may see it.

macro_rules! labels {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name { $($(#[$vdoc])* $variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub const NAMES: &'static [&'static str] = &[$($text),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            pub fn parse(raw: &str) -> Option<Self> {
                match raw { $($text => Some($name::$variant),)+ _ => None }
            }
        }
    };
}

labels!(
    /// The kinds of document in a case (domain.md §7; api.md names them).
    DocumentKind {
        Verzoekschrift = "verzoekschrift",
        Verweerschrift = "verweerschrift",
        Repliek = "repliek",
        Dupliek = "dupliek",
        Bewijsstuk = "bewijsstuk",
        Bemiddelingsverslag = "bemiddelingsverslag",
        ProcesVerbaal = "proces_verbaal",
        Uitspraak = "uitspraak",
        GeanonimiseerdeUitspraak = "geanonimiseerde_uitspraak",
    }
);

labels!(
    /// Confidentiality, ordered as in the ZGW standard: each level is stricter than the one
    /// before, so `Ord` compares them.
    Confidentiality {
        Openbaar = "openbaar",
        BeperktOpenbaar = "beperkt_openbaar",
        Intern = "intern",
        Zaakvertrouwelijk = "zaakvertrouwelijk",
        Vertrouwelijk = "vertrouwelijk",
        Confidentieel = "confidentieel",
        Geheim = "geheim",
        ZeerGeheim = "zeer_geheim",
    }
);

labels!(
    /// Who may see a document besides the organisation that submitted it.
    Audience {
        /// Every party and the commission (and the mediator, where there is one).
        Partijen = "partijen",
        /// The commission only (its secretary and the members on the case).
        Commissie = "commissie",
        /// The mediation: the mediator and the parties; the commission only once every
        /// party has released the mediation.
        Bemiddeling = "bemiddeling",
    }
);

impl DocumentKind {
    /// Documents of these kinds are the commission's own and come from the secretary.
    pub fn is_commission_document(self) -> bool {
        matches!(
            self,
            DocumentKind::ProcesVerbaal | DocumentKind::Uitspraak | DocumentKind::GeanonimiseerdeUitspraak
        )
    }
}

impl Confidentiality {
    /// Evidence in these disputes often holds children's data: unless told otherwise, a
    /// document is confidential to the case.
    pub const DEFAULT: Confidentiality = Confidentiality::Zaakvertrouwelijk;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_label_round_trips() {
        for k in DocumentKind::ALL {
            assert_eq!(DocumentKind::parse(k.as_str()), Some(*k));
        }
        for c in Confidentiality::ALL {
            assert_eq!(Confidentiality::parse(c.as_str()), Some(*c));
        }
        for a in Audience::ALL {
            assert_eq!(Audience::parse(a.as_str()), Some(*a));
        }
        assert_eq!(DocumentKind::parse("Verzoekschrift"), None);
    }

    #[test]
    fn confidentiality_is_ordered_as_in_zgw() {
        let names: Vec<&str> = Confidentiality::ALL.iter().map(|c| c.as_str()).collect();
        assert_eq!(names, Confidentiality::NAMES);
        assert!(Confidentiality::ALL.windows(2).all(|w| w[0] < w[1]));
        assert!(Confidentiality::Openbaar < Confidentiality::ZeerGeheim);
    }
}
