//! A case and everything that hangs off it, read in one statement: the case's row, with its
//! parties and their organisations, commission members, releases of the mediation notes,
//! terms, suspensions, written submissions, rulings and the people named in them, each as a
//! JSON column made by [`json_rows`]. One round trip where there were nine; every later read
//! of the request (the rule book, the case's view) works from what this returns.

use std::{collections::HashMap, sync::OnceLock};

use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseBackend, EntityName, EntityTrait, FromQueryResult, IdenStatic, QueryFilter,
    QueryResult, QuerySelect, QueryTrait, Statement,
    sea_query::{Alias, Asterisk, Expr, JoinType, SelectStatement, SimpleExpr},
};
use uuid::Uuid;

use crate::{
    error::Result,
    service::identity,
    storage::{
        entities::{
            case, case_commission_member, case_party, case_submission, case_suspension, case_term, mediation_release,
            organisation, ruling, user,
        },
        json_rows::{decode, rows},
        template::Template,
    },
};

/// A person named in a case: only what a view shows (never a user's whole row).
#[derive(Debug, Clone, serde::Deserialize)]
pub struct Person {
    pub id: i32,
    pub public_id: Uuid,
    pub display_name: String,
}

#[derive(Debug, Clone)]
pub struct Bundle {
    pub case: case::Model,
    pub parties: Vec<case_party::Model>,
    pub organisations: HashMap<i32, organisation::Model>,
    pub members: Vec<i32>,
    pub releases: Vec<mediation_release::Model>,
    pub terms: Vec<case_term::Model>,
    pub suspensions: Vec<case_suspension::Model>,
    pub submissions: Vec<case_submission::Model>,
    pub rulings: Vec<ruling::Model>,
    pub people: HashMap<i32, Person>,
}

/// The case with this public id and everything that hangs off it, or `None`.
pub async fn fetch(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<Bundle>> {
    // The statement's text depends only on the database: made once, then only bound.
    static TEMPLATE: [OnceLock<Template>; 2] = [OnceLock::new(), OnceLock::new()];
    let backend = db.get_database_backend();
    let template = TEMPLATE[usize::from(backend == DatabaseBackend::Postgres)]
        .get_or_init(|| Template::new(backend, &select(backend, SAMPLE_CASE), &[SAMPLE_CASE.into()]));
    match db.query_one_raw(template.bind(&[id.into()])).await? {
        Some(row) => Ok(Some(of_row(&row)?)),
        None => Ok(None),
    }
}

/// The caller a presented token names (see [`identity::caller_select`]) and the case with
/// this public id with everything that hangs off it, in one statement: a request for a case
/// makes one round trip, not one for the caller and one for the case. No caller when the
/// token's person or the token itself is gone (then no case is read either); no case when
/// there is none with this id. (On PostgreSQL; SQLite reads the two one after the other.)
pub async fn fetch_as(
    db: &impl ConnectionTrait,
    presented: &identity::Presented,
    id: Uuid,
) -> Result<(Option<identity::Caller>, Option<Bundle>)> {
    let backend = db.get_database_backend();
    if backend == DatabaseBackend::Sqlite {
        // SQLite is in the process, so a second statement costs no round trip; and with the
        // case joined beside the caller, its planner walks every term of the database
        // instead of the case's (`tests/api/query_shape.rs`). Two statements there.
        let Some(caller) = identity::caller(db, presented.condition()).await? else {
            return Ok((None, None));
        };
        return Ok((Some(caller), fetch(db, id).await?));
    }
    let Some(row) = db.query_one_raw(statement_as(backend, presented, id)).await? else {
        return Ok((None, None));
    };
    let caller = identity::caller_of(&row)?;
    let found = row.try_get::<Option<i32>>("", case::Column::Id.as_str())?.is_some();
    Ok((Some(caller), if found { Some(of_row(&row)?) } else { None }))
}

/// The statement [`fetch_as`] sends: the caller's columns, and beside them (joined to them
/// on nothing, so empty when there is no such case) the case's statement.
pub fn statement_as(backend: DatabaseBackend, presented: &identity::Presented, id: Uuid) -> Statement {
    static TEMPLATE: [OnceLock<Template>; 2] = [OnceLock::new(), OnceLock::new()];
    let template = TEMPLATE[usize::from(backend == DatabaseBackend::Postgres)].get_or_init(|| {
        let (sub, jti) = (Uuid::from_u128(1), Uuid::from_u128(2));
        let mut q = identity::caller_select(identity::Presented::sample(sub, jti).condition());
        q.column((Alias::new("b"), Asterisk)).join_subquery(
            JoinType::LeftJoin,
            select(backend, SAMPLE_CASE),
            Alias::new("b"),
            Expr::cust("1 = 1"),
        );
        Template::new(backend, &q, &[sub.into(), jti.into(), SAMPLE_CASE.into()])
    });
    let [sub, jti] = presented.parameters();
    template.bind(&[sub.into(), jti.into(), id.into()])
}

/// The public id a template's statement is built with (see [`Template`]).
const SAMPLE_CASE: Uuid = Uuid::from_u128(3);

fn of_row(row: &QueryResult) -> Result<Bundle> {
    Ok(Bundle {
        case: case::Model::from_query_result(row, "")?,
        parties: decode(row, "b_parties")?,
        organisations: decode::<organisation::Model>(row, "b_organisations")?
            .into_iter()
            .map(|o| (o.id, o))
            .collect(),
        members: decode::<case_commission_member::Model>(row, "b_members")?
            .into_iter()
            .map(|m| m.user_id)
            .collect(),
        releases: decode(row, "b_releases")?,
        terms: decode(row, "b_terms")?,
        suspensions: decode(row, "b_suspensions")?,
        submissions: decode(row, "b_submissions")?,
        rulings: decode(row, "b_rulings")?,
        people: decode::<Person>(row, "b_people")?
            .into_iter()
            .map(|p| (p.id, p))
            .collect(),
    })
}

/// The rows of `E` that belong to the case (by `case_id`), ordered by `order`.
fn of_case<E: EntityTrait>(backend: DatabaseBackend, order: E::Column) -> SimpleExpr {
    rows::<E>(
        backend,
        None,
        r#"t."case_id" = "cases"."id""#,
        &format!(r#"t."{}""#, order.as_str()),
    )
}

/// The statement, for a case whose public id is its one parameter.
pub fn statement(backend: DatabaseBackend) -> Statement {
    backend.build(&select(backend, Uuid::nil()))
}

/// The query for the case with public id `id`.
fn select(backend: DatabaseBackend, id: Uuid) -> SelectStatement {
    let parties = case_party::Entity.table_name();
    let members = case_commission_member::Entity.table_name();
    let rulings = ruling::Entity.table_name();
    case::Entity::find()
        .expr_as(
            of_case::<case_party::Entity>(backend, case_party::Column::OrganisationId),
            "b_parties",
        )
        .expr_as(
            rows::<organisation::Entity>(
                backend,
                None,
                &format!(r#"t."id" IN (SELECT "organisation_id" FROM "{parties}" WHERE "case_id" = "cases"."id")"#),
                r#"t."id""#,
            ),
            "b_organisations",
        )
        .expr_as(
            of_case::<case_commission_member::Entity>(backend, case_commission_member::Column::UserId),
            "b_members",
        )
        .expr_as(
            of_case::<mediation_release::Entity>(backend, mediation_release::Column::OrganisationId),
            "b_releases",
        )
        .expr_as(of_case::<case_term::Entity>(backend, case_term::Column::Id), "b_terms")
        .expr_as(
            of_case::<case_suspension::Entity>(backend, case_suspension::Column::Id),
            "b_suspensions",
        )
        .expr_as(
            of_case::<case_submission::Entity>(backend, case_submission::Column::Id),
            "b_submissions",
        )
        .expr_as(of_case::<ruling::Entity>(backend, ruling::Column::Id), "b_rulings")
        .expr_as(
            rows::<user::Entity>(
                backend,
                Some(&[user::Column::Id, user::Column::PublicId, user::Column::DisplayName]),
                // One IN over a union: the planner walks the users' primary key for each
                // (an OR of INs would read every user).
                &format!(
                    r#"t."id" IN (SELECT "cases"."filed_by" UNION ALL SELECT "cases"."mediator_id"
                    UNION ALL SELECT "cases"."chair_id"
                    UNION ALL SELECT "user_id" FROM "{members}" WHERE "case_id" = "cases"."id"
                    UNION ALL SELECT "chair_id" FROM "{rulings}" WHERE "case_id" = "cases"."id")"#
                ),
                r#"t."id""#,
            ),
            "b_people",
        )
        .filter(case::Column::PublicId.eq(id))
        .into_query()
}
