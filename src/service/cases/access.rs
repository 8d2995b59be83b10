//! Who may see a case, in one place: as a pure rule for a loaded case ([`may_see`]) and as the
//! same rule in SQL for lists ([`visible_condition`]). Parties see their organisation's cases
//! (a case never filed, such as a concept, only its filer), mediators and commission members the cases assigned to them,
//! the secretary every filed case, the administrator none. A case the caller may not see is
//! answered exactly as one that does not exist.

use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, sea_query::Query};
use uuid::Uuid;

use crate::{
    domain::{
        Role,
        procedure::{Participant, Phase},
    },
    error::{Error, Result},
    service::Actor,
    storage::entities::{case, case_commission_member, case_party},
};

pub const CLAIMANT: &str = "verzoeker";
pub const RESPONDENT: &str = "verweerder";

/// A case with the people and organisations who stand in it.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub case: case::Model,
    pub parties: Vec<case_party::Model>,
    /// Commission members (not the chair).
    pub members: Vec<i32>,
}

impl Loaded {
    pub fn phase(&self) -> Phase {
        Phase::parse(&self.case.phase).unwrap_or(Phase::Concept)
    }
    pub fn is_party(&self, organisation_id: i32) -> bool {
        self.parties.iter().any(|p| p.organisation_id == organisation_id)
    }
    pub fn respondents(&self) -> impl Iterator<Item = i32> + '_ {
        self.parties
            .iter()
            .filter(|p| p.side == RESPONDENT)
            .map(|p| p.organisation_id)
    }
}

fn is_party_role(role: Role) -> bool {
    matches!(role, Role::Gemeente | Role::Regio | Role::Aanbieder)
}

/// Whether `actor` may see the case at all.
pub fn may_see(actor: &Actor, c: &Loaded) -> bool {
    // A concept withdrawn before filing stays the filer's: "never filed", not "in concept".
    let concept = c.case.submitted_at.is_none();
    match actor.role {
        role if is_party_role(role) => {
            if concept {
                c.case.filed_by == actor.internal_id
            } else {
                actor.organisation.as_ref().is_some_and(|o| c.is_party(o.internal_id))
            }
        }
        Role::Secretaris => !concept,
        Role::Bemiddelaar => c.case.mediator_id == Some(actor.internal_id),
        Role::Commissielid => c.case.chair_id == Some(actor.internal_id) || c.members.contains(&actor.internal_id),
        _ => false,
    }
}

/// The same rule as [`may_see`], as a condition on `cases` for list queries.
pub fn visible_condition(actor: &Actor) -> Condition {
    let nothing = Condition::all().add(case::Column::Id.lt(0));
    match actor.role {
        role if is_party_role(role) => {
            let Some(org) = &actor.organisation else {
                return nothing;
            };
            let own_cases = Query::select()
                .column(case_party::Column::CaseId)
                .from(case_party::Entity)
                .and_where(case_party::Column::OrganisationId.eq(org.internal_id))
                .to_owned();
            Condition::any()
                .add(
                    Condition::all()
                        .add(case::Column::SubmittedAt.is_not_null())
                        .add(case::Column::Id.in_subquery(own_cases)),
                )
                .add(
                    Condition::all()
                        .add(case::Column::SubmittedAt.is_null())
                        .add(case::Column::FiledBy.eq(actor.internal_id)),
                )
        }
        Role::Secretaris => Condition::all().add(case::Column::SubmittedAt.is_not_null()),
        Role::Bemiddelaar => Condition::all().add(case::Column::MediatorId.eq(actor.internal_id)),
        Role::Commissielid => {
            let member_of = Query::select()
                .column(case_commission_member::Column::CaseId)
                .from(case_commission_member::Entity)
                .and_where(case_commission_member::Column::UserId.eq(actor.internal_id))
                .to_owned();
            Condition::any()
                .add(case::Column::ChairId.eq(actor.internal_id))
                .add(case::Column::Id.in_subquery(member_of))
        }
        _ => nothing,
    }
}

/// Loads a case with its parties and members.
pub async fn load(db: &impl ConnectionTrait, c: case::Model) -> Result<Loaded> {
    let parties = case_party::Entity::find()
        .filter(case_party::Column::CaseId.eq(c.id))
        .all(db)
        .await?;
    let members = case_commission_member::Entity::find()
        .filter(case_commission_member::Column::CaseId.eq(c.id))
        .select_only()
        .column(case_commission_member::Column::UserId)
        .into_tuple::<i32>()
        .all(db)
        .await?;
    Ok(Loaded {
        case: c,
        parties,
        members,
    })
}

/// The case with this public id, if `actor` may see it; otherwise 404.
pub async fn visible(db: &impl ConnectionTrait, actor: &Actor, id: Uuid) -> Result<Loaded> {
    let c = case::Entity::find()
        .filter(case::Column::PublicId.eq(id))
        .one(db)
        .await?
        .ok_or(Error::NotFound("case"))?;
    let loaded = load(db, c).await?;
    if may_see(actor, &loaded) {
        Ok(loaded)
    } else {
        Err(Error::NotFound("case"))
    }
}

/// Who `actor` is in this case, for the state machine.
pub fn participant(actor: &Actor, c: &Loaded) -> Participant {
    let org = actor.organisation.as_ref().map(|o| o.internal_id);
    let side = |side: &str| org.is_some_and(|o| c.parties.iter().any(|p| p.organisation_id == o && p.side == side));
    Participant {
        role: Some(actor.role),
        claimant: side(CLAIMANT),
        respondent: side(RESPONDENT),
        mediator: c.case.mediator_id == Some(actor.internal_id),
        chair: c.case.chair_id == Some(actor.internal_id),
    }
}
