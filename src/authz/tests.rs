use super::*;

fn principal(role: Role) -> Principal {
    let kind = role.organisation_kinds().map(|k| k[0]);
    Principal {
        id: Uuid::new_v4(),
        role,
        organisation: kind.map(|k| (Uuid::new_v4(), k)),
    }
}

fn org() -> Resource {
    Resource::Organisation {
        id: Uuid::new_v4(),
        kind: OrganisationKind::Gemeente,
    }
}

#[test]
fn the_built_in_policies_load() {
    Authorizer::load(None).unwrap();
}

#[test]
fn the_policy_directory_in_the_repository_loads() {
    Authorizer::load(Some(Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/policies")))).unwrap();
}

#[test]
fn everyone_may_look_up_organisations() {
    let a = Authorizer::load(None).unwrap();
    for role in Role::ALL {
        let p = principal(role);
        assert!(
            a.is_allowed(&p, Action::OrganisationList, &Resource::Directory("organisations")),
            "{role}"
        );
        assert!(a.is_allowed(&p, Action::OrganisationRead, &org()), "{role}");
    }
}

#[test]
fn only_the_administrator_manages_organisations_and_users() {
    let a = Authorizer::load(None).unwrap();
    for role in Role::ALL {
        let p = principal(role);
        let admin = role == Role::Beheerder;
        let other = Resource::User(Uuid::new_v4());
        assert_eq!(
            a.is_allowed(&p, Action::OrganisationCreate, &Resource::Directory("organisations")),
            admin,
            "{role}"
        );
        assert_eq!(a.is_allowed(&p, Action::OrganisationUpdate, &org()), admin, "{role}");
        assert_eq!(
            a.is_allowed(&p, Action::UserList, &Resource::Directory("users")),
            admin,
            "{role}"
        );
        assert_eq!(
            a.is_allowed(&p, Action::UserCreate, &Resource::Directory("users")),
            admin,
            "{role}"
        );
        assert_eq!(a.is_allowed(&p, Action::UserRead, &other), admin, "{role}");
        assert_eq!(a.is_allowed(&p, Action::UserUpdate, &other), admin, "{role}");
    }
}

#[test]
fn users_see_and_change_only_their_own_account() {
    let a = Authorizer::load(None).unwrap();
    for role in Role::ALL {
        let p = principal(role);
        assert!(a.is_allowed(&p, Action::SelfRead, &Resource::User(p.id)));
        assert!(a.is_allowed(&p, Action::SelfChangePassword, &Resource::User(p.id)));
        assert!(!a.is_allowed(&p, Action::SelfRead, &Resource::User(Uuid::new_v4())));
        assert!(!a.is_allowed(&p, Action::SelfChangePassword, &Resource::User(Uuid::new_v4())));
    }
}

#[test]
fn a_policy_that_does_not_parse_is_named() {
    let e = Authorizer::from_sources(
        ("s.cedarschema", BUILT_IN_SCHEMA),
        ("broken.cedar", "permit(principal, action"),
    )
    .err()
    .unwrap();
    assert_eq!(e.file, "broken.cedar");
}

#[test]
fn a_policy_that_does_not_fit_the_schema_is_named() {
    let bad = r#"permit(principal, action == Beslecht::Action::"case.destroy", resource);"#;
    let e = Authorizer::from_sources(("s.cedarschema", BUILT_IN_SCHEMA), ("p.cedar", bad))
        .err()
        .unwrap();
    assert_eq!(e.file, "p.cedar");
    assert!(e.message.contains("schema"), "{}", e.message);
}

#[test]
fn a_broken_schema_is_named() {
    let e = Authorizer::from_sources(("s.cedarschema", "namespace {"), ("p.cedar", BUILT_IN_POLICIES))
        .err()
        .unwrap();
    assert_eq!(e.file, "s.cedarschema");
}

#[test]
fn a_schema_missing_an_action_the_service_asks_is_named() {
    let schema = BUILT_IN_SCHEMA.replace("\"self.read\", ", "");
    let policies = BUILT_IN_POLICIES.replace("Beslecht::Action::\"self.read\", ", "");
    let e = Authorizer::from_sources(("s.cedarschema", &schema), ("p.cedar", &policies))
        .err()
        .unwrap();
    assert!(e.message.contains("self.read"), "{}", e.message);
}

#[test]
fn a_missing_policy_directory_is_named() {
    let e = Authorizer::load(Some(Path::new("/nonexistent/policies")))
        .err()
        .unwrap();
    assert!(e.file.contains("schema.cedarschema"), "{}", e.file);
}
