//! Cases and everything recorded in them: parties, the commission's members, written
//! submissions, mediation sessions and the release of their notes, rulings (immutable; a
//! correction is a new row pointing at the one it corrects), correspondence, the per-year
//! case number counters, declared affiliations (for conflict-of-interest checks), and the
//! hash-chained audit trail of each case.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

fn fk(table: &str, col: &str, to: &str) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(table.to_owned(), col.to_owned())
        .to(to.to_owned(), "id")
        .on_delete(ForeignKeyAction::Restrict)
        .to_owned()
}

fn index(name: &str, table: &str, cols: &[&str]) -> IndexCreateStatement {
    let mut i = Index::create();
    i.name(name).table(table.to_owned());
    for c in cols {
        IndexCreateStatement::col(&mut i, String::from(*c));
    }
    i.to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("case_counters")
                .col(integer("year").primary_key())
                .col(integer("last"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("cases")
                .col(pk_auto("id"))
                .col(uuid_uniq("public_id"))
                .col(string_len_uniq("number", 20))
                .col(string_len("kind", 32))
                .col(string_len("domain", 8))
                .col(string_len("title", 200))
                .col(text("summary"))
                .col(integer("claimant_id"))
                .col(integer("filed_by"))
                .col(string_len("phase", 32))
                .col(string_len_null("stage", 32))
                .col(json_null("facts"))
                .col(integer_null("mediator_id"))
                .col(integer_null("chair_id"))
                .col(string_len_null("mediation_outcome", 32))
                .col(text_null("mediation_summary"))
                .col(timestamp_with_time_zone_null("hearing_at"))
                .col(string_len_null("hearing_location", 200))
                .col(text_null("hearing_summary"))
                .col(text_null("closing_reason"))
                .col(integer("version"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .col(timestamp_with_time_zone_null("submitted_at"))
                .col(timestamp_with_time_zone_null("closed_at"))
                .foreign_key(&mut fk("cases", "claimant_id", "organisations"))
                .foreign_key(&mut fk("cases", "filed_by", "users"))
                .foreign_key(&mut fk("cases", "mediator_id", "users"))
                .foreign_key(&mut fk("cases", "chair_id", "users"))
                .to_owned(),
        )
        .await?;
        for (name, cols) in [
            ("cases_phase", &["phase", "id"][..]),
            ("cases_kind", &["kind", "id"][..]),
            // Each ends in the id, so "mine, newest first" walks one index without sorting.
            ("cases_mediator", &["mediator_id", "id"][..]),
            ("cases_chair", &["chair_id", "id"][..]),
            ("cases_filed_by", &["filed_by", "submitted_at", "id"][..]),
        ] {
            m.create_index(index(name, "cases", cols)).await?;
        }

        // Claimant and respondents alike, so "the cases my organisation is party to" is one
        // indexed lookup.
        m.create_table(
            Table::create()
                .table("case_parties")
                .col(integer("case_id"))
                .col(integer("organisation_id"))
                .col(string_len("side", 16))
                .primary_key(Index::create().col("case_id").col("organisation_id"))
                .foreign_key(&mut fk("case_parties", "case_id", "cases"))
                .foreign_key(&mut fk("case_parties", "organisation_id", "organisations"))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "case_parties_organisation",
            "case_parties",
            &["organisation_id", "case_id"],
        ))
        .await?;

        m.create_table(
            Table::create()
                .table("case_commission_members")
                .col(integer("case_id"))
                .col(integer("user_id"))
                .primary_key(Index::create().col("case_id").col("user_id"))
                .foreign_key(&mut fk("case_commission_members", "case_id", "cases"))
                .foreign_key(&mut fk("case_commission_members", "user_id", "users"))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "case_commission_members_user",
            "case_commission_members",
            &["user_id", "case_id"],
        ))
        .await?;

        m.create_table(
            Table::create()
                .table("case_submissions")
                .col(pk_auto("id"))
                .col(uuid_uniq("public_id"))
                .col(integer("case_id"))
                .col(string_len("kind", 32))
                .col(text("statement"))
                .col(integer("author_id"))
                .col(integer_null("organisation_id"))
                .col(timestamp_with_time_zone("submitted_at"))
                .foreign_key(&mut fk("case_submissions", "case_id", "cases"))
                .foreign_key(&mut fk("case_submissions", "author_id", "users"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("case_submissions_case", "case_submissions", &["case_id", "id"]))
            .await?;

        m.create_table(
            Table::create()
                .table("mediation_sessions")
                .col(pk_auto("id"))
                .col(uuid_uniq("public_id"))
                .col(integer("case_id"))
                .col(date("held_on"))
                .col(json("attendees"))
                .col(text("notes"))
                .col(integer("recorded_by"))
                .col(timestamp_with_time_zone("recorded_at"))
                .foreign_key(&mut fk("mediation_sessions", "case_id", "cases"))
                .foreign_key(&mut fk("mediation_sessions", "recorded_by", "users"))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "mediation_sessions_case",
            "mediation_sessions",
            &["case_id", "id"],
        ))
        .await?;

        m.create_table(
            Table::create()
                .table("mediation_releases")
                .col(integer("case_id"))
                .col(integer("organisation_id"))
                .col(integer("released_by"))
                .col(timestamp_with_time_zone("released_at"))
                .primary_key(Index::create().col("case_id").col("organisation_id"))
                .foreign_key(&mut fk("mediation_releases", "case_id", "cases"))
                .foreign_key(&mut fk("mediation_releases", "organisation_id", "organisations"))
                .foreign_key(&mut fk("mediation_releases", "released_by", "users"))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("rulings")
                .col(pk_auto("id"))
                .col(uuid_uniq("public_id"))
                .col(integer("case_id"))
                .col(string_len("outcome", 32))
                .col(string_len("nature", 32))
                .col(text("dictum"))
                .col(text("reasoning"))
                .col(text_null("cost_allocation"))
                .col(date("adopted_on"))
                .col(timestamp_with_time_zone("adopted_at"))
                .col(integer("chair_id"))
                .col(integer_null("corrects_id"))
                .col(text_null("correction_reason"))
                .foreign_key(&mut fk("rulings", "case_id", "cases"))
                .foreign_key(&mut fk("rulings", "chair_id", "users"))
                .foreign_key(&mut fk("rulings", "corrects_id", "rulings"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("rulings_case", "rulings", &["case_id", "id"]))
            .await?;

        m.create_table(
            Table::create()
                .table("case_messages")
                .col(pk_auto("id"))
                .col(uuid_uniq("public_id"))
                .col(integer("case_id"))
                .col(integer("author_id"))
                .col(integer_null("organisation_id"))
                .col(text("body"))
                .col(timestamp_with_time_zone("sent_at"))
                .foreign_key(&mut fk("case_messages", "case_id", "cases"))
                .foreign_key(&mut fk("case_messages", "author_id", "users"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("case_messages_case", "case_messages", &["case_id", "id"]))
            .await?;

        m.create_table(
            Table::create()
                .table("user_affiliations")
                .col(integer("user_id"))
                .col(integer("organisation_id"))
                .col(string_len("description", 500))
                .col(timestamp_with_time_zone("declared_at"))
                .primary_key(Index::create().col("user_id").col("organisation_id"))
                .foreign_key(&mut fk("user_affiliations", "user_id", "users"))
                .foreign_key(&mut fk("user_affiliations", "organisation_id", "organisations"))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("case_audit_entries")
                .col(big_pk_auto("id"))
                .col(integer("case_id"))
                .col(big_integer("sequence"))
                .col(timestamp_with_time_zone("occurred_at"))
                .col(string_len("actor", 100))
                .col(string_len_null("organisation", 200))
                .col(string_len("action", 64))
                .col(string_len("subject", 100))
                .col(text_null("reason"))
                .col(json_null("before"))
                .col(json_null("after"))
                .col(string_len("previous_hash", 64))
                .col(string_len("hash", 64))
                .foreign_key(&mut fk("case_audit_entries", "case_id", "cases"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            index(
                "case_audit_entries_sequence",
                "case_audit_entries",
                &["case_id", "sequence"],
            )
            .unique()
            .to_owned(),
        )
        .await
    }
}
