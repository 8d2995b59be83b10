//! Who is acting: resolved from a bearer token on every request, from the database, so a
//! disabled account or a changed password takes effect at once on every node.

use sea_orm::{ColumnTrait, EntityTrait};
use uuid::Uuid;

use super::App;
use crate::{
    authz::Principal,
    domain::{OrganisationKind, Role},
    error::{Error, Result},
    storage::entities::{access_token, case, organisation, ruling, user},
};

#[derive(Debug, Clone)]
pub struct OrgRef {
    pub internal_id: i32,
    pub id: Uuid,
    pub kind: OrganisationKind,
    pub name: String,
}

#[derive(Debug, Clone)]
pub struct Actor {
    pub internal_id: i32,
    pub id: Uuid,
    pub username: String,
    pub display_name: String,
    pub email: Option<String>,
    pub role: Role,
    pub may_chair: bool,
    pub organisation: Option<OrgRef>,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

impl Actor {
    pub fn principal(&self) -> Principal {
        Principal {
            id: self.id,
            role: self.role,
            organisation: self.organisation.as_ref().map(|o| (o.id, o.kind)),
        }
    }

    /// The name written in the audit trail.
    pub fn label(&self) -> String {
        format!("{} ({})", self.username, self.role)
    }
}

/// The username and role in an audit trail's label (see [`Actor::label`]); the whole label
/// and no role when it is not of that form.
pub fn label_parts(label: &str) -> (&str, Option<Role>) {
    match label.strip_suffix(')').and_then(|l| l.rsplit_once(" (")) {
        Some((username, role)) => (username, Role::parse(role)),
        None => (label, None),
    }
}

const UNAUTHENTICATED: &str = "a valid access token is required";

/// A bearer token whose signature and lifetime hold: whom it names, still to be confirmed
/// against the database (the person not disabled, the token not ended, the password not
/// changed since) by [`admit`].
pub struct Presented {
    sub: Uuid,
    jti: Uuid,
    ver: i32,
}

impl Presented {
    /// Where the database finds the caller the token names, if the token was not ended.
    pub fn condition(&self) -> sea_orm::Condition {
        let not_ended = sea_orm::sea_query::Query::select()
            .expr(sea_orm::sea_query::Expr::val(1))
            .from(access_token::Entity)
            .and_where(access_token::Column::Jti.eq(self.jti))
            .and_where(access_token::Column::RevokedAt.is_null())
            .to_owned();
        sea_orm::Condition::all()
            .add(user::Column::PublicId.eq(self.sub))
            .add(sea_orm::sea_query::Expr::exists(not_ended))
    }

    /// A token naming `sub` with `jti`, for building a statement once and binding it later
    /// (see [`crate::storage::template`]).
    pub fn sample(sub: Uuid, jti: Uuid) -> Self {
        Self { sub, jti, ver: 0 }
    }

    /// The values [`Presented::condition`] binds, in the order of [`Presented::sample`].
    pub fn parameters(&self) -> [Uuid; 2] {
        [self.sub, self.jti]
    }
}

/// Checks a bearer token's signature and lifetime (no database), or refuses with 401.
pub fn present(app: &App, token: &str) -> Result<Presented> {
    let now = chrono::Utc::now().timestamp();
    let claims = app.tokens.verify(token, now).map_err(|e| match e {
        crate::auth::token::TokenError::Expired => Error::Unauthenticated("the access token has expired"),
        crate::auth::token::TokenError::Invalid => Error::Unauthenticated(UNAUTHENTICATED),
    })?;
    Ok(Presented {
        sub: claims.sub,
        jti: claims.jti,
        ver: claims.ver,
    })
}

/// The acting user for a presented token, given the caller the database found under
/// [`Presented::condition`]; 401 when there is none, or the person was disabled or changed
/// their password since.
pub async fn admit(app: &App, presented: &Presented, caller: Option<Caller>) -> Result<Actor> {
    let caller = caller.ok_or(Error::Unauthenticated(UNAUTHENTICATED))?;
    super::sessions::touch_token(app, presented.jti).await?;
    if caller.disabled || caller.credentials_version != presented.ver {
        return Err(Error::Unauthenticated(
            "the access token is no longer valid; sign in again",
        ));
    }
    Ok(caller.actor)
}

/// The acting user a presented token names, or 401: one query, the person, their
/// organisation, and that the token was not ended.
pub async fn admit_from_database(app: &App, presented: &Presented) -> Result<Actor> {
    let caller = caller(&app.db, presented.condition()).await?;
    admit(app, presented, caller).await
}

/// The person a request's credentials name, as the request needs them: the actor, and what
/// decides whether the credentials still hold.
pub struct Caller {
    pub actor: Actor,
    pub disabled: bool,
    pub credentials_version: i32,
}

/// The columns a [`Caller`] is made of — never the password hash, which has no business
/// leaving the database on an ordinary request. Each is named with [`CALLER`] before it (see
/// [`caller_select`]).
#[derive(sea_orm::FromQueryResult)]
struct CallerRow {
    id: i32,
    public_id: Uuid,
    username: String,
    display_name: String,
    email: Option<String>,
    role: String,
    may_chair: bool,
    credentials_version: i32,
    disabled_at: Option<chrono::DateTime<chrono::Utc>>,
    created_at: chrono::DateTime<chrono::Utc>,
    org_id: Option<i32>,
    org_public_id: Option<Uuid>,
    org_kind: Option<String>,
    org_name: Option<String>,
}

/// What the caller's columns are named with, so that they can stand beside another
/// statement's (a case's `id` beside the caller's `caller_id`).
const CALLER: &str = "caller_";

/// The statement that reads the user `condition` finds, with their organisation: the
/// columns of a [`Caller`], named with `caller_` before them, and nothing else. Another
/// statement can be joined to it, so that a request reads its caller and what it asks for in
/// one round trip (see [`crate::service::cases::bundle::fetch_as`]).
pub fn caller_select(condition: impl sea_orm::sea_query::IntoCondition) -> sea_orm::sea_query::SelectStatement {
    use sea_orm::{
        IdenStatic,
        sea_query::{Alias, Expr, ExprTrait, Query},
    };
    let mut q = Query::select();
    for column in [
        user::Column::Id,
        user::Column::PublicId,
        user::Column::Username,
        user::Column::DisplayName,
        user::Column::Email,
        user::Column::Role,
        user::Column::MayChair,
        user::Column::CredentialsVersion,
        user::Column::DisabledAt,
        user::Column::CreatedAt,
    ] {
        q.expr_as(
            Expr::col((user::Entity, column)),
            Alias::new(format!("{CALLER}{}", column.as_str())),
        );
    }
    for (column, name) in [
        (organisation::Column::Id, "org_id"),
        (organisation::Column::PublicId, "org_public_id"),
        (organisation::Column::Kind, "org_kind"),
        (organisation::Column::Name, "org_name"),
    ] {
        q.expr_as(
            Expr::col((organisation::Entity, column)),
            Alias::new(format!("{CALLER}{name}")),
        );
    }
    q.from(user::Entity)
        .left_join(
            organisation::Entity,
            Expr::col((organisation::Entity, organisation::Column::Id))
                .eq(Expr::col((user::Entity, user::Column::OrganisationId))),
        )
        .cond_where(condition)
        .limit(1);
    q
}

/// The caller in a row of a statement made with [`caller_select`].
pub fn caller_of(row: &sea_orm::QueryResult) -> Result<Caller> {
    use sea_orm::FromQueryResult;
    let r = CallerRow::from_query_result(row, CALLER)?;
    let organisation = match (r.org_id, r.org_public_id, r.org_kind, r.org_name) {
        (Some(internal_id), Some(id), Some(kind), Some(name)) => Some(OrgRef {
            internal_id,
            id,
            kind: kind_of(&kind)?,
            name,
        }),
        _ => None,
    };
    Ok(Caller {
        actor: Actor {
            internal_id: r.id,
            id: r.public_id,
            username: r.username,
            display_name: r.display_name,
            email: r.email,
            role: role_of(&r.role)?,
            may_chair: r.may_chair,
            organisation,
            created_at: r.created_at,
        },
        disabled: r.disabled_at.is_some(),
        credentials_version: r.credentials_version,
    })
}

/// The user that `condition` finds, with their organisation, as a [`Caller`]: one query, for
/// every request (a token's, a web session's).
pub async fn caller(
    db: &impl sea_orm::ConnectionTrait,
    condition: impl sea_orm::sea_query::IntoCondition,
) -> Result<Option<Caller>> {
    let statement = db.get_database_backend().build(&caller_select(condition));
    db.query_one_raw(statement)
        .await?
        .map(|row| caller_of(&row))
        .transpose()
}

/// The user that `condition` finds, with their organisation: one query, for every request.
pub async fn with_organisation(
    db: &impl sea_orm::ConnectionTrait,
    condition: impl sea_orm::sea_query::IntoCondition,
) -> Result<Option<(user::Model, Option<organisation::Model>)>> {
    use sea_orm::QueryFilter;
    Ok(user::Entity::find()
        .filter(condition)
        .find_also_related(organisation::Entity)
        .one(db)
        .await?)
}

pub async fn actor_of(app: &App, user: user::Model) -> Result<Actor> {
    let organisation = match user.organisation_id {
        None => None,
        Some(id) => Some(
            organisation::Entity::find_by_id(id)
                .one(&app.db)
                .await?
                .ok_or_else(|| Error::internal("user without organisation"))?,
        ),
    };
    actor_with(user, organisation.as_ref())
}

/// The actor for a user whose organisation is already loaded.
pub fn actor_with(user: user::Model, organisation: Option<&organisation::Model>) -> Result<Actor> {
    let role = role_of(&user.role)?;
    Ok(Actor {
        internal_id: user.id,
        id: user.public_id,
        username: user.username,
        display_name: user.display_name,
        email: user.email,
        role,
        may_chair: user.may_chair,
        organisation: organisation.map(org_ref).transpose()?,
        created_at: user.created_at,
    })
}

/// A stored role, parsed: one that does not parse is an error, never a default.
fn role_of(role: &str) -> Result<Role> {
    Role::parse(role).ok_or_else(|| Error::internal(format!("unknown role {role}")))
}

/// A stored kind of organisation, parsed.
fn kind_of(kind: &str) -> Result<OrganisationKind> {
    OrganisationKind::parse(kind).ok_or_else(|| Error::internal(format!("unknown organisation kind {kind}")))
}

pub fn org_ref(org: &organisation::Model) -> Result<OrgRef> {
    let kind = kind_of(&org.kind)?;
    Ok(OrgRef {
        internal_id: org.id,
        id: org.public_id,
        kind,
        name: org.name.clone(),
    })
}

/// Finding rows by their public id, for every entity that has one.
pub trait FindByPublicId {
    type Model;
    fn filter_by_public_id(
        self,
        id: Uuid,
        db: &sea_orm::DatabaseConnection,
    ) -> impl std::future::Future<Output = Result<Option<Self::Model>, sea_orm::DbErr>> + Send;
}

macro_rules! find_by_public_id {
    ($($module:ident),*) => {$(
        impl FindByPublicId for sea_orm::Select<$module::Entity> {
            type Model = $module::Model;
            async fn filter_by_public_id(self, id: Uuid, db: &sea_orm::DatabaseConnection) -> Result<Option<Self::Model>, sea_orm::DbErr> {
                use sea_orm::{ColumnTrait, QueryFilter};
                self.filter($module::Column::PublicId.eq(id)).one(db).await
            }
        }
    )*};
}
find_by_public_id!(user, organisation, case, ruling);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_trail_label_reads_back_as_username_and_role() {
        for role in Role::ALL {
            let label = format!("anne.de-vries ({role})");
            assert_eq!(label_parts(&label), ("anne.de-vries", Some(role)));
        }
        assert_eq!(label_parts("systeem"), ("systeem", None));
        assert_eq!(label_parts("x (onbekend)"), ("x", None));
    }
}
