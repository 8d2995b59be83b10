//! A statement built once and bound on every use. Building a statement of many subqueries
//! with sea-query costs more than the round trip it saves; the text depends only on the
//! database, so it is built once with a sample value standing for each parameter, and where
//! each sample landed is remembered. Whatever order the builder emits the values in (a
//! joined subquery's before the outer `WHERE`'s), they are bound in that order; the values
//! the statement binds itself (a `LIMIT`, a `SELECT 1`) stay as they were built.

use sea_orm::{DatabaseBackend, Statement, StatementBuilder, Value};

#[derive(Debug)]
pub struct Template {
    backend: DatabaseBackend,
    sql: String,
    /// What the statement binds, in order.
    slots: Vec<Slot>,
}

#[derive(Debug)]
enum Slot {
    /// The parameter of this index.
    Parameter(usize),
    /// A value of the statement's own.
    Constant(Value),
}

impl Template {
    /// `statement`, built with `samples` for its parameters: distinct values the statement
    /// does not otherwise bind (fresh UUIDs, say), each standing for the parameter of the
    /// same index in [`Template::bind`].
    ///
    /// # Panics
    /// When two samples are equal, or one is not bound by the statement: a template is made
    /// from constants in code, so that is a programming error.
    pub fn new(backend: DatabaseBackend, statement: &impl StatementBuilder, samples: &[Value]) -> Self {
        for (i, a) in samples.iter().enumerate() {
            assert!(!samples[i + 1..].contains(a), "the samples of a template are distinct");
        }
        let built = backend.build(statement);
        let slots: Vec<Slot> = built
            .values
            .map(|v| v.0)
            .unwrap_or_default()
            .into_iter()
            .map(|v| match samples.iter().position(|s| *s == v) {
                Some(i) => Slot::Parameter(i),
                None => Slot::Constant(v),
            })
            .collect();
        for i in 0..samples.len() {
            assert!(
                slots.iter().any(|s| matches!(s, Slot::Parameter(p) if *p == i)),
                "sample {i} of a template is bound by its statement"
            );
        }
        Self {
            backend,
            sql: built.sql,
            slots,
        }
    }

    /// The statement's text.
    pub fn sql(&self) -> &str {
        &self.sql
    }

    /// The statement with `parameters` bound where their samples stood.
    pub fn bind(&self, parameters: &[Value]) -> Statement {
        Statement::from_sql_and_values(
            self.backend,
            self.sql.as_str(),
            self.slots.iter().map(|slot| match slot {
                Slot::Parameter(i) => parameters[*i].clone(),
                Slot::Constant(v) => v.clone(),
            }),
        )
    }
}

#[cfg(test)]
mod tests {
    use sea_orm::{
        ColumnTrait, EntityTrait, QueryFilter, QuerySelect, QueryTrait,
        sea_query::{Alias, Expr, JoinType, Query},
    };
    use uuid::Uuid;

    use super::*;
    use crate::storage::entities::{case, user};

    #[test]
    fn values_are_bound_where_their_samples_landed_whatever_the_order_they_were_added_in() {
        let (a, b) = (Uuid::from_u128(1), Uuid::from_u128(2));
        // `b` is added first but lands last: the joined subquery is written before the WHERE.
        let mut outer = Query::select();
        outer
            .column((user::Entity, user::Column::Id))
            .from(user::Entity)
            .and_where(user::Column::PublicId.eq(b));
        let inner = case::Entity::find()
            .select_only()
            .column(case::Column::Id)
            .filter(case::Column::PublicId.eq(a))
            .limit(1)
            .into_query();
        outer.join_subquery(JoinType::LeftJoin, inner, Alias::new("c"), Expr::cust("1 = 1"));
        for backend in [DatabaseBackend::Postgres, DatabaseBackend::Sqlite] {
            let t = Template::new(backend, &outer, &[b.into(), a.into()]);
            let (x, y) = (Uuid::from_u128(7), Uuid::from_u128(8));
            let bound = t.bind(&[x.into(), y.into()]);
            // The subquery's own LIMIT stays as built.
            assert_eq!(
                bound.values.unwrap().0,
                vec![Value::from(y), Value::from(1u64), Value::from(x)],
                "{backend:?}"
            );
            assert_eq!(bound.sql, t.sql());
        }
    }

    #[test]
    #[should_panic(expected = "distinct")]
    fn equal_samples_are_refused() {
        let q = Query::select().expr(Expr::val(1)).to_owned();
        Template::new(DatabaseBackend::Sqlite, &q, &[1.into(), 1.into()]);
    }

    #[test]
    #[should_panic(expected = "is bound by its statement")]
    fn a_sample_the_statement_does_not_bind_is_refused() {
        let q = Query::select().expr(Expr::val(1)).to_owned();
        Template::new(DatabaseBackend::Sqlite, &q, &[2.into()]);
    }
}
