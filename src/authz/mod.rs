//! Authorization: the Cedar policies in `policies/`, validated against their schema at
//! start-up and asked on every request.
//!
//! The policies are what a privacy officer reads; this module only translates Beslecht's
//! principals, actions and resources into Cedar's vocabulary. A policy file that does not
//! parse, or does not fit the schema, stops start-up with a message naming the file.

use std::{
    collections::{HashMap, HashSet},
    path::Path,
    str::FromStr,
};

use cedar_policy::{
    Authorizer as CedarAuthorizer, Context, Decision, Entities, Entity, EntityId, EntityTypeName, EntityUid, PolicySet,
    Request, RestrictedExpression, Schema, ValidationMode, Validator,
};
use uuid::Uuid;

use crate::domain::{OrganisationKind, Role};

pub const SCHEMA_FILE: &str = "schema.cedarschema";
pub const POLICY_FILE: &str = "authorization.cedar";
const BUILT_IN_SCHEMA: &str = include_str!("../../policies/schema.cedarschema");
const BUILT_IN_POLICIES: &str = include_str!("../../policies/authorization.cedar");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    OrganisationList,
    OrganisationRead,
    OrganisationCreate,
    OrganisationUpdate,
    UserList,
    UserRead,
    UserCreate,
    UserUpdate,
    SelfRead,
    SelfChangePassword,
    CaseList,
    CaseCreate,
}

impl Action {
    pub const ALL: [Action; 12] = [
        Action::OrganisationList,
        Action::OrganisationRead,
        Action::OrganisationCreate,
        Action::OrganisationUpdate,
        Action::UserList,
        Action::UserRead,
        Action::UserCreate,
        Action::UserUpdate,
        Action::SelfRead,
        Action::SelfChangePassword,
        Action::CaseList,
        Action::CaseCreate,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Action::OrganisationList => "organisation.list",
            Action::OrganisationRead => "organisation.read",
            Action::OrganisationCreate => "organisation.create",
            Action::OrganisationUpdate => "organisation.update",
            Action::UserList => "user.list",
            Action::UserRead => "user.read",
            Action::UserCreate => "user.create",
            Action::UserUpdate => "user.update",
            Action::SelfRead => "self.read",
            Action::SelfChangePassword => "self.change_password",
            Action::CaseList => "case.list",
            Action::CaseCreate => "case.create",
        }
    }
}

/// Who is asking.
#[derive(Debug, Clone)]
pub struct Principal {
    pub id: Uuid,
    pub role: Role,
    pub organisation: Option<(Uuid, OrganisationKind)>,
}

/// What is asked about.
#[derive(Debug, Clone)]
pub enum Resource {
    Directory(&'static str),
    Organisation { id: Uuid, kind: OrganisationKind },
    User(Uuid),
}

#[derive(Debug, thiserror::Error)]
#[error("policy file {file}: {message}")]
pub struct PolicyError {
    pub file: String,
    pub message: String,
}

pub struct Authorizer {
    schema: Schema,
    policies: PolicySet,
    engine: CedarAuthorizer,
}

impl Authorizer {
    /// Loads the policies from `dir`, or the copies built into the binary.
    pub fn load(dir: Option<&Path>) -> Result<Self, PolicyError> {
        match dir {
            None => Self::from_sources(
                ("policies/schema.cedarschema", BUILT_IN_SCHEMA),
                ("policies/authorization.cedar", BUILT_IN_POLICIES),
            ),
            Some(dir) => {
                let read = |name: &str| {
                    let path = dir.join(name);
                    std::fs::read_to_string(&path)
                        .map(|text| (path.display().to_string(), text))
                        .map_err(|e| PolicyError {
                            file: path.display().to_string(),
                            message: format!("cannot read: {e}"),
                        })
                };
                let (schema_path, schema) = read(SCHEMA_FILE)?;
                let (policy_path, policies) = read(POLICY_FILE)?;
                Self::from_sources((&schema_path, &schema), (&policy_path, &policies))
            }
        }
    }

    pub fn from_sources(schema: (&str, &str), policies: (&str, &str)) -> Result<Self, PolicyError> {
        let fail = |file: &str, message: String| PolicyError {
            file: file.to_owned(),
            message,
        };
        let (schema_value, _warnings) =
            Schema::from_cedarschema_str(schema.1).map_err(|e| fail(schema.0, format!("{e:?}")))?;
        let policy_set = PolicySet::from_str(policies.1).map_err(|e| fail(policies.0, format!("{e:?}")))?;
        let result = Validator::new(schema_value.clone()).validate(&policy_set, ValidationMode::Strict);
        if !result.validation_passed() {
            let errors: Vec<String> = result.validation_errors().map(|e| e.to_string()).collect();
            return Err(fail(
                policies.0,
                format!("does not fit the schema: {}", errors.join("; ")),
            ));
        }
        let me = Self {
            schema: schema_value,
            policies: policy_set,
            engine: CedarAuthorizer::new(),
        };
        // Every action Beslecht asks about must exist in the schema.
        for action in Action::ALL {
            let probe = Principal {
                id: Uuid::nil(),
                role: Role::Beheerder,
                organisation: None,
            };
            let resource = match action {
                Action::OrganisationList | Action::OrganisationCreate => Resource::Directory("organisations"),
                Action::UserList | Action::UserCreate => Resource::Directory("users"),
                Action::CaseList | Action::CaseCreate => Resource::Directory("cases"),
                Action::OrganisationRead | Action::OrganisationUpdate => Resource::Organisation {
                    id: Uuid::nil(),
                    kind: OrganisationKind::Gemeente,
                },
                _ => Resource::User(Uuid::nil()),
            };
            me.request(&probe, action, &resource)
                .map_err(|m| fail(schema.0, format!("action `{}`: {m}", action.name())))?;
        }
        Ok(me)
    }

    /// Whether `principal` may take `action` on `resource`. Anything that cannot be asked
    /// (a malformed request) is a denial.
    pub fn is_allowed(&self, principal: &Principal, action: Action, resource: &Resource) -> bool {
        match self.request(principal, action, resource) {
            Ok(decision) => decision == Decision::Allow,
            Err(message) => {
                tracing::error!(action = action.name(), %message, "authorization request could not be evaluated");
                false
            }
        }
    }

    fn request(&self, principal: &Principal, action: Action, resource: &Resource) -> Result<Decision, String> {
        let mut entities = vec![user_entity(principal)?];
        let resource_uid = match resource {
            Resource::Directory(name) => uid("Directory", name),
            Resource::Organisation { id, kind } => {
                let uid = uid("Organisation", &id.to_string());
                entities.push(org_entity(*id, *kind)?);
                uid
            }
            Resource::User(id) => {
                if *id != principal.id {
                    entities.push(
                        Entity::new(uid("User", &id.to_string()), attrs([("role", "")]), HashSet::new())
                            .map_err(|e| e.to_string())?,
                    );
                }
                uid("User", &id.to_string())
            }
        };
        if let Some((id, kind)) = principal.organisation
            && !matches!(resource, Resource::Organisation { id: rid, .. } if *rid == id)
        {
            entities.push(org_entity(id, kind)?);
        }
        entities.push(Entity::new_no_attrs(
            uid("Role", principal.role.as_str()),
            HashSet::new(),
        ));
        let entities = Entities::from_entities(entities, Some(&self.schema)).map_err(|e| e.to_string())?;
        let request = Request::new(
            uid("User", &principal.id.to_string()),
            uid("Action", action.name()),
            resource_uid,
            Context::empty(),
            Some(&self.schema),
        )
        .map_err(|e| e.to_string())?;
        Ok(self
            .engine
            .is_authorized(&request, &self.policies, &entities)
            .decision())
    }
}

fn uid(kind: &str, id: &str) -> EntityUid {
    let name = EntityTypeName::from_str(&format!("Beslecht::{kind}")).expect("valid entity type");
    EntityUid::from_type_name_and_id(name, EntityId::new(id))
}

fn attrs<const N: usize>(pairs: [(&str, &str); N]) -> HashMap<String, RestrictedExpression> {
    pairs
        .into_iter()
        .map(|(k, v)| (k.to_owned(), RestrictedExpression::new_string(v.to_owned())))
        .collect()
}

fn org_entity(id: Uuid, kind: OrganisationKind) -> Result<Entity, String> {
    Entity::new(
        uid("Organisation", &id.to_string()),
        attrs([("kind", kind.as_str())]),
        HashSet::new(),
    )
    .map_err(|e| e.to_string())
}

fn user_entity(p: &Principal) -> Result<Entity, String> {
    let mut parents = HashSet::from([uid("Role", p.role.as_str())]);
    if let Some((org, _)) = p.organisation {
        parents.insert(uid("Organisation", &org.to_string()));
    }
    Entity::new(
        uid("User", &p.id.to_string()),
        attrs([("role", p.role.as_str())]),
        parents,
    )
    .map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests;
