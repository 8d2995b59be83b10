//! The case list: only what the caller may see (filtered in the query itself), newest first,
//! keyset-paginated on the case's id so that page 1,000 costs what page 1 costs, and
//! filterable by phase, kind, domain, party, region and text.

use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseBackend, EntityName, EntityTrait, FromQueryResult, QueryFilter,
    QueryOrder, QuerySelect, QueryTrait, Statement,
    sea_query::{Expr, ExprTrait, Func, LikeExpr, Query},
};
use uuid::Uuid;

use super::{
    access::{CLAIMANT, kind_and_domain, party_to, phase_and_stage, visible_page},
    create::{DOMAINS, KINDS},
    narrowing::{Narrowing, Waiting},
    view::CaseSummary,
};
use crate::{
    authz::{Action, Resource},
    domain::{
        dispute::{DisputeDomain, DisputeKind},
        procedure::Phase,
    },
    error::{Error, FieldError, Result},
    service::{
        Actor, App,
        organisations::{MAX_PAGE, Page, like_pattern},
    },
    storage::{
        entities::{case, case_party, organisation, region_membership},
        json_rows::{aggregate, decode},
    },
};

#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CaseFilter {
    /// Only cases in this phase.
    pub phase: Option<String>,
    /// Only disputes of this kind.
    pub kind: Option<String>,
    /// `jeugd` or `bwmo`.
    pub domain: Option<String>,
    /// Only cases in which this organisation is a party (either side).
    pub party: Option<Uuid>,
    /// Only cases in which this region, or a current member of it, is a party.
    pub region: Option<Uuid>,
    /// Text in the title or the case number (case-insensitive).
    pub q: Option<String>,
    /// `true`: only cases with a running term that waits on the caller — on their
    /// organisation's side for a party, on their role otherwise (the secretary, the
    /// mediator, the chair).
    pub waiting_on_me: Option<bool>,
    /// `true`: only cases with a running term whose last day has passed.
    pub overdue: Option<bool>,
    /// From `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Page size, 1–200 (default 50).
    pub limit: Option<u64>,
}

fn some(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

pub async fn list(app: &App, actor: &Actor, filter: CaseFilter) -> Result<Page<CaseSummary>> {
    app.authorize(actor, Action::CaseList, &Resource::Directory("cases"))?;
    let mut errors = Vec::new();
    let mut bad = |field: &str, message: String| errors.push(FieldError::new(field, &message));
    let phase = some(&filter.phase).and_then(|p| {
        Phase::parse(p).or_else(|| {
            let all: Vec<_> = Phase::ALL.iter().map(|p| p.as_str()).collect();
            bad("phase", format!("must be one of: {}", all.join(", ")));
            None
        })
    });
    let kind = some(&filter.kind).and_then(|k| {
        DisputeKind::parse(k).or_else(|| {
            bad("kind", format!("must be one of: {}", KINDS.join(", ")));
            None
        })
    });
    let domain = some(&filter.domain).and_then(|d| {
        DisputeDomain::parse(d).or_else(|| {
            bad("domain", format!("must be one of: {}", DOMAINS.join(", ")));
            None
        })
    });
    let limit = filter.limit.unwrap_or(50);
    if !(1..=MAX_PAGE).contains(&limit) {
        bad("limit", "must be from 1 to 200".into());
    }
    let cursor = match some(&filter.cursor) {
        None => None,
        Some(c) => {
            let found = match Uuid::parse_str(c) {
                Ok(id) => {
                    case::Entity::find()
                        .select_only()
                        .column(case::Column::Id)
                        .filter(case::Column::PublicId.eq(id))
                        .into_tuple::<i32>()
                        .one(&app.db)
                        .await?
                }
                Err(_) => None,
            };
            if found.is_none() {
                bad("cursor", "is not a cursor from this list".into());
            }
            found
        }
    };
    let party = match filter.party {
        None => None,
        Some(id) => Some(organisation_id(app, id).await?.ok_or(("party", ()))),
    };
    let region = match filter.region {
        None => None,
        Some(id) => Some(organisation_id(app, id).await?.ok_or(("region", ()))),
    };
    for (field, r) in [("party", &party), ("region", &region)] {
        if let Some(Err(_)) = r {
            bad(field, "names an organisation that does not exist".into());
        }
    }
    if !errors.is_empty() {
        return Err(Error::Validation(errors));
    }

    let narrowing = Narrowing {
        phase,
        kind,
        waiting: (filter.waiting_on_me == Some(true)).then(|| Waiting::of(actor)),
        overdue_before: (filter.overdue == Some(true)).then(crate::service::today),
    };
    // Besides the narrowing, which each walk applies in its own way (see `visible_page`).
    let mut filters = Condition::all();
    if let Some(d) = domain {
        filters = filters.add(case::Column::Domain.eq(d.as_str()));
    }
    if let Some(Ok(org)) = party {
        filters = filters.add(party_to(org));
    }
    if let Some(Ok(region)) = region {
        let today = crate::service::today();
        let members = Query::select()
            .column(region_membership::Column::MemberId)
            .from(region_membership::Entity)
            .and_where(region_membership::Column::RegionId.eq(region))
            .cond_where(super::regions::holding_on(today))
            .to_owned();
        filters = filters.add(
            case::Column::Id.in_subquery(
                Query::select()
                    .column(case_party::Column::CaseId)
                    .from(case_party::Entity)
                    .cond_where(
                        Condition::any()
                            .add(case_party::Column::OrganisationId.eq(region))
                            .add(case_party::Column::OrganisationId.in_subquery(members)),
                    )
                    .to_owned(),
            ),
        );
    }
    if let Some(text) = some(&filter.q) {
        let pattern = like_pattern(text);
        let lower = |c: case::Column| Expr::expr(Func::lower(Expr::col(c)));
        filters = filters.add(
            Condition::any()
                .add(lower(case::Column::Title).like(LikeExpr::new(pattern.clone()).escape('\\')))
                .add(lower(case::Column::Number).like(LikeExpr::new(pattern).escape('\\'))),
        );
    }
    // Planned once per connection on PostgreSQL, not at every page (see `literal_limits`).
    let query = crate::storage::literal_limits(page_statement(
        app.db.get_database_backend(),
        actor,
        filters,
        &narrowing,
        cursor,
        limit + 1,
    ));
    let mut rows = app
        .db
        .query_all_raw(query)
        .await?
        .iter()
        .map(|row| {
            Ok((
                ListedCase::from_query_result(row, "")?,
                decode::<PartyName>(row, "b_parties")?,
            ))
        })
        .collect::<std::result::Result<Vec<_>, sea_orm::DbErr>>()?;
    let next_cursor = if rows.len() as u64 > limit {
        rows.truncate(limit as usize);
        rows.last().map(|(r, _)| r.public_id.to_string())
    } else {
        None
    };
    let items = rows
        .into_iter()
        .map(|(case, parties)| case.summary(parties))
        .collect::<Result<_>>()?;
    Ok(Page { items, next_cursor })
}

/// One statement for a page: the page's ids (walking the index, see `visible_page`), their
/// rows by primary key — only the columns a summary shows — and each case's parties by name
/// as a JSON column (`b_parties`).
pub fn page_statement(
    backend: DatabaseBackend,
    actor: &Actor,
    filters: Condition,
    narrowing: &Narrowing,
    cursor: Option<i32>,
    limit: u64,
) -> Statement {
    let parties = case_party::Entity.table_name();
    let organisations = organisation::Entity.table_name();
    case::Entity::find()
        .select_only()
        .columns(ListedCase::COLUMNS)
        .filter(case::Column::Id.in_subquery(visible_page(actor, filters, narrowing, cursor, limit)))
        .order_by_desc(case::Column::Id)
        .expr_as(
            aggregate(
                backend,
                &[("side", r#"p."side""#.into()), ("name", r#"o."name""#.into())],
                &format!(
                    r#""{parties}" p JOIN "{organisations}" o ON o."id" = p."organisation_id" WHERE p."case_id" = "cases"."id""#
                ),
                r#"o."name""#,
            ),
            "b_parties",
        )
        .build(backend)
}

/// A listed case: what its summary shows, and no more (a case's summary text and facts stay
/// in the database).
#[derive(FromQueryResult)]
struct ListedCase {
    public_id: Uuid,
    number: String,
    kind: String,
    domain: String,
    title: String,
    phase: String,
    stage: Option<String>,
    created_at: chrono::DateTime<chrono::Utc>,
    updated_at: chrono::DateTime<chrono::Utc>,
}

impl ListedCase {
    const COLUMNS: [case::Column; 9] = [
        case::Column::PublicId,
        case::Column::Number,
        case::Column::Kind,
        case::Column::Domain,
        case::Column::Title,
        case::Column::Phase,
        case::Column::Stage,
        case::Column::CreatedAt,
        case::Column::UpdatedAt,
    ];

    /// Its summary, with its parties' names (`b_parties`).
    fn summary(self, parties: Vec<PartyName>) -> Result<CaseSummary> {
        let (kind, domain) = kind_and_domain(&self.kind, &self.domain)?;
        let (phase, stage) = phase_and_stage(&self.number, &self.phase, self.stage.as_deref())?;
        let (claimants, mut respondents): (Vec<PartyName>, Vec<PartyName>) =
            parties.into_iter().partition(|p| p.side == CLAIMANT);
        respondents.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(CaseSummary {
            id: self.public_id,
            number: self.number,
            kind,
            domain,
            title: self.title,
            phase,
            stage,
            claimant: claimants.into_iter().next().map(|p| p.name).unwrap_or_default(),
            respondents: respondents.into_iter().map(|p| p.name).collect(),
            created_at: self.created_at,
            updated_at: self.updated_at,
        })
    }
}

/// A party of a listed case, by name.
#[derive(serde::Deserialize)]
struct PartyName {
    side: String,
    name: String,
}

async fn organisation_id(app: &App, id: Uuid) -> Result<Option<i32>> {
    Ok(organisation::Entity::find()
        .select_only()
        .column(organisation::Column::Id)
        .filter(organisation::Column::PublicId.eq(id))
        .into_tuple::<i32>()
        .one(&app.db)
        .await?)
}
