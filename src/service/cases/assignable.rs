//! Who the secretary can assign to a case: mediators, and commission members (the chair
//! from those who may chair). Disabled accounts are left out. For a given case, each person
//! who may not act in it is named with the reason (the conflict check of the assigning step).

use std::collections::HashMap;

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use super::{access::visible, conflicts::conflict_of, rulebook, view::PersonView};
use crate::{
    domain::{Role, procedure::Step, rules::Action},
    error::Result,
    service::{Actor, App, today},
    storage::entities::user,
};

/// The roles the secretary assigns to cases, whose declared affiliations the conflict check
/// reads.
pub const ROLES: [Role; 2] = [Role::Bemiddelaar, Role::Commissielid];

pub struct Assignable {
    pub mediators: Vec<PersonView>,
    pub chairs: Vec<PersonView>,
    pub members: Vec<PersonView>,
    /// For a case: why a person may not act in it (in Dutch), by their id.
    pub conflicts: HashMap<Uuid, String>,
    /// How a choice names each person: their name, and where two share a name, their e-mail
    /// address (or username) after it, so that the chair and a member called alike are told
    /// apart.
    pub names: HashMap<Uuid, String>,
}

impl Assignable {
    pub fn name_of(&self, p: &PersonView) -> String {
        self.names.get(&p.id).cloned().unwrap_or_else(|| p.display_name.clone())
    }
}

/// Who may be assigned, and for case `id` who may not act in it and why: the same check the
/// assigning step makes, shown before the choice rather than after it.
pub async fn assignable_for(app: &App, actor: &Actor, id: Uuid) -> Result<Assignable> {
    let c = visible(&app.db, actor, id).await?;
    // Who may be assigned is shown to whoever may assign in this case now.
    let offered = rulebook::available_actions(app, actor, &c)?;
    let assigning = [Step::AssignMediator, Step::AssignCommission];
    if !assigning.iter().any(|s| offered.contains(&Action::Step(*s))) {
        rulebook::check(app, actor, &c, Action::Step(Step::AssignCommission))?;
    }
    let (mut found, people) = people(app).await?;
    for person in &people {
        if let Some((_, nl)) = conflict_of(&app.db, person, &c, today()).await? {
            found.conflicts.insert(person.public_id, nl);
        }
    }
    Ok(found)
}

/// Each person's name in a choice (see [`Assignable::names`]).
fn names(people: &[user::Model]) -> HashMap<Uuid, String> {
    let mut count: HashMap<&str, usize> = HashMap::new();
    for p in people {
        *count.entry(p.display_name.trim()).or_default() += 1;
    }
    people
        .iter()
        .map(|p| {
            let name = if count[p.display_name.trim()] > 1 {
                format!("{} ({})", p.display_name, p.email.as_deref().unwrap_or(&p.username))
            } else {
                p.display_name.clone()
            };
            (p.public_id, name)
        })
        .collect()
}

async fn people(app: &App) -> Result<(Assignable, Vec<user::Model>)> {
    let people = user::Entity::find()
        .filter(user::Column::Role.is_in(ROLES.map(|r| r.as_str())))
        .filter(user::Column::DisabledAt.is_null())
        .order_by_asc(user::Column::DisplayName)
        .all(&app.db)
        .await?;
    let view = |u: &user::Model| PersonView {
        id: u.public_id,
        display_name: u.display_name.clone(),
    };
    let found = Assignable {
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
        conflicts: HashMap::new(),
        names: names(&people),
    };
    Ok((found, people))
}
