//! The ruling's public version: the secretary prepares it (personal data found and replaced
//! by [`crate::domain::anonymise`]), reviews it (undoes a replacement or adds one) and decides:
//! publish it in full, publish a summary only, or withhold it with a reason. Nothing
//! unreviewed is public: a decision publishes exactly the text the last preparation showed,
//! for the ruling version it was prepared for, and never one with a BSN, an e-mail address
//! or an IBAN in it.
//!
//! Decision: preparing again (after a publication, to catch something missed, or after a
//! correction) takes the case's ruling out of the register until the new decision — better
//! briefly absent than public with something that should not be.

use std::collections::BTreeMap;

use sea_orm::{
    ActiveValue::{NotSet, Set},
    ColumnTrait, EntityTrait, QueryFilter, TransactionTrait,
};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use utoipa::ToSchema;
use uuid::Uuid;

use super::{
    issue,
    public_text::{ReplacementView, anonymised, plain_text},
};
use crate::{
    domain::{
        Reason,
        anonymise::{self, Rules},
        rules::Action,
    },
    error::{Error, Result, invalid_field},
    service::{
        Actor, App,
        cases::{
            access::{Loaded, visible},
            bundle::{self, Bundle},
            rulebook,
            trail::{self, Record},
        },
        input::{Fields, FromFields},
        now,
    },
    storage::entities::{publication, user},
};

/// The secretary's review: found text to keep as written, text to replace as well.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct Review {
    /// Found text that stays as written (e.g. a word taken for a name).
    #[serde(default)]
    pub keep: Vec<String>,
    /// Text to replace wherever it appears, with what replaces it (e.g. a child's first name).
    #[serde(default)]
    pub add: BTreeMap<String, String>,
}

/// The publication as it stands.
#[derive(Debug, Serialize, ToSchema)]
pub struct PublicationView {
    /// `concept` (prepared, not decided), `volledig`, `samenvatting` or `achtergehouden`.
    pub status: String,
    /// The public text (as proposed while in concept).
    pub text: String,
    pub replacements: Vec<ReplacementView>,
    pub keep: Vec<String>,
    pub add: BTreeMap<String, String>,
    pub summary: Option<String>,
    pub reason: Option<String>,
    pub published_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// The secretary's decision.
#[derive(Debug, ToSchema)]
pub struct Decision {
    /// `volledig` (the default), `samenvatting` or `achtergehouden`.
    pub mode: String,
    /// The summary to publish (for `samenvatting`).
    #[schema(value_type = Option<String>)]
    pub summary: Option<Reason>,
    /// Why (required for `achtergehouden`).
    #[schema(value_type = Option<String>)]
    pub reason: Option<Reason>,
}

const MODES: [&str; 3] = ["volledig", "samenvatting", "achtergehouden"];

impl FromFields for Decision {
    fn read(f: &mut Fields<'_>) -> Option<Self> {
        let mode = f.optional_enum("mode", |m| MODES.contains(&m).then(|| m.to_owned()), &MODES);
        let summary = f.optional("summary", Reason::parse);
        let reason = f.optional("reason", Reason::parse);
        let mode = mode.ok()?.unwrap_or_else(|| "volledig".to_owned());
        let (summary, reason) = (summary.ok()?, reason.ok()?);
        if mode == "samenvatting" && summary.is_none() {
            f.error(
                "summary",
                "is required to publish a summary",
                "Schrijf de samenvatting die wordt gepubliceerd.",
            );
            return None;
        }
        if mode == "achtergehouden" && reason.is_none() {
            f.error(
                "reason",
                "is required to withhold a ruling",
                "Geef de reden waarom de uitspraak niet wordt gepubliceerd.",
            );
            return None;
        }
        Some(Decision { mode, summary, reason })
    }
}

/// The names of natural persons the case knows: everyone it names (filer, mediator, chair,
/// members) and every user of a party's organisation (its contact persons).
async fn known_names(app: &App, b: &Bundle) -> Result<Vec<String>> {
    let mut names: Vec<String> = b.people.values().map(|p| p.display_name.clone()).collect();
    let orgs: Vec<i32> = b.parties.iter().map(|p| p.organisation_id).collect();
    let users = user::Entity::find()
        .filter(user::Column::OrganisationId.is_in(orgs))
        .all(&app.db)
        .await?;
    names.extend(users.into_iter().map(|u| u.display_name));
    names.sort();
    names.dedup();
    Ok(names)
}

struct Proposal {
    ruling_id: i32,
    data: Value,
    text: String,
    replacements: Vec<ReplacementView>,
}

async fn propose(app: &App, c: &Loaded, rules: &Rules) -> Result<Proposal> {
    let b = bundle::fetch(&app.db, c.case.public_id)
        .await?
        .ok_or(Error::NotFound("case"))?;
    let (r, data) = issue::current_data(app, &b).await?.ok_or(Error::NotFound("ruling"))?;
    let known = known_names(app, &b).await?;
    let (data, replacements) = anonymised(&data, &known, rules);
    Ok(Proposal {
        ruling_id: r.id,
        text: plain_text(&data),
        data,
        replacements,
    })
}

fn rules_of(review: Review) -> Rules {
    Rules {
        keep: review.keep.into_iter().filter(|k| !k.trim().is_empty()).collect(),
        add: review.add.into_iter().filter(|(k, _)| !k.trim().is_empty()).collect(),
    }
}

/// Prepares (or prepares again, with the secretary's review) the public version; it is not
/// public until [`publish`].
pub async fn prepare(app: &App, actor: &Actor, id: Uuid, review: Review) -> Result<PublicationView> {
    let c = visible(&app.db, actor, id).await?;
    rulebook::check(app, actor, &c, Action::PublishRuling)?;
    for (original, replacement) in &review.add {
        if original.trim().chars().count() < 2 || replacement.trim().is_empty() {
            return Err(invalid_field(
                "add",
                "each added replacement needs the text (at least 2 characters) and what replaces it",
                "Geef bij elke toegevoegde vervanging de tekst (minstens 2 tekens) en waardoor die wordt vervangen.",
            ));
        }
    }
    let rules = rules_of(review);
    let p = propose(app, &c, &rules).await?;
    let (case_id, number, at, by) = (c.case.id, c.case.number.clone(), now(), actor.clone());
    let ruling = c
        .rulings
        .iter()
        .find(|r| r.id == p.ruling_id)
        .ok_or(Error::NotFound("ruling"))?;
    let (kind, outcome, ruled_on) = (c.case.kind.clone(), ruling.outcome.clone(), ruling.adopted_on);
    let row = publication::ActiveModel {
        case_id: Set(case_id),
        ruling_id: Set(p.ruling_id),
        number: Set(number.clone()),
        status: Set("concept".to_owned()),
        rules: Set(serde_json::to_string(&rules).map_err(Error::internal)?),
        public_data: Set(p.data.to_string()),
        text: Set(p.text.clone()),
        summary: Set(None),
        reason: Set(None),
        kind: Set(kind),
        outcome: Set(outcome),
        ruled_on: Set(ruled_on),
        prepared_by: Set(actor.internal_id),
        prepared_at: Set(at),
        decided_by: Set(None),
        published_at: Set(None),
    };
    let count = p.replacements.len();
    let view = PublicationView {
        status: "concept".to_owned(),
        text: p.text,
        replacements: p.replacements,
        keep: rules.keep.clone(),
        add: rules.add.clone(),
        summary: None,
        reason: None,
        published_at: None,
    };
    app.db
        .transaction::<_, (), Error>(|tx| {
            Box::pin(async move {
                let record = Record::new("ruling.prepare-publication", format!("case {number}"))
                    .after(json!({ "replacements": count, "kept": rules.keep.len(), "added": rules.add.len() }));
                trail::change(tx, case_id, None, &by, record, at).await?;
                publication::Entity::delete_by_id(case_id).exec(tx).await?;
                publication::Entity::insert(row).exec_without_returning(tx).await?;
                Ok(())
            })
        })
        .await?;
    // What was just proposed and stored: not read and anonymised again.
    Ok(view)
}

/// The publication as it stands, for the secretary (404 before it was prepared).
pub async fn get(app: &App, actor: &Actor, id: Uuid) -> Result<PublicationView> {
    let c = visible(&app.db, actor, id).await?;
    rulebook::check(app, actor, &c, Action::PublishRuling)?;
    let row = publication::Entity::find_by_id(c.case.id)
        .one(&app.db)
        .await?
        .ok_or(Error::NotFound("publication"))?;
    let rules: Rules = serde_json::from_str(&row.rules).map_err(Error::internal)?;
    let replacements = if row.status == "concept" {
        propose(app, &c, &rules).await?.replacements
    } else {
        Vec::new()
    };
    Ok(PublicationView {
        status: row.status,
        text: row.text,
        replacements,
        keep: rules.keep,
        add: rules.add,
        summary: row.summary,
        reason: row.reason,
        published_at: row.published_at,
    })
}

/// Decides the prepared publication: exactly the text prepared, for the ruling version it was
/// prepared for, and never with a BSN, an e-mail address or an IBAN in it.
pub async fn publish(app: &App, actor: &Actor, id: Uuid, decision: Decision) -> Result<PublicationView> {
    let c = visible(&app.db, actor, id).await?;
    rulebook::check(app, actor, &c, Action::PublishRuling)?;
    let row = publication::Entity::find_by_id(c.case.id)
        .one(&app.db)
        .await?
        .filter(|r| r.status == "concept")
        .ok_or_else(|| {
            Error::Conflict(
                "prepare the public version first: only a prepared, reviewed version is published".into(),
                "Bereid eerst de openbare versie voor: alleen een voorbereide, nagekeken versie wordt gepubliceerd."
                    .into(),
            )
        })?;
    let rules: Rules = serde_json::from_str(&row.rules).map_err(Error::internal)?;
    let p = propose(app, &c, &rules).await?;
    if p.ruling_id != row.ruling_id || p.text != row.text {
        return Err(Error::Conflict(
            "the ruling or the case changed since the public version was prepared; prepare and review it again".into(),
            "De uitspraak of het geschil is gewijzigd sinds de openbare versie werd voorbereid; bereid haar opnieuw voor en kijk haar na.".into(),
        ));
    }
    let mut leaks = anonymise::must_not_publish(&row.text);
    if let Some(s) = &decision.summary {
        leaks.extend(anonymise::must_not_publish(s.as_str()));
    }
    if !leaks.is_empty() {
        let kinds: Vec<&str> = leaks.iter().map(|f| f.kind.nl()).collect();
        return Err(Error::Unprocessable(
            format!(
                "the public text still holds personal data that is never published: {}",
                kinds.join(", ")
            ),
            format!(
                "De openbare tekst bevat nog gegevens die nooit worden gepubliceerd: {}. Maak het ongedaan maken van die vervanging ongedaan.",
                kinds.join(", ")
            ),
        ));
    }
    let (case_id, number, at, by) = (c.case.id, c.case.number.clone(), now(), actor.clone());
    let mode = decision.mode.clone();
    let update = publication::ActiveModel {
        case_id: Set(case_id),
        status: Set(mode.clone()),
        summary: Set(decision.summary.as_ref().map(|s| s.as_str().to_owned())),
        reason: Set(decision.reason.as_ref().map(|s| s.as_str().to_owned())),
        decided_by: Set(Some(actor.internal_id)),
        published_at: Set((mode != "achtergehouden").then_some(at)),
        ruling_id: NotSet,
        number: NotSet,
        rules: NotSet,
        public_data: NotSet,
        text: NotSet,
        kind: NotSet,
        outcome: NotSet,
        ruled_on: NotSet,
        prepared_by: NotSet,
        prepared_at: NotSet,
    };
    let reason = decision.reason.map(Reason::into_inner);
    app.db
        .transaction::<_, (), Error>(|tx| {
            Box::pin(async move {
                let record = Record::new("ruling.publish", format!("case {number}"))
                    .reason(reason)
                    .after(json!({ "mode": mode }));
                trail::change(tx, case_id, None, &by, record, at).await?;
                publication::Entity::update(update).exec(tx).await?;
                Ok(())
            })
        })
        .await?;
    get(app, actor, id).await
}
