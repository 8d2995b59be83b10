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

/// Resolves a bearer token to the acting user, or refuses with 401.
pub async fn authenticate(app: &App, token: &str) -> Result<Actor> {
    let now = chrono::Utc::now().timestamp();
    let claims = app.tokens.verify(token, now).map_err(|e| match e {
        crate::auth::token::TokenError::Expired => Error::Unauthenticated("the access token has expired"),
        crate::auth::token::TokenError::Invalid => Error::Unauthenticated(UNAUTHENTICATED),
    })?;
    // One query: the person, their organisation, and that the token was not ended.
    let not_ended = sea_orm::sea_query::Query::select()
        .expr(sea_orm::sea_query::Expr::val(1))
        .from(access_token::Entity)
        .and_where(access_token::Column::Jti.eq(claims.jti))
        .and_where(access_token::Column::RevokedAt.is_null())
        .to_owned();
    let condition = sea_orm::Condition::all()
        .add(user::Column::PublicId.eq(claims.sub))
        .add(sea_orm::sea_query::Expr::exists(not_ended));
    let (user, organisation) = with_organisation(&app.db, condition)
        .await?
        .ok_or(Error::Unauthenticated(UNAUTHENTICATED))?;
    super::sessions::touch_token(app, claims.jti).await?;
    if user.disabled_at.is_some() || user.credentials_version != claims.ver {
        return Err(Error::Unauthenticated(
            "the access token is no longer valid; sign in again",
        ));
    }
    actor_with(user, organisation.as_ref())
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
    let role = Role::parse(&user.role).ok_or_else(|| Error::internal(format!("unknown role {}", user.role)))?;
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

pub fn org_ref(org: &organisation::Model) -> Result<OrgRef> {
    let kind = OrganisationKind::parse(&org.kind)
        .ok_or_else(|| Error::internal(format!("unknown organisation kind {}", org.kind)))?;
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
