//! Child rows as one JSON column: a correlated sub-select that aggregates the rows of an
//! entity into a JSON array of objects keyed by field name, so that a case and everything
//! that hangs off it come back in one statement (one round trip) instead of one per table.
//!
//! The SQL differs per database only in its functions (`json_agg`/`json_build_object` on
//! PostgreSQL, `json_group_array`/`json_object` on SQLite) and in how SQLite's storage is
//! turned into JSON that decodes as the column's Rust type: a UUID stored as 16 bytes becomes
//! its hex digits, a boolean stored as 0/1 becomes `true`/`false`, a JSON column stored as
//! text becomes JSON. Decoding is serde's, into the entity's own `Model` (or any struct with
//! the fields selected): a column added to an entity is selected and decoded with no change
//! here.
//!
//! Every identifier comes from the entity definitions; no value is ever written into the
//! SQL, so the `filter` passed in must only compare columns.

use sea_orm::{
    ColumnTrait, ColumnType, DatabaseBackend, DbErr, EntityTrait, IdenStatic, Iterable, QueryResult,
    sea_query::{Expr, SimpleExpr},
};
use serde::de::DeserializeOwned;

/// An expression for the rows of `E` (as alias `t`) that `filter` selects, ordered by
/// `order`, as a JSON array in text: every column, or only `columns`.
pub fn rows<E: EntityTrait>(
    backend: DatabaseBackend,
    columns: Option<&[E::Column]>,
    filter: &str,
    order: &str,
) -> SimpleExpr {
    let table = E::default().table_name().to_owned();
    let all: Vec<E::Column> = match columns {
        Some(c) => c.to_vec(),
        None => E::Column::iter().collect(),
    };
    let fields: Vec<(&str, String)> = all.iter().map(|c| (c.as_str(), value(backend, *c))).collect();
    aggregate(backend, &fields, &format!("\"{table}\" t WHERE {filter}"), order)
}

/// An expression for `fields` (a key and an SQL expression each) of the rows that `from`
/// (a FROM clause without the keyword, with its WHERE) yields, ordered by `order`, as a JSON
/// array of objects in text. The expressions must already be JSON-ready on SQLite (see
/// [`rows`]): text, numbers and dates are.
pub fn aggregate(backend: DatabaseBackend, fields: &[(&str, String)], from: &str, order: &str) -> SimpleExpr {
    let fields = fields
        .iter()
        .map(|(key, expr)| format!("'{key}', {expr}"))
        .collect::<Vec<_>>()
        .join(", ");
    Expr::cust(match backend {
        DatabaseBackend::Postgres => format!(
            "(SELECT COALESCE(json_agg(json_build_object({fields}) ORDER BY {order}), '[]'::json)::text FROM {from})"
        ),
        _ => format!("(SELECT json_group_array(json_object({fields}) ORDER BY {order}) FROM {from})"),
    })
}

/// One column of `t` as a JSON value of the column's Rust type.
fn value<C: ColumnTrait>(backend: DatabaseBackend, c: C) -> String {
    let col = format!("t.\"{}\"", c.as_str());
    if backend == DatabaseBackend::Postgres {
        return col;
    }
    match c.def().get_column_type() {
        ColumnType::Uuid => format!("nullif(lower(hex({col})), '')"),
        ColumnType::Boolean => {
            format!("CASE WHEN {col} IS NULL THEN NULL WHEN {col} THEN json('true') ELSE json('false') END")
        }
        ColumnType::Json | ColumnType::JsonBinary => format!("json({col})"),
        _ => col,
    }
}

/// Decodes the column `name` of `row`, made by [`rows`], into its rows.
pub fn decode<T: DeserializeOwned>(row: &QueryResult, name: &str) -> Result<Vec<T>, DbErr> {
    let text: String = row.try_get("", name)?;
    serde_json::from_str(&text).map_err(|e| DbErr::Custom(format!("column {name}: {e}")))
}
