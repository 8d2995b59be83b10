//! The ruling's public version: the secretary prepares it (personal data found and replaced
//! by [`crate::domain::anonymise`]), reviews it (undoes a replacement or adds one) and decides:
//! publish it in full, publish a summary only, or withhold it with a reason. Nothing
//! unreviewed is public: a decision publishes exactly the text the last preparation showed,
//! for the ruling version it was prepared for, and never one with a BSN, an e-mail address
//! or an IBAN in it.
//!
//! The review is kept apart from what is public (`publication_reviews` beside
//! `publications`): preparing again — after a correction (verbetering), or to catch something
//! missed — leaves the published version in the register, marked on its page when the
//! commission corrected the ruling since, until the secretary decides on the new one. To take
//! a ruling off the register at once, the secretary withholds it.

use std::collections::BTreeMap;

use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, TransactionTrait};
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
        search_words,
    },
    error::{Error, Result, invalid_field},
    service::register::index,
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
    storage::entities::{publication, publication_review, user},
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
    /// What the register shows now while a new version is under review: `volledig` or
    /// `samenvatting` (absent when nothing is public).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub public: Option<String>,
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
    let row = publication_review::ActiveModel {
        case_id: Set(case_id),
        ruling_id: Set(ruling.id),
        rules: Set(serde_json::to_string(&rules).map_err(Error::internal)?),
        public_data: Set(p.data.to_string()),
        text: Set(p.text.clone()),
        prepared_by: Set(actor.internal_id),
        prepared_at: Set(at),
    };
    let public = public_now(app, case_id).await?;
    let count = p.replacements.len();
    let view = PublicationView {
        status: "concept".to_owned(),
        public: public.as_ref().map(|r| r.status.clone()),
        text: p.text,
        replacements: p.replacements,
        keep: rules.keep.clone(),
        add: rules.add.clone(),
        summary: None,
        reason: None,
        published_at: public.and_then(|r| r.published_at),
    };
    app.db
        .transaction::<_, (), Error>(|tx| {
            Box::pin(async move {
                let record = Record::new("ruling.prepare-publication", format!("case {number}"))
                    .after(json!({ "replacements": count, "kept": rules.keep.len(), "added": rules.add.len() }));
                trail::change(tx, case_id, None, &by, record, at).await?;
                publication_review::Entity::delete_by_id(case_id).exec(tx).await?;
                publication_review::Entity::insert(row)
                    .exec_without_returning(tx)
                    .await?;
                Ok(())
            })
        })
        .await?;
    // What was just proposed and stored: not read and anonymised again.
    Ok(view)
}

/// What the register shows of the case now (published in full or as a summary), if anything.
async fn public_now(app: &App, case_id: i32) -> Result<Option<publication::Model>> {
    Ok(publication::Entity::find_by_id(case_id)
        .one(&app.db)
        .await?
        .filter(|r| r.published_at.is_some()))
}

/// The publication as it stands, for the secretary (404 before it was prepared).
pub async fn get(app: &App, actor: &Actor, id: Uuid) -> Result<PublicationView> {
    let c = visible(&app.db, actor, id).await?;
    rulebook::check(app, actor, &c, Action::PublishRuling)?;
    let decided = publication::Entity::find_by_id(c.case.id).one(&app.db).await?;
    let public = decided
        .as_ref()
        .filter(|r| r.published_at.is_some())
        .map(|r| r.status.clone());
    if let Some(review) = publication_review::Entity::find_by_id(c.case.id).one(&app.db).await? {
        let rules: Rules = serde_json::from_str(&review.rules).map_err(Error::internal)?;
        return Ok(PublicationView {
            status: "concept".to_owned(),
            public,
            text: review.text,
            replacements: propose(app, &c, &rules).await?.replacements,
            keep: rules.keep,
            add: rules.add,
            summary: None,
            reason: None,
            published_at: decided.and_then(|r| r.published_at),
        });
    }
    let row = decided.ok_or(Error::NotFound("publication"))?;
    let rules: Rules = serde_json::from_str(&row.rules).map_err(Error::internal)?;
    Ok(PublicationView {
        status: row.status,
        public: None,
        text: row.text,
        replacements: Vec::new(),
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
    let row = publication_review::Entity::find_by_id(c.case.id)
        .one(&app.db)
        .await?
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
                "De openbare tekst bevat nog gegevens die nooit worden gepubliceerd: {}. Laat die gegevens vervangen voordat u publiceert.",
                kinds.join(", ")
            ),
        ));
    }
    let ruling = c
        .rulings
        .iter()
        .find(|r| r.id == row.ruling_id)
        .ok_or(Error::NotFound("ruling"))?;
    let filing = index::filing(app, &c.case).await?;
    let (case_id, number, at, by) = (c.case.id, c.case.number.clone(), now(), actor.clone());
    let mode = decision.mode.clone();
    let public = mode != "achtergehouden";
    let summary = decision.summary.as_ref().map(|s| s.as_str().to_owned());
    let shown = match mode.as_str() {
        "samenvatting" => summary.clone().unwrap_or_default(),
        _ => row.text.clone(),
    };
    let decided = publication::Model {
        case_id,
        ruling_id: row.ruling_id,
        number: number.clone(),
        status: mode.clone(),
        rules: row.rules,
        public_data: row.public_data,
        text: row.text,
        summary,
        reason: decision.reason.map(Reason::into_inner),
        kind: c.case.kind.clone(),
        outcome: ruling.outcome.clone(),
        ruled_on: ruling.adopted_on,
        prepared_by: row.prepared_by,
        prepared_at: row.prepared_at,
        decided_by: Some(actor.internal_id),
        published_at: public.then_some(at),
        chamber: filing.chamber,
        search_text: if public {
            search_words::plain(&shown)
        } else {
            String::new()
        },
    };
    let reason = decided.reason.clone();
    let facets = filing.facets;
    app.db
        .transaction::<_, (), Error>(|tx| {
            Box::pin(async move {
                let record = Record::new("ruling.publish", format!("case {number}"))
                    .reason(reason)
                    .after(json!({ "mode": mode }));
                trail::change(tx, case_id, None, &by, record, at).await?;
                index::remove(tx, case_id).await?;
                publication::Entity::delete_by_id(case_id).exec(tx).await?;
                publication::Entity::insert(publication::ActiveModel::from(decided.clone()))
                    .exec_without_returning(tx)
                    .await?;
                if public {
                    index::put(tx, &decided, &facets).await?;
                }
                publication_review::Entity::delete_by_id(case_id).exec(tx).await?;
                Ok(())
            })
        })
        .await?;
    get(app, actor, id).await
}
