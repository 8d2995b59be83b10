//! The overview of cases: a party's own cases with the next term and who must act, and for
//! the secretary the work queue (new filings, terms about to pass or passed, hearings coming
//! up) above all cases. Everything comes from the service layer, exactly as the API sees it.

use std::collections::HashMap;

use askama::Template;
use axum::{
    extract::{Query, State},
    response::Response,
};
use uuid::Uuid;

use super::{
    nl,
    page::{Layout, PageError, render},
    session::Signed,
};
use crate::{
    authz::{Action, Resource},
    domain::{Role, dispute::DisputeKind, nvo::nl_date, procedure::Phase},
    service::{
        App,
        cases::{self, list::CaseFilter, terms::next_of, visits},
    },
};

/// The overview's filters, as the form names them (kept on the next page).
const FILTERS: [&str; 5] = ["zoek", "fase", "soort", "aan-zet", "verlopen"];

pub struct CaseRow {
    pub id: Uuid,
    pub number: String,
    pub title: String,
    pub phase: &'static str,
    pub parties: String,
    pub next_term: Option<(String, String, String)>,
    /// "Nieuw" (never opened by this person) or "Bijgewerkt" (changed since they last did).
    pub marker: Option<&'static str>,
}

#[derive(Template)]
#[template(path = "geschillen.html")]
struct OverviewPage {
    layout: Layout,
    heading: &'static str,
    may_file: bool,
    query: String,
    /// The filters' choices (code, Dutch) and what is chosen (a code, or empty for all).
    phases: Vec<(&'static str, &'static str)>,
    kinds: Vec<(&'static str, String)>,
    phase: String,
    kind: String,
    /// "Waiting on me (or us)" and "a term has passed", as ticked.
    waiting: bool,
    waiting_label: &'static str,
    overdue: bool,
    rows: Vec<CaseRow>,
    /// The link to the next page, with the search kept.
    next: Option<String>,
    /// The secretary's queue (only on the first page without a search).
    queue: Option<QueueView>,
}

pub struct QueueView {
    pub new_filings: Vec<(Uuid, String, String)>,
    /// (case id, number, term, who, last day, passed)
    pub terms: Vec<(Uuid, String, String, &'static str, String, bool)>,
    /// (case id, number, when, where)
    pub hearings: Vec<(Uuid, String, String, String)>,
}

pub async fn overview(
    State(app): State<App>,
    Signed(session): Signed,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let actor = &session.actor;
    // The filters as the form sends them: `fase` and `soort` by their codes, empty for all.
    let chosen = |key: &str| q.get(key).map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
    let ticked = |key: &str| chosen(key).as_deref() == Some("ja");
    let filter = CaseFilter {
        phase: chosen("fase"),
        kind: chosen("soort"),
        q: q.get("zoek").cloned(),
        waiting_on_me: Some(ticked("aan-zet")),
        overdue: Some(ticked("verlopen")),
        cursor: q.get("verder").cloned(),
        limit: Some(50),
        ..Default::default()
    };
    let page = cases::list::list(&app, actor, filter).await?;
    let ids: Vec<Uuid> = page.items.iter().map(|c| c.id).collect();
    let next = next_of(&app, &ids).await?;
    let seen = visits::last_seen(&app.db, actor.internal_id, &ids).await?;
    let rows = page
        .items
        .into_iter()
        .map(|c| CaseRow {
            marker: match seen.get(&c.id) {
                None => Some("Nieuw"),
                Some(at) if visits::is_new(c.updated_at, Some(*at)) => Some("Bijgewerkt"),
                Some(_) => None,
            },
            id: c.id,
            number: c.number,
            title: c.title,
            phase: c.phase.nl(),
            parties: format!("{} tegen {}", c.claimant, c.respondents.join(", ")),
            next_term: next
                .get(&c.id)
                .map(|t| (t.label.clone(), nl::who(&t.who).to_owned(), nl_date(t.due_on))),
        })
        .collect();
    let heading = if actor.role == Role::Secretaris {
        "Werkvoorraad"
    } else {
        "Mijn geschillen"
    };
    let first_page = FILTERS.iter().all(|k| chosen(k).is_none()) && !q.contains_key("verder");
    let queue = if actor.role == Role::Secretaris && first_page {
        let queue = cases::queue::queue(&app, actor).await?;
        Some(QueueView {
            new_filings: queue
                .new_filings
                .into_iter()
                .map(|c| (c.id, c.number, c.title))
                .collect(),
            terms: queue
                .terms
                .into_iter()
                .map(|t| {
                    (
                        t.case.id,
                        t.case.number,
                        t.label,
                        nl::who(&t.who),
                        nl_date(t.due_on),
                        t.passed,
                    )
                })
                .collect(),
            hearings: queue
                .hearings
                .into_iter()
                .map(|h| {
                    (
                        h.case.id,
                        h.case.number,
                        nl::moment(&h.at),
                        h.location.unwrap_or_default(),
                    )
                })
                .collect(),
        })
    } else {
        None
    };
    Ok(render(&OverviewPage {
        layout: Layout::new(Some(&session), "/geschillen"),
        queue,
        heading,
        // The policies decide who files (the API asks the same).
        may_file: app
            .authorize(actor, Action::CaseCreate, &Resource::Directory("cases"))
            .is_ok(),
        query: q.get("zoek").cloned().unwrap_or_default(),
        phases: Phase::ALL.iter().map(|p| (p.as_str(), p.nl())).collect(),
        kinds: DisputeKind::ALL
            .iter()
            .map(|k| (k.as_str(), app.reglement.kind(*k).label.clone()))
            .collect(),
        phase: chosen("fase").unwrap_or_default(),
        kind: chosen("soort").unwrap_or_default(),
        waiting: ticked("aan-zet"),
        waiting_label: match actor.role {
            Role::Gemeente | Role::Regio | Role::Aanbieder => "Alleen waar wij aan zet zijn",
            _ => "Alleen waar ik aan zet ben",
        },
        overdue: ticked("verlopen"),
        rows,
        next: page.next_cursor.map(|c| {
            let kept: Vec<(&str, String)> = FILTERS.into_iter().filter_map(|k| chosen(k).map(|v| (k, v))).collect();
            next_page(&c, &kept)
        }),
    }))
}

/// The overview's next page: the cursor with the search and filters, each encoded for the
/// URL (a search for "jeugd & zorg" must not end at the "&").
fn next_page(cursor: &str, kept: &[(&str, String)]) -> String {
    let mut pairs = vec![("verder", cursor)];
    pairs.extend(kept.iter().map(|(k, v)| (*k, v.as_str())));
    format!("/geschillen?{}", super::forms::query(&pairs))
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_next_page_keeps_the_search_whole() {
        assert_eq!(
            super::next_page("GS-1", &[("zoek", "jeugd & zorg".into()), ("fase", "commissie".into())]),
            "/geschillen?verder=GS%2D1&zoek=jeugd%20%26%20zorg&fase=commissie"
        );
        assert_eq!(super::next_page("abc", &[]), "/geschillen?verder=abc");
    }
}
