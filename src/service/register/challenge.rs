//! A ruling challenged in court: a party may ask the court to annul a binding advice
//! (vernietiging, art. 7:904 BW). The secretary records the challenge and, later, its outcome;
//! the case's trail keeps each change and the ruling's public page shows it (the court, the
//! dates and the outcome — never the secretary's note).

use chrono::NaiveDate;
use sea_orm::{ActiveValue::Set, EntityTrait, TransactionTrait, sea_query::OnConflict};
use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::{
    domain::{OrganisationName, Reason, rules::Action},
    error::{Error, Result},
    service::{
        Actor, App,
        cases::{
            access::visible,
            rulebook,
            trail::{self, Record},
        },
        input::{Fields, FromFields},
        now, today,
    },
    storage::entities::court_challenge,
};

/// Where a challenge stands: pending, or how the court decided.
pub const OUTCOMES: [(&str, &str); 4] = [
    ("aanhangig", "Aanhangig bij de rechter"),
    ("vernietigd", "Vernietigd door de rechter"),
    ("in_stand", "In stand gelaten door de rechter"),
    ("ingetrokken", "Ingetrokken"),
];

pub fn outcome_nl(code: &str) -> &'static str {
    OUTCOMES.iter().find(|(c, _)| *c == code).map_or("Onbekend", |(_, l)| l)
}

/// The challenge as recorded.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ChallengeView {
    /// The day the challenge was brought.
    pub filed_on: NaiveDate,
    /// The court (e.g. "Rechtbank Limburg").
    pub court: String,
    /// `aanhangig`, `vernietigd`, `in_stand` or `ingetrokken`.
    pub outcome: String,
    /// The day the court decided (or the challenge was withdrawn).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decided_on: Option<NaiveDate>,
}

impl ChallengeView {
    pub fn outcome_nl(&self) -> &'static str {
        outcome_nl(&self.outcome)
    }
}

/// What the secretary records.
#[derive(Debug, ToSchema)]
pub struct ChallengeInput {
    pub filed_on: NaiveDate,
    #[schema(value_type = String)]
    pub court: OrganisationName,
    /// `aanhangig` (the default), `vernietigd`, `in_stand` or `ingetrokken`.
    pub outcome: String,
    /// Required unless `aanhangig`.
    pub decided_on: Option<NaiveDate>,
    /// For the case file only; never public.
    #[schema(value_type = Option<String>)]
    pub note: Option<Reason>,
}

impl FromFields for ChallengeInput {
    fn read(f: &mut Fields<'_>) -> Option<Self> {
        let codes: Vec<&str> = OUTCOMES.iter().map(|(c, _)| *c).collect();
        let filed_on = f.required_date("filed_on");
        let court = f.required("court", OrganisationName::parse);
        let outcome = f.optional_enum("outcome", |o| codes.contains(&o).then(|| o.to_owned()), &codes);
        let decided_on = f.optional_date("decided_on");
        let note = f.optional("note", Reason::parse);
        let (filed_on, court) = (filed_on?, court?);
        let (outcome, decided_on, note) = (outcome.ok()?, decided_on.ok()?, note.ok()?);
        let outcome = outcome.unwrap_or_else(|| "aanhangig".to_owned());
        let today = today();
        if filed_on > today {
            f.error(
                "filed_on",
                "lies in the future",
                "De datum van het beroep ligt in de toekomst.",
            );
            return None;
        }
        match decided_on {
            None if outcome != "aanhangig" => {
                f.error(
                    "decided_on",
                    "is required once the court decided or the challenge was withdrawn",
                    "Vul de datum in waarop de rechter besliste of het beroep werd ingetrokken.",
                );
                return None;
            }
            Some(_) if outcome == "aanhangig" => {
                f.error(
                    "decided_on",
                    "is only given once the court decided",
                    "Een datum van de beslissing hoort pas bij een beslissing van de rechter.",
                );
                return None;
            }
            Some(d) if d < filed_on || d > today => {
                f.error(
                    "decided_on",
                    "must lie between the challenge and today",
                    "De datum van de beslissing ligt tussen de datum van het beroep en vandaag.",
                );
                return None;
            }
            _ => {}
        }
        Some(ChallengeInput {
            filed_on,
            court,
            outcome,
            decided_on,
            note,
        })
    }
}

/// The challenge of the case's ruling as the public may see it, if there is one.
pub async fn public(app: &App, case_id: i32) -> Result<Option<ChallengeView>> {
    Ok(court_challenge::Entity::find_by_id(case_id)
        .one(&app.db)
        .await?
        .map(view))
}

fn view(m: court_challenge::Model) -> ChallengeView {
    ChallengeView {
        filed_on: m.filed_on,
        court: m.court,
        outcome: m.outcome,
        decided_on: m.decided_on,
    }
}

/// The challenge as recorded, for those who may record it (404 before it is).
pub async fn get(app: &App, actor: &Actor, id: Uuid) -> Result<Option<(ChallengeView, Option<String>)>> {
    let c = visible(&app.db, actor, id).await?;
    rulebook::check(app, actor, &c, Action::RecordChallenge)?;
    Ok(court_challenge::Entity::find_by_id(c.case.id)
        .one(&app.db)
        .await?
        .map(|m| {
            let note = m.note.clone();
            (view(m), note)
        }))
}

/// Records (or brings up to date) the challenge of the case's ruling.
pub async fn record(app: &App, actor: &Actor, id: Uuid, input: ChallengeInput) -> Result<ChallengeView> {
    let c = visible(&app.db, actor, id).await?;
    rulebook::check(app, actor, &c, Action::RecordChallenge)?;
    let ruled_on = c
        .rulings
        .iter()
        .map(|r| r.adopted_on)
        .min()
        .ok_or(Error::NotFound("ruling"))?;
    if input.filed_on < ruled_on {
        return Err(crate::error::invalid_field(
            "filed_on",
            "lies before the ruling",
            "De datum van het beroep ligt voor de uitspraak.",
        ));
    }
    let (case_id, number, at, by) = (c.case.id, c.case.number.clone(), now(), actor.clone());
    let row = court_challenge::ActiveModel {
        case_id: Set(case_id),
        filed_on: Set(input.filed_on),
        court: Set(input.court.as_str().to_owned()),
        outcome: Set(input.outcome.clone()),
        decided_on: Set(input.decided_on),
        note: Set(input.note.map(Reason::into_inner)),
        recorded_by: Set(actor.internal_id),
        recorded_at: Set(at),
    };
    let shown = ChallengeView {
        filed_on: input.filed_on,
        court: input.court.into_inner(),
        outcome: input.outcome,
        decided_on: input.decided_on,
    };
    let after = json!({ "filed_on": shown.filed_on, "court": shown.court, "outcome": shown.outcome, "decided_on": shown.decided_on });
    app.db
        .transaction::<_, (), Error>(|tx| {
            Box::pin(async move {
                let record = Record::new("ruling.challenge", format!("case {number}")).after(after);
                trail::change(tx, case_id, None, &by, record, at).await?;
                court_challenge::Entity::insert(row)
                    .on_conflict(
                        OnConflict::column(court_challenge::Column::CaseId)
                            .update_columns([
                                court_challenge::Column::FiledOn,
                                court_challenge::Column::Court,
                                court_challenge::Column::Outcome,
                                court_challenge::Column::DecidedOn,
                                court_challenge::Column::Note,
                                court_challenge::Column::RecordedBy,
                                court_challenge::Column::RecordedAt,
                            ])
                            .to_owned(),
                    )
                    .exec_without_returning(tx)
                    .await?;
                Ok(())
            })
        })
        .await?;
    Ok(shown)
}
