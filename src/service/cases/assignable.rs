//! Who the secretary can assign to a case: mediators, and commission members (the chair
//! from those who may chair). Disabled accounts are left out.

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use super::view::PersonView;
use crate::{
    domain::{Role, procedure::Refusal},
    error::{Error, Result},
    service::{Actor, App},
    storage::entities::user,
};

pub struct Assignable {
    pub mediators: Vec<PersonView>,
    pub chairs: Vec<PersonView>,
    pub members: Vec<PersonView>,
}

pub async fn assignable(app: &App, actor: &Actor) -> Result<Assignable> {
    if actor.role != Role::Secretaris {
        return Err(Error::Refused(Refusal::forbidden(
            "only the secretary assigns people to cases",
            "Alleen de secretaris wijst mensen toe aan een geschil.",
        )));
    }
    let people = user::Entity::find()
        .filter(user::Column::Role.is_in([Role::Bemiddelaar.as_str(), Role::Commissielid.as_str()]))
        .filter(user::Column::DisabledAt.is_null())
        .order_by_asc(user::Column::DisplayName)
        .all(&app.db)
        .await?;
    let view = |u: &user::Model| PersonView {
        id: u.public_id,
        display_name: u.display_name.clone(),
    };
    Ok(Assignable {
        mediators: people
            .iter()
            .filter(|u| u.role == Role::Bemiddelaar.as_str())
            .map(view)
            .collect(),
        chairs: people
            .iter()
            .filter(|u| u.role == Role::Commissielid.as_str() && u.may_chair)
            .map(view)
            .collect(),
        members: people
            .iter()
            .filter(|u| u.role == Role::Commissielid.as_str())
            .map(view)
            .collect(),
    })
}
