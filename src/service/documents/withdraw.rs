//! The secretary withdraws a document from the case, with a reason. The record stays (with
//! the withdrawal), the bytes stay in the store until the retention rules remove them, and
//! the content is no longer offered.

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, TransactionTrait, sea_query::Expr};
use serde_json::json;
use uuid::Uuid;

use super::{
    DocumentView,
    view::views,
    visibility::{Seen, visible_document},
};
use crate::{
    domain::{
        Reason,
        rules::{self, Action},
    },
    error::{Error, Result},
    service::{
        Actor, App,
        cases::trail::{self, Record},
        input::{Fields, FromFields},
        now,
    },
    storage::entities::document,
};

#[derive(Debug, utoipa::ToSchema)]
pub struct Withdraw {
    #[schema(value_type = String)]
    pub reason: Reason,
}

impl FromFields for Withdraw {
    fn read(f: &mut Fields<'_>) -> Option<Self> {
        Some(Withdraw {
            reason: f.required("reason", Reason::parse)?,
        })
    }
}

pub async fn withdraw(app: &App, actor: &Actor, case_id: Uuid, document_id: Uuid, w: Withdraw) -> Result<DocumentView> {
    let seen = Seen::load(app, actor, case_id).await?;
    let doc = visible_document(&app.db, actor, &seen, document_id).await?;
    seen.check(Action::WithdrawDocument {
        withdrawn: doc.withdrawn_at.is_some(),
    })?;
    let at = now();
    let reason = w.reason.into_inner();
    let record = Record::new("document.withdraw", format!("case {}", seen.case.case.number))
        .reason(Some(reason.clone()))
        .after(json!({ "document": doc.public_id }));
    let (by, case_id, id) = (actor.clone(), doc.case_id, doc.id);
    let (situation, who) = (seen.situation, seen.who);
    app.db
        .transaction::<_, (), Error>(|tx| {
            Box::pin(async move {
                trail::change(tx, case_id, None, &by, record, at).await?;
                let done = document::Entity::update_many()
                    .col_expr(document::Column::WithdrawnAt, Expr::value(at))
                    .col_expr(document::Column::WithdrawnBy, Expr::value(by.internal_id))
                    .col_expr(document::Column::WithdrawalReason, Expr::value(reason))
                    .filter(document::Column::Id.eq(id))
                    .filter(document::Column::WithdrawnAt.is_null())
                    .exec(tx)
                    .await?;
                if done.rows_affected == 0 {
                    // Withdrawn meanwhile by someone else: the rule book's answer for that.
                    return Err(Error::Refused(
                        rules::may(&situation, &who, Action::WithdrawDocument { withdrawn: true })
                            .expect_err("a withdrawn document is never withdrawn again"),
                    ));
                }
                Ok(())
            })
        })
        .await?;
    let doc = visible_document(&app.db, actor, &seen, document_id).await?;
    Ok(views(&app.db, &seen.case, vec![doc]).await?.remove(0))
}
