//! User accounts: created, disabled and given new passwords by the administrator (or the
//! command line); every user may read their own account and change their own password.
//! Disabling and every password change raise the credentials version, which ends all tokens
//! issued before.

use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
    TransactionTrait,
};
use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;
use uuid::Uuid;

use super::{
    Actor, App, audit,
    identity::{self, FindByPublicId, actor_of},
    input::{Fields, FromFields, Unread},
    organisations::{self, OrganisationSummary},
};
use crate::{
    authz::{Action, Resource},
    domain::{DisplayName, Email, OrganisationKind, Password, Role, Username},
    error::{Error, Result, field},
    storage::entities::{organisation, user},
};

const ROLES: [&str; 7] = [
    "gemeente",
    "regio",
    "aanbieder",
    "secretaris",
    "bemiddelaar",
    "commissielid",
    "beheerder",
];

#[derive(Debug, Serialize, ToSchema)]
pub struct UserView {
    pub id: Uuid,
    pub username: String,
    pub display_name: String,
    pub email: Option<String>,
    pub role: Role,
    /// The user's organisation; none for the administrator.
    pub organisation: Option<OrganisationSummary>,
    /// For commission members: whether they may chair a hearing and sign a ruling.
    pub may_chair: bool,
    pub disabled: bool,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

#[derive(Debug, ToSchema)]
pub struct NewUser {
    #[schema(value_type = String, example = "j.jansen")]
    pub username: Username,
    #[schema(value_type = String, example = "Jan Jansen")]
    pub display_name: DisplayName,
    #[schema(value_type = Option<String>)]
    pub email: Option<Email>,
    pub role: Role,
    /// Required for every role but `beheerder`.
    pub organisation: Option<Uuid>,
    pub may_chair: bool,
    #[schema(value_type = String, format = Password, min_length = 12)]
    pub password: Password,
}

impl FromFields for NewUser {
    fn read(f: &mut Fields<'_>) -> Option<Self> {
        let username = f.required("username", Username::parse);
        let display_name = f.required("display_name", DisplayName::parse);
        let email = f.optional("email", Email::parse);
        let role = f.required_enum("role", Role::parse, &ROLES);
        let organisation = f.optional_uuid("organisation");
        let may_chair = f.optional_bool("may_chair");
        let password = f.required("password", Password::parse);
        let role = role?;
        let may_chair = may_chair.ok()?.unwrap_or(false);
        if may_chair && role != Role::Commissielid {
            f.error(
                "may_chair",
                "only commission members may chair",
                "Alleen commissieleden kunnen voorzitter zijn.",
            );
            return None;
        }
        Some(Self {
            username: username?,
            display_name: display_name?,
            email: email.ok()?,
            role,
            organisation: organisation.ok()?,
            may_chair,
            password: password?,
        })
    }
}

/// What a new account holds; [`new_row`] makes its row (for the administrator's accounts and
/// for those an identity provider's sign-in creates).
pub struct NewRow {
    pub username: String,
    pub display_name: String,
    pub email: Option<String>,
    pub role: Role,
    pub organisation_id: Option<i32>,
    pub may_chair: bool,
    pub password_hash: String,
}

pub fn new_row(n: NewRow) -> user::ActiveModel {
    let now = super::now();
    user::ActiveModel {
        public_id: Set(Uuid::new_v4()),
        username: Set(n.username),
        display_name: Set(n.display_name),
        email: Set(n.email),
        role: Set(n.role.as_str().to_owned()),
        organisation_id: Set(n.organisation_id),
        may_chair: Set(n.may_chair),
        password_hash: Set(n.password_hash),
        credentials_version: Set(1),
        disabled_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
}

pub async fn view(app: &App, u: user::Model) -> Result<UserView> {
    let disabled = u.disabled_at.is_some();
    Ok(view_of(&actor_of(app, u).await?, disabled))
}

/// The view of an account as loaded for `actor` (no further queries).
fn view_of(a: &Actor, disabled: bool) -> UserView {
    UserView {
        id: a.id,
        username: a.username.clone(),
        display_name: a.display_name.clone(),
        email: a.email.clone(),
        role: a.role,
        organisation: a.organisation.as_ref().map(|o| OrganisationSummary {
            id: o.id,
            name: o.name.clone(),
            kind: o.kind,
        }),
        may_chair: a.may_chair,
        disabled,
        created_at: a.created_at,
    }
}

pub(crate) async fn find(app: &App, id: Uuid) -> Result<user::Model> {
    user::Entity::find()
        .filter_by_public_id(id, &app.db)
        .await?
        .ok_or(Error::NotFound("user"))
}

pub async fn find_by_username(app: &App, username: &Username) -> Result<user::Model> {
    user::Entity::find()
        .filter(user::Column::Username.eq(username.as_str()))
        .one(&app.db)
        .await?
        .ok_or(Error::NotFound("user"))
}

/// The signed-in user's own account, as just loaded to authenticate them (an authenticated
/// account is never disabled).
pub fn me(app: &App, actor: &Actor) -> Result<UserView> {
    app.authorize(actor, Action::SelfRead, &Resource::User(actor.id))?;
    Ok(view_of(actor, false))
}

pub async fn list(
    app: &App,
    actor: &Actor,
    cursor: Option<&str>,
    limit: Option<u64>,
) -> Result<organisations::Page<UserView>> {
    app.authorize(actor, Action::UserList, &Resource::Directory("users"))?;
    let limit = limit.unwrap_or(50);
    if !(1..=organisations::MAX_PAGE).contains(&limit) {
        return Err(field("limit", "must be from 1 to 200"));
    }
    let mut query = user::Entity::find().order_by_asc(user::Column::Username);
    if let Some(c) = cursor.filter(|c| !c.is_empty()) {
        query = query.filter(user::Column::Username.gt(c));
    }
    let mut rows = query.limit(limit + 1).all(&app.db).await?;
    let next_cursor = if rows.len() as u64 > limit {
        rows.truncate(limit as usize);
        rows.last().map(|u| u.username.clone())
    } else {
        None
    };
    let org_ids: Vec<i32> = rows.iter().filter_map(|u| u.organisation_id).collect();
    let orgs = organisation::Entity::find()
        .filter(organisation::Column::Id.is_in(org_ids))
        .all(&app.db)
        .await?;
    let items = rows
        .into_iter()
        .map(|u| {
            let org = u.organisation_id.and_then(|id| orgs.iter().find(|o| o.id == id));
            let disabled = u.disabled_at.is_some();
            Ok(view_of(&identity::actor_with(u, org)?, disabled))
        })
        .collect::<Result<_>>()?;
    Ok(organisations::Page { items, next_cursor })
}

pub async fn get(app: &App, actor: &Actor, id: Uuid) -> Result<UserView> {
    app.authorize(actor, Action::UserRead, &Resource::User(id))?;
    view(app, find(app, id).await?).await
}

pub async fn create(app: &App, actor: &Actor, new: Unread<NewUser>) -> Result<UserView> {
    app.authorize(actor, Action::UserCreate, &Resource::Directory("users"))?;
    insert(app, Some(actor), "", new.read()?).await
}

/// Creates a user without asking the policies: for the first start, seeding and the
/// command line, which act as the system (`system_label` in the audit log).
pub async fn insert(app: &App, actor: Option<&Actor>, system_label: &str, new: NewUser) -> Result<UserView> {
    let org = match new.organisation {
        None => None,
        Some(id) => Some(
            organisations::find(app, id)
                .await
                .map_err(|_| field("organisation", "is not a known organisation"))?,
        ),
    };
    let kind = org.as_ref().and_then(|o| OrganisationKind::parse(&o.kind));
    if !new.role.fits_organisation(kind) {
        let message = match new.role.organisation_kinds() {
            None => "the administrator belongs to no organisation".to_owned(),
            Some(kinds) => format!(
                "a {} belongs to an organisation of kind {}",
                new.role,
                kinds.iter().map(|k| k.as_str()).collect::<Vec<_>>().join(" or ")
            ),
        };
        return Err(field("organisation", &message));
    }
    let hash = app.hasher.hash(&new.password).await?;
    let actor = actor.cloned();
    let label = system_label.to_owned();
    let row = app
        .db
        .transaction::<_, user::Model, Error>(|tx| {
            Box::pin(async move {
                let taken = user::Entity::find()
                    .filter(user::Column::Username.eq(new.username.as_str()))
                    .count(tx)
                    .await?
                    > 0;
                if taken {
                    return Err(Error::Conflict(
                        format!("the username {} is already taken", new.username.as_str()),
                        format!("De gebruikersnaam {} is al in gebruik.", new.username.as_str()),
                    ));
                }
                let row = new_row(NewRow {
                    username: new.username.as_str().to_owned(),
                    display_name: new.display_name.as_str().to_owned(),
                    email: new.email.as_ref().map(|e| e.as_str().to_owned()),
                    role: new.role,
                    organisation_id: org.as_ref().map(|o: &organisation::Model| o.id),
                    may_chair: new.may_chair,
                    password_hash: hash,
                })
                .insert(tx)
                .await?;
                let after = json!({"username": row.username, "role": row.role,
                    "organisation": org.as_ref().map(|o| o.public_id), "may_chair": row.may_chair});
                audit::record(
                    tx,
                    actor.as_ref(),
                    &label,
                    audit::Change::of("user.created", "user", row.public_id).after(after),
                )
                .await?;
                Ok(row)
            })
        })
        .await?;
    view(app, row).await
}
