//! Filing a dispute: a new case in `concept`, with the caller's organisation as claimant,
//! checked against the reglement (who may be claimant and respondent for this kind, and
//! whether any path is open for this domain). Its number is drawn from a per-year counter in
//! the same transaction, so numbers are unique and gap-free however many are filed at once.

use chrono::Datelike;
use sea_orm::{
    ActiveValue::{NotSet, Set},
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, TransactionTrait,
    sea_query::{Expr, ExprTrait, OnConflict},
};
use serde_json::json;
use utoipa::ToSchema;
use uuid::Uuid;

use super::{
    access::{CLAIMANT, Loaded, RESPONDENT, state_of},
    bundle::Person,
    facts::{self, Facts},
    trail::{self, Record},
    view::CaseView,
};
use crate::{
    authz::{Action, Resource},
    domain::{
        CaseTitle, OrganisationKind, Prose,
        dispute::{DisputeDomain, DisputeKind},
        procedure::Phase,
    },
    error::{Error, Result, invalid_field as invalid},
    service::{
        Actor, App,
        identity::OrgRef,
        input::{Fields, FromFields},
        now, today,
    },
    storage::entities::{case, case_counter, case_party, organisation},
};

pub const KINDS: [&str; 5] = [
    "binnen_regio",
    "tussen_regios",
    "regio_aanbieder",
    "uittreding",
    "woonplaatsbeginsel",
];
pub const DOMAINS: [&str; 2] = ["jeugd", "bwmo"];
/// More respondents than this is not one dispute but several.
pub const MAX_RESPONDENTS: usize = 25;

#[derive(Debug, ToSchema)]
pub struct NewCase {
    pub kind: DisputeKind,
    pub domain: DisputeDomain,
    #[schema(value_type = String, example = "Tarief gesloten jeugdhulp 2027")]
    pub title: CaseTitle,
    #[schema(value_type = String)]
    pub summary: Prose,
    /// Organisation ids; never the claimant itself.
    pub respondents: Vec<Uuid>,
    /// Per kind: purchasing facts, or for `uittreding` the assessment criteria.
    pub facts: Option<Facts>,
}

impl FromFields for NewCase {
    fn read(f: &mut Fields<'_>) -> Option<Self> {
        let kind = f.required_enum("kind", DisputeKind::parse, &KINDS);
        let domain = f.required_enum("domain", DisputeDomain::parse, &DOMAINS);
        let title = f.required("title", CaseTitle::parse);
        let summary = f.required("summary", Prose::parse);
        let respondents = f.uuid_list("respondents", true, MAX_RESPONDENTS);
        let facts = facts::read(f, kind);
        Some(NewCase {
            kind: kind?,
            domain: domain?,
            title: title?,
            summary: summary?,
            respondents: respondents.ok()?,
            facts: facts.ok()?,
        })
    }
}

/// The next number for `year`, in one statement (an upsert that answers the new value); the
/// counter row is locked from here until the transaction ends, so it comes last.
async fn next_number(db: &impl ConnectionTrait, year: i32) -> Result<String> {
    let row = case_counter::Entity::insert(case_counter::ActiveModel {
        year: Set(year),
        last: Set(1),
    })
    .on_conflict(
        OnConflict::column(case_counter::Column::Year)
            .value(
                case_counter::Column::Last,
                Expr::col((case_counter::Entity, case_counter::Column::Last)).add(1),
            )
            .to_owned(),
    )
    .exec_with_returning(db)
    .await?;
    Ok(format!("GS-{year}-{:04}", row.last))
}

/// The year a moment falls in, in the Netherlands.
pub fn dutch_year(t: chrono::DateTime<chrono::Utc>) -> i32 {
    t.with_timezone(&chrono_tz::Europe::Amsterdam).year()
}

/// The parties of a filing, read in one statement.
pub struct Parties {
    pub claimant: organisation::Model,
    pub respondents: Vec<organisation::Model>,
}

/// The respondents named, checked: they exist, the claimant is not among them, and the
/// reglement lets this claimant bring this kind of dispute against them. The claimant's own
/// row is read in the same statement.
pub async fn respondents_for(app: &App, claimant: &OrgRef, kind: DisputeKind, ids: &[Uuid]) -> Result<Parties> {
    let rows = organisation::Entity::find()
        .filter(
            Condition::any()
                .add(organisation::Column::PublicId.is_in(ids.to_vec()))
                .add(organisation::Column::Id.eq(claimant.internal_id)),
        )
        .all(&app.db)
        .await?;
    let named = |r: &organisation::Model| ids.contains(&r.public_id);
    if rows.iter().any(|r| r.id == claimant.internal_id && named(r)) {
        return Err(invalid(
            "respondents",
            "must not include your own organisation",
            "Uw eigen organisatie kan geen verwerende partij zijn.",
        ));
    }
    let (claimant_rows, respondents): (Vec<_>, Vec<_>) = rows.into_iter().partition(|r| r.id == claimant.internal_id);
    if respondents.len() != ids.len() {
        return Err(invalid(
            "respondents",
            "names an organisation that does not exist",
            "Een van de verwerende partijen bestaat niet.",
        ));
    }
    let claimant_row = claimant_rows
        .into_iter()
        .next()
        .ok_or_else(|| Error::internal("the claimant organisation vanished"))?;
    let kinds: Vec<OrganisationKind> = respondents
        .iter()
        .map(|r| OrganisationKind::parse(&r.kind).ok_or_else(|| Error::internal("unknown organisation kind")))
        .collect::<Result<_>>()?;
    if !app.reglement.parties_fit(kind, claimant.kind, &kinds) {
        return Err(invalid(
            "respondents",
            &format!(
                "the reglement does not allow a {} to bring a '{}' dispute against these parties",
                claimant.kind.as_str(),
                kind.as_str()
            ),
            &format!(
                "Volgens het reglement kan uw organisatie geen '{}' aanspannen tegen deze partijen.",
                app.reglement.kind(kind).label
            ),
        ));
    }
    if kind == DisputeKind::BinnenRegio {
        let parties: Vec<organisation::Model> = std::iter::once(claimant_row.clone())
            .chain(respondents.iter().cloned())
            .collect();
        if !super::regions::in_one_region(&app.db, &parties, today()).await? {
            return Err(invalid(
                "respondents",
                "a dispute within the region is between parties of one region; these parties do not share a region",
                "Een geschil binnen de regio gaat tussen partijen uit één regio; deze partijen horen niet bij dezelfde regio. Kies voor een geschil tussen regio's een andere soort.",
            ));
        }
    }
    Ok(Parties {
        claimant: claimant_row,
        respondents,
    })
}

pub async fn create(app: &App, actor: &Actor, new: NewCase) -> Result<CaseView> {
    app.authorize(actor, Action::CaseCreate, &Resource::Directory("cases"))?;
    let claimant = actor
        .organisation
        .as_ref()
        .ok_or_else(|| Error::Forbidden("only a member of an organisation may file a dispute".into()))?;
    let Parties {
        claimant: claimant_row,
        respondents,
    } = respondents_for(app, claimant, new.kind, &new.respondents).await?;
    let paths = app.reglement.paths(new.kind, new.domain);
    if !paths.mediation && !paths.commission {
        return Err(invalid(
            "domain",
            "the reglement provides no procedure for this kind of dispute in this domain",
            "Het reglement kent voor dit soort geschil in dit domein geen procedure.",
        ));
    }

    let at = now();
    let public_id = Uuid::new_v4();
    let title = new.title.into_inner();
    let facts_json = new.facts.as_ref().map(facts::to_json);
    let by = actor.clone();
    let claimant_id = claimant.internal_id;
    let app_in_tx = app.clone();
    let view = app
        .db
        .transaction::<_, CaseView, Error>(|tx| {
            Box::pin(async move {
                // Written under a provisional number first; the number is drawn last, so that
                // the year's counter stays locked for three statements, not the whole filing.
                let provisional = format!("~{}", &public_id.simple().to_string()[..19]);
                let row = case::Entity::insert(case::ActiveModel {
                    id: NotSet,
                    public_id: Set(public_id),
                    number: Set(provisional),
                    kind: Set(new.kind.as_str().into()),
                    domain: Set(new.domain.as_str().into()),
                    title: Set(title.clone()),
                    summary: Set(new.summary.into_inner()),
                    claimant_id: Set(claimant_id),
                    filed_by: Set(by.internal_id),
                    phase: Set(Phase::Concept.as_str().into()),
                    stage: Set(None),
                    facts: Set(facts_json.clone()),
                    mediator_id: Set(None),
                    chair_id: Set(None),
                    mediation_outcome: Set(None),
                    mediation_summary: Set(None),
                    hearing_at: Set(None),
                    hearing_location: Set(None),
                    hearing_summary: Set(None),
                    closing_reason: Set(None),
                    version: Set(1),
                    created_at: Set(at),
                    updated_at: Set(at),
                    submitted_at: Set(None),
                    closed_at: Set(None),
                    next_due_on: Set(None),
                })
                .exec_with_returning(tx)
                .await?;
                let case_id = row.id;
                let parties: Vec<case_party::Model> = std::iter::once((claimant_id, CLAIMANT))
                    .chain(respondents.iter().map(|r| (r.id, RESPONDENT)))
                    .map(|(organisation_id, side)| case_party::Model {
                        case_id,
                        organisation_id,
                        side: side.into(),
                        phase: row.phase.clone(),
                        kind: row.kind.clone(),
                        waits_until: None,
                        next_due_on: None,
                    })
                    .collect();
                case_party::Entity::insert_many(parties.iter().cloned().map(case_party::ActiveModel::from))
                    .exec(tx)
                    .await?;
                // The answer, from what was written and what was read before: a read after
                // the commit that failed would call a filed case "not filed".
                let organisations = std::iter::once(claimant_row)
                    .chain(respondents.iter().cloned())
                    .map(|o| (o.id, o))
                    .collect();
                let loaded = Loaded {
                    state: state_of(&row)?,
                    case: row,
                    parties,
                    organisations,
                    members: Vec::new(),
                    releases: Vec::new(),
                    suspended: false,
                    written_term_due: None,
                    running_terms: Vec::new(),
                    terms: Vec::new(),
                    suspensions: Vec::new(),
                    submissions: Vec::new(),
                    rulings: Vec::new(),
                    people: [(
                        by.internal_id,
                        Person {
                            id: by.internal_id,
                            public_id: by.id,
                            display_name: by.display_name.clone(),
                        },
                    )]
                    .into(),
                };
                let mut view = super::view::detail(&app_in_tx, &by, &loaded)?;
                let number = next_number(tx, dutch_year(at)).await?;
                case::Entity::update_many()
                    .col_expr(case::Column::Number, Expr::value(number.clone()))
                    .filter(case::Column::Id.eq(case_id))
                    .exec(tx)
                    .await?;
                let record = Record::new("case.create", format!("case {number}")).after(json!({
                    "number": number,
                    "kind": new.kind,
                    "domain": new.domain,
                    "title": title,
                    "respondents": respondents.iter().map(|r| r.public_id).collect::<Vec<_>>(),
                    "facts": facts_json,
                    "phase": Phase::Concept,
                }));
                trail::begin(tx, case_id, &by, record, at).await?;
                view.number = number;
                Ok(view)
            })
        })
        .await?;
    Ok(view)
}
