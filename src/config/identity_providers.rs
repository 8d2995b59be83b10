//! The identity providers people may sign in through (OpenID Connect), from the TOML file
//! that `BESLECHT_IDENTITY_PROVIDERS` names. Client secrets are never in the file: each
//! provider names the environment variable that holds its secret. A provider that names an
//! unknown role, no way to find the organisation, or a missing secret stops start-up with a
//! message naming it.
//!
//! ```toml
//! [[provider]]
//! name = "utrecht"                  # in addresses: /inloggen/utrecht
//! label = "Gemeente Utrecht"        # on the sign-in page's button
//! issuer = "https://login.utrecht.nl"
//! client_id = "beslecht"
//! client_secret_env = "BESLECHT_OIDC_UTRECHT_SECRET"
//! scopes = ["email", "profile"]
//! organisation = "0344"             # one organisation for every person (its CBS code or id), or:
//! # organisation_claim = "cbs_code"  # the claim naming the person's organisation (CBS code or id)
//! groups_claim = "groups"
//! provisioning = true               # a first sign-in creates the person
//! [provider.roles]                  # group -> role; the first group that maps decides
//! "beslecht-gemeente" = "gemeente"
//! ```

use secrecy::SecretString;
use serde::Deserialize;

use crate::domain::Role;

#[derive(Debug, Clone)]
pub struct IdentityProvider {
    /// A short name, used in addresses (`/inloggen/{name}`) and the audit log.
    pub name: String,
    pub label: String,
    pub issuer: String,
    pub client_id: String,
    pub client_secret: Option<SecretString>,
    pub scopes: Vec<String>,
    pub claims: ClaimNames,
    pub organisation: OrganisationSource,
    /// Group (as the provider names it) → role, in the file's order.
    pub roles: Vec<(String, Role)>,
    /// The role of a person none of whose groups maps; `None`: such a person is refused.
    pub default_role: Option<Role>,
    /// Whether a first sign-in creates the person; otherwise an administrator links them first.
    pub provisioning: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimNames {
    pub subject: String,
    pub name: String,
    pub email: String,
    pub username: String,
    pub groups: Option<String>,
}

/// Where a person's organisation comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OrganisationSource {
    /// Every person of this provider belongs to this organisation (its CBS code or id).
    Fixed(String),
    /// This claim names it (a CBS code or the organisation's id).
    Claim(String),
    /// The provider serves the commission's own people (secretaries, mediators, members)
    /// and administrators, who belong to the organisation their role implies.
    None,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    provider: Vec<Entry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    name: String,
    label: Option<String>,
    issuer: String,
    client_id: String,
    client_secret_env: Option<String>,
    #[serde(default)]
    scopes: Vec<String>,
    subject_claim: Option<String>,
    name_claim: Option<String>,
    email_claim: Option<String>,
    username_claim: Option<String>,
    groups_claim: Option<String>,
    organisation: Option<String>,
    organisation_claim: Option<String>,
    #[serde(default)]
    roles: Ordered,
    default_role: Option<String>,
    #[serde(default)]
    provisioning: bool,
}

/// `group = "role"` pairs in the file's order (a TOML table read into a map would sort them,
/// and the first mapped group decides).
#[derive(Default)]
struct Ordered(Vec<(String, String)>);

impl<'de> Deserialize<'de> for Ordered {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Pairs;
        impl<'de> serde::de::Visitor<'de> for Pairs {
            type Value = Ordered;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a table of group = \"role\"")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut m: A) -> Result<Ordered, A::Error> {
                let mut pairs = Vec::new();
                while let Some(pair) = m.next_entry::<String, String>()? {
                    pairs.push(pair);
                }
                Ok(Ordered(pairs))
            }
        }
        d.deserialize_map(Pairs)
    }
}

/// Reads the providers from the file's text; `env` looks up the client secrets.
pub fn parse(text: &str, env: impl Fn(&str) -> Option<String>) -> Result<Vec<IdentityProvider>, String> {
    let file: File = toml::from_str(text).map_err(|e| e.to_string())?;
    let mut seen = std::collections::BTreeSet::new();
    let mut out = Vec::new();
    for e in file.provider {
        let n = &e.name;
        if n.is_empty()
            || !n
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        {
            return Err(format!("provider name {n:?}: use lowercase letters, digits and -"));
        }
        if !seen.insert(n.clone()) {
            return Err(format!("provider {n} is named twice"));
        }
        if !(e.issuer.starts_with("https://")
            || e.issuer.starts_with("http://127.0.0.1")
            || e.issuer.starts_with("http://localhost"))
        {
            return Err(format!("provider {n}: the issuer must be an https address"));
        }
        let client_secret = match &e.client_secret_env {
            None => None,
            Some(var) => Some(SecretString::from(
                env(var)
                    .filter(|v| !v.is_empty())
                    .ok_or_else(|| format!("provider {n}: {var} is not set"))?,
            )),
        };
        let organisation = match (e.organisation, e.organisation_claim) {
            (Some(_), Some(_)) => {
                return Err(format!(
                    "provider {n}: give organisation or organisation_claim, not both"
                ));
            }
            (Some(o), None) => OrganisationSource::Fixed(o),
            (None, Some(c)) => OrganisationSource::Claim(c),
            (None, None) => OrganisationSource::None,
        };
        let role = |r: &str| Role::parse(r).ok_or_else(|| format!("provider {n}: unknown role {r}"));
        let mut roles = Vec::new();
        for (group, r) in &e.roles.0 {
            roles.push((group.clone(), role(r)?));
        }
        let default_role = e.default_role.as_deref().map(role).transpose()?;
        if roles.is_empty() && default_role.is_none() {
            return Err(format!(
                "provider {n}: map at least one group to a role, or give default_role"
            ));
        }
        if !roles.is_empty() && e.groups_claim.is_none() {
            return Err(format!("provider {n}: roles by group need groups_claim"));
        }
        out.push(IdentityProvider {
            label: e.label.unwrap_or_else(|| n.clone()),
            name: e.name,
            issuer: e.issuer.trim_end_matches('/').to_owned(),
            client_id: e.client_id,
            client_secret,
            scopes: e.scopes,
            claims: ClaimNames {
                subject: e.subject_claim.unwrap_or_else(|| "sub".into()),
                name: e.name_claim.unwrap_or_else(|| "name".into()),
                email: e.email_claim.unwrap_or_else(|| "email".into()),
                username: e.username_claim.unwrap_or_else(|| "preferred_username".into()),
                groups: e.groups_claim,
            },
            organisation,
            roles,
            default_role,
            provisioning: e.provisioning,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = r#"
[[provider]]
name = "utrecht"
label = "Gemeente Utrecht"
issuer = "https://login.utrecht.nl/"
client_id = "beslecht"
client_secret_env = "UTRECHT_SECRET"
organisation = "0344"
groups_claim = "groups"
provisioning = true
[provider.roles]
"beslecht-gemeente" = "gemeente"
"#;

    #[test]
    fn a_provider_is_read_with_its_secret_from_the_environment() {
        let p = parse(FILE, |k| (k == "UTRECHT_SECRET").then(|| "geheim".to_owned())).unwrap();
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].issuer, "https://login.utrecht.nl");
        assert_eq!(p[0].organisation, OrganisationSource::Fixed("0344".into()));
        assert_eq!(p[0].roles, vec![("beslecht-gemeente".to_owned(), Role::Gemeente)]);
        assert_eq!(p[0].claims.subject, "sub");
        assert!(p[0].provisioning);
        assert!(!format!("{:?}", p[0]).contains("geheim"), "secrets never print");
    }

    #[test]
    fn mistakes_are_named() {
        let none = |_: &str| None;
        assert!(parse(FILE, none).unwrap_err().contains("UTRECHT_SECRET is not set"));
        let some = |_: &str| Some("x".to_owned());
        for (bad, says) in [
            (FILE.replace("\"gemeente\"", "\"koning\""), "unknown role koning"),
            (FILE.replace("https://login", "http://login"), "https"),
            (FILE.replace("name = \"utrecht\"", "name = \"Utrecht!\""), "lowercase"),
            (FILE.replace("groups_claim = \"groups\"\n", ""), "groups_claim"),
            (
                FILE.replace(
                    "organisation = \"0344\"",
                    "organisation = \"0344\"\norganisation_claim = \"oin\"",
                ),
                "not both",
            ),
            (format!("{FILE}{FILE}"), "named twice"),
            (FILE.replace("provisioning", "provisionning"), "unknown field"),
        ] {
            let e = parse(&bad, some).unwrap_err();
            assert!(e.contains(says), "{says}: {e}");
        }
    }
}
