//! An account's credentials: disabling and enabling it, and its password. Every change raises
//! the credentials version in the same transaction as its audit record, which ends every
//! token issued before it on every node at once.

use sea_orm::{
    ColumnTrait, EntityTrait, QueryFilter, TransactionTrait,
    sea_query::{Expr, ExprTrait},
};
use serde_json::json;
use utoipa::ToSchema;
use uuid::Uuid;

use super::{
    Actor, App, audit,
    input::{Fields, FromFields, Unread},
    users::{UserView, find, view},
};
use crate::{
    authz::{Action, Resource},
    domain::Password,
    error::{Error, FieldError, Result},
    storage::entities::{calendar_feed, user},
};

#[derive(Debug, ToSchema)]
pub struct PasswordChange {
    #[schema(value_type = String, format = Password)]
    pub current_password: String,
    #[schema(value_type = String, format = Password, min_length = 12)]
    pub new_password: Password,
}

impl FromFields for PasswordChange {
    fn read(f: &mut Fields<'_>) -> Option<Self> {
        let current = f.required_raw("current_password");
        let new = f.required("new_password", Password::parse);
        Some(Self {
            current_password: current?,
            new_password: new?,
        })
    }
}

#[derive(Debug, ToSchema)]
pub struct NewPassword {
    #[schema(value_type = String, format = Password, min_length = 12)]
    pub password: Password,
}

impl FromFields for NewPassword {
    fn read(f: &mut Fields<'_>) -> Option<Self> {
        Some(Self {
            password: f.required("password", Password::parse)?,
        })
    }
}

pub async fn set_disabled(app: &App, actor: &Actor, id: Uuid, disabled: bool) -> Result<UserView> {
    app.authorize(actor, Action::UserUpdate, &Resource::User(id))?;
    if disabled && id == actor.id {
        return Err(Error::Conflict(
            "you cannot disable your own account".into(),
            "U kunt uw eigen account niet blokkeren.".into(),
        ));
    }
    update_disabled(app, Some(actor), "", find(app, id).await?, disabled).await
}

pub async fn update_disabled(
    app: &App,
    actor: Option<&Actor>,
    label: &str,
    u: user::Model,
    disabled: bool,
) -> Result<UserView> {
    if u.disabled_at.is_some() == disabled {
        return view(app, u).await;
    }
    let change = audit::Change::of(
        if disabled { "user.disabled" } else { "user.enabled" },
        "user",
        u.public_id,
    )
    .before(json!({"disabled": !disabled}))
    .after(json!({"disabled": disabled}));
    let disabled_at = Expr::value(disabled.then(super::now));
    let row = change_credentials(
        app,
        actor,
        label,
        u.id,
        vec![(user::Column::DisabledAt, disabled_at)],
        change,
    )
    .await?;
    view(app, row).await
}

pub async fn reset_password(app: &App, actor: &Actor, id: Uuid, new: Unread<NewPassword>) -> Result<()> {
    app.authorize(actor, Action::UserUpdate, &Resource::User(id))?;
    let password = new.read()?.password;
    store_password(app, Some(actor), "", find(app, id).await?, password).await
}

pub async fn change_own_password(app: &App, actor: &Actor, change: PasswordChange) -> Result<()> {
    app.authorize(actor, Action::SelfChangePassword, &Resource::User(actor.id))?;
    let u = find(app, actor.id).await?;
    if !app
        .hasher
        .verify(&change.current_password, Some(&u.password_hash))
        .await?
    {
        return Err(Error::Validation(vec![FieldError::with_nl(
            "current_password",
            "is not your current password",
            "Het huidige wachtwoord klopt niet.",
        )]));
    }
    store_password(app, Some(actor), "", u, change.new_password).await
}

pub async fn store_password(
    app: &App,
    actor: Option<&Actor>,
    label: &str,
    u: user::Model,
    password: Password,
) -> Result<()> {
    let hash = app.hasher.hash(&password).await?;
    let change = audit::Change::of("user.password_changed", "user", u.public_id);
    change_credentials(
        app,
        actor,
        label,
        u.id,
        vec![(user::Column::PasswordHash, Expr::value(hash))],
        change,
    )
    .await?;
    Ok(())
}

/// Applies `changes` to a user together with a raised credentials version — which ends every
/// token and session issued before — the end of their calendar feed, and the audit record,
/// in one transaction.
async fn change_credentials(
    app: &App,
    actor: Option<&Actor>,
    label: &str,
    user_id: i32,
    changes: Vec<(user::Column, Expr)>,
    change: audit::Change<'static>,
) -> Result<user::Model> {
    let actor = actor.cloned();
    let label = label.to_owned();
    let row = app
        .db
        .transaction::<_, user::Model, Error>(|tx| {
            Box::pin(async move {
                let mut update = user::Entity::update_many()
                    .col_expr(
                        user::Column::CredentialsVersion,
                        Expr::col(user::Column::CredentialsVersion).add(1),
                    )
                    .col_expr(user::Column::UpdatedAt, Expr::value(super::now()))
                    .filter(user::Column::Id.eq(user_id));
                for (column, value) in changes {
                    update = update.col_expr(column, value);
                }
                let row = update
                    .exec_with_returning(tx)
                    .await?
                    .into_iter()
                    .next()
                    .ok_or(Error::NotFound("user"))?;
                // The calendar feed's secret address is a credential too: it ends with them.
                calendar_feed::Entity::delete_by_id(user_id).exec(tx).await?;
                audit::record(tx, actor.as_ref(), &label, change).await?;
                Ok(row)
            })
        })
        .await?;
    Ok(row)
}
