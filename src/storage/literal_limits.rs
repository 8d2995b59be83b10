//! Limits written as numbers in a PostgreSQL statement, so that PostgreSQL may plan it once.
//!
//! sea-query binds every `LIMIT` as a parameter. PostgreSQL plans a prepared statement for its
//! values five times, then compares a plan for any values (a generic plan) and keeps that if
//! it costs no more; with a limit unknown it must assume a tenth of the rows are wanted, the
//! generic plan looks dear, and a statement like the case list is planned afresh at every
//! execution — about a millisecond of PostgreSQL's time per page at a million cases, more than
//! reading the page. A page's limit is a number we chose (1 to 201), never text a user wrote,
//! so it may stand in the statement; the other values stay bound. SQLite plans when it prepares,
//! whatever the values: its statements are left as they are.

use sea_orm::{DatabaseBackend, Statement, Value, Values};

/// `statement` with each parameter that a `LIMIT` binds written as its number, and the other
/// parameters numbered on.
pub fn literal_limits(statement: Statement) -> Statement {
    if statement.db_backend != DatabaseBackend::Postgres {
        return statement;
    }
    let Some(Values(values)) = statement.values else {
        return statement;
    };
    let number = |n: usize| -> Option<u64> {
        match values.get(n.checked_sub(1)?)? {
            Value::BigUnsigned(Some(v)) => Some(*v),
            Value::Unsigned(Some(v)) => Some(u64::from(*v)),
            Value::BigInt(Some(v)) => u64::try_from(*v).ok(),
            Value::Int(Some(v)) => u64::try_from(*v).ok(),
            _ => None,
        }
    };
    let limits: Vec<usize> = placeholders(&statement.sql)
        .filter(|(at, n)| statement.sql[..*at].trim_end().ends_with("LIMIT") && number(*n).is_some())
        .map(|(_, n)| n)
        .collect();
    let mut sql = String::with_capacity(statement.sql.len());
    let mut from = 0;
    for (at, n) in placeholders(&statement.sql) {
        sql.push_str(&statement.sql[from..at]);
        from = at + 1 + digits(n);
        match number(n).filter(|_| limits.contains(&n)) {
            Some(v) => sql.push_str(&v.to_string()),
            None => sql.push_str(&format!("${}", n - limits.iter().filter(|l| **l < n).count())),
        }
    }
    sql.push_str(&statement.sql[from..]);
    let values = values
        .into_iter()
        .enumerate()
        .filter(|(i, _)| !limits.contains(&(i + 1)))
        .map(|(_, v)| v)
        .collect();
    Statement {
        sql,
        values: Some(Values(values)),
        db_backend: statement.db_backend,
    }
}

fn digits(n: usize) -> usize {
    n.to_string().len()
}

/// Each `$n` outside quotes: its byte offset and `n`.
fn placeholders(sql: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let bytes = sql.as_bytes();
    let mut quote = None;
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < bytes.len() {
            let (at, b) = (i, bytes[i]);
            i += 1;
            match (quote, b) {
                (Some(q), _) if b == q => quote = None,
                (Some(_), _) => {}
                (None, b'\'' | b'"') => quote = Some(b),
                (None, b'$') => {
                    let end = bytes[i..]
                        .iter()
                        .position(|c| !c.is_ascii_digit())
                        .map_or(bytes.len(), |p| i + p);
                    if end > i {
                        let n = sql[i..end].parse().ok()?;
                        i = end;
                        return Some((at, n));
                    }
                }
                _ => {}
            }
        }
        None
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pg(sql: &str, values: Vec<Value>) -> Statement {
        Statement::from_sql_and_values(DatabaseBackend::Postgres, sql, values)
    }

    #[test]
    fn limits_become_numbers_and_the_other_parameters_are_numbered_on() {
        let s = literal_limits(pg(
            r#"SELECT "id" FROM (SELECT "id" FROM "t" WHERE "a" = $1 LIMIT $2) AS "x" WHERE "b" = '$3 LIMIT' AND "c" = $3 ORDER BY "id" LIMIT $4"#,
            vec![7i32.into(), 51u64.into(), "z".into(), 201u64.into()],
        ));
        assert_eq!(
            s.sql,
            r#"SELECT "id" FROM (SELECT "id" FROM "t" WHERE "a" = $1 LIMIT 51) AS "x" WHERE "b" = '$3 LIMIT' AND "c" = $2 ORDER BY "id" LIMIT 201"#
        );
        assert_eq!(s.values.unwrap().0, vec![Value::from(7i32), Value::from("z")]);
    }

    #[test]
    fn ten_parameters_and_more_keep_their_numbers_straight() {
        let mut values: Vec<Value> = (1..=11).map(|i: i32| i.into()).collect();
        values[1] = 5u64.into();
        let s = literal_limits(pg(
            "SELECT 1 WHERE a IN ($1, $3, $4, $5, $6, $7, $8, $9, $10, $11) LIMIT $2",
            values,
        ));
        assert_eq!(
            s.sql,
            "SELECT 1 WHERE a IN ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) LIMIT 5"
        );
        assert_eq!(s.values.unwrap().0.len(), 10);
    }

    #[test]
    fn text_after_limit_and_sqlite_are_left_alone() {
        let s = literal_limits(pg("SELECT 1 LIMIT $1", vec!["9".into()]));
        assert_eq!(s.sql, "SELECT 1 LIMIT $1");
        let sqlite = Statement::from_sql_and_values(DatabaseBackend::Sqlite, "SELECT 1 LIMIT ?", vec![5u64.into()]);
        assert_eq!(literal_limits(sqlite.clone()).sql, sqlite.sql);
    }
}
