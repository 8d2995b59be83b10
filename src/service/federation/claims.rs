//! Who a verified ID token says the person is, by the provider's configuration: subject,
//! name, e-mail, a username to propose, the organisation's reference and the role its groups
//! map to. Pure: no I/O, so every refusal is tested here.

use serde_json::{Map, Value};

use crate::{
    config::identity_providers::{IdentityProvider, OrganisationSource},
    domain::Role,
};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claimed {
    pub subject: String,
    pub name: String,
    pub email: Option<String>,
    pub username: Option<String>,
    /// The organisation, as a CBS code or an organisation id; `None` for a provider of the
    /// commission's own people.
    pub organisation: Option<String>,
    pub role: Role,
    /// The provider's session id (`sid`), where it names one.
    pub session: Option<String>,
}

/// Why a verified token does not let the person in (said to them in Dutch, logged in English).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    Missing(&'static str),
    NoRole,
    NoOrganisation,
}

impl Refusal {
    pub fn reason(&self) -> String {
        match self {
            Refusal::Missing(c) => format!("the token has no {c}"),
            Refusal::NoRole => "none of the person's groups maps to a role".into(),
            Refusal::NoOrganisation => "the token names no organisation".into(),
        }
    }
}

fn text(claims: &Map<String, Value>, name: &str) -> Option<String> {
    match claims.get(name)? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Reads the person from a verified token's claims.
pub fn read(p: &IdentityProvider, claims: &Map<String, Value>) -> Result<Claimed, Refusal> {
    let subject = text(claims, &p.claims.subject).ok_or(Refusal::Missing("subject"))?;
    let groups: Vec<String> = match p.claims.groups.as_deref().and_then(|g| claims.get(g)) {
        Some(Value::Array(items)) => items.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect(),
        Some(Value::String(one)) => vec![one.clone()],
        _ => Vec::new(),
    };
    let role = p
        .roles
        .iter()
        .find(|(group, _)| groups.iter().any(|g| g == group))
        .map(|(_, r)| *r)
        .or(p.default_role)
        .ok_or(Refusal::NoRole)?;
    let organisation = match &p.organisation {
        OrganisationSource::Fixed(o) => Some(o.clone()),
        OrganisationSource::Claim(c) => Some(text(claims, c).ok_or(Refusal::NoOrganisation)?),
        OrganisationSource::None => None,
    };
    let email = text(claims, &p.claims.email).filter(|e| e.contains('@'));
    Ok(Claimed {
        name: text(claims, &p.claims.name).unwrap_or_else(|| subject.clone()),
        username: text(claims, &p.claims.username).or_else(|| email.clone()),
        email,
        subject,
        organisation,
        role,
        session: text(claims, "sid"),
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::config::identity_providers::parse;

    fn provider(extra: &str) -> IdentityProvider {
        let file = format!(
            "[[provider]]\nname = \"p\"\nissuer = \"https://idp.example\"\nclient_id = \"c\"\ngroups_claim = \"groups\"\n{extra}\n[provider.roles]\n\"g-sec\" = \"secretaris\"\n\"g-gem\" = \"gemeente\"\n"
        );
        parse(&file, |_| None).unwrap().remove(0)
    }

    fn claims(v: Value) -> Map<String, Value> {
        v.as_object().unwrap().clone()
    }

    #[test]
    fn the_first_group_in_the_configuration_that_maps_decides() {
        let p = provider("organisation_claim = \"cbs\"");
        let c = read(
            &p,
            &claims(
                json!({"sub": "u1", "groups": ["x", "g-gem", "g-sec"], "cbs": "0344", "email": "a@b.nl", "sid": "s1"}),
            ),
        )
        .unwrap();
        assert_eq!(c.role, Role::Secretaris);
        assert_eq!(c.organisation.as_deref(), Some("0344"));
        assert_eq!(
            c.username.as_deref(),
            Some("a@b.nl"),
            "the e-mail when no username is claimed"
        );
        assert_eq!(c.name, "u1", "the subject when no name is claimed");
        assert_eq!(c.session.as_deref(), Some("s1"));
        let one = read(&p, &claims(json!({"sub": "u1", "groups": "g-gem", "cbs": 344}))).unwrap();
        assert_eq!((one.role, one.organisation.as_deref()), (Role::Gemeente, Some("344")));
    }

    #[test]
    fn refusals() {
        let p = provider("organisation_claim = \"cbs\"");
        assert_eq!(
            read(&p, &claims(json!({"groups": ["g-gem"], "cbs": "1"}))),
            Err(Refusal::Missing("subject"))
        );
        assert_eq!(
            read(&p, &claims(json!({"sub": " ", "groups": ["g-gem"]}))),
            Err(Refusal::Missing("subject"))
        );
        assert_eq!(
            read(&p, &claims(json!({"sub": "u", "groups": ["other"], "cbs": "1"}))),
            Err(Refusal::NoRole)
        );
        assert_eq!(read(&p, &claims(json!({"sub": "u", "cbs": "1"}))), Err(Refusal::NoRole));
        assert_eq!(
            read(&p, &claims(json!({"sub": "u", "groups": ["g-gem"]}))),
            Err(Refusal::NoOrganisation)
        );
        assert_eq!(
            read(&p, &claims(json!({"sub": "u", "groups": ["g-gem"], "cbs": ""}))),
            Err(Refusal::NoOrganisation)
        );
    }

    #[test]
    fn a_default_role_and_a_fixed_organisation() {
        let p = provider("organisation = \"0344\"\ndefault_role = \"gemeente\"");
        let c = read(&p, &claims(json!({"sub": "u", "email": "not-an-address"}))).unwrap();
        assert_eq!(
            (c.role, c.organisation.as_deref(), c.email),
            (Role::Gemeente, Some("0344"), None)
        );
    }
}
