//! Loads the reference organisations (`reference.toml`, built into the binary).

use std::collections::HashMap;

use chrono::NaiveDate;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
use serde::Deserialize;
use uuid::Uuid;

use crate::{
    domain::{CbsCode, OrganisationKind, OrganisationName},
    error::{Error, Result},
    service::{
        App, audit,
        region_links::{insert_accounthouderschap, insert_membership},
    },
    storage::entities::{accounthouderschap, organisation, region_membership},
};

const REFERENCE: &str = include_str!("reference.toml");

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReferenceData {
    organisation: Vec<Org>,
    municipalities: Vec<MunicipalityGroup>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Org {
    key: String,
    kind: String,
    name: String,
    parent: Option<String>,
    #[serde(default)]
    member_of: Vec<Membership>,
    accounthouder: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Membership {
    region: String,
    since: NaiveDate,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MunicipalityGroup {
    regions: Vec<Membership>,
    list: Vec<(String, String)>,
}

impl ReferenceData {
    pub fn built_in() -> Self {
        toml::from_str(REFERENCE).expect("reference.toml is valid (checked by a unit test)")
    }

    /// Every organisation, the municipalities expanded from their groups.
    fn entries(&self) -> Vec<Entry<'_>> {
        let mut out: Vec<Entry<'_>> = self
            .organisation
            .iter()
            .map(|o| Entry {
                kind: OrganisationKind::parse(&o.kind).expect("known kind"),
                name: &o.name,
                cbs: None,
                parent: o.parent.as_deref(),
                memberships: o.member_of.iter().collect(),
                accounthouder: o.accounthouder.as_deref(),
                key: &o.key,
            })
            .collect();
        for group in &self.municipalities {
            for (name, cbs) in &group.list {
                out.push(Entry {
                    kind: OrganisationKind::Gemeente,
                    name,
                    cbs: Some(cbs),
                    parent: None,
                    memberships: group.regions.iter().collect(),
                    accounthouder: None,
                    key: name,
                });
            }
        }
        out
    }
}

/// One organisation of the reference data; `key` is how the others refer to it.
struct Entry<'a> {
    kind: OrganisationKind,
    name: &'a str,
    cbs: Option<&'a str>,
    parent: Option<&'a str>,
    memberships: Vec<&'a Membership>,
    accounthouder: Option<&'a str>,
    key: &'a str,
}

/// Inserts what is missing; existing organisations (matched by kind and name) are left as
/// they are, so re-running never undoes an administrator's edit.
pub async fn seed_reference(app: &App) -> Result<usize> {
    let data = ReferenceData::built_in();
    let entries = data.entries();
    let mut ids: HashMap<&str, i32> = HashMap::new();
    let mut created = 0;
    for Entry {
        kind,
        name,
        cbs,
        parent,
        key,
        ..
    } in &entries
    {
        let existing = organisation::Entity::find()
            .filter(organisation::Column::Kind.eq(kind.as_str()))
            .filter(organisation::Column::Name.eq(*name))
            .one(&app.db)
            .await?;
        let id = match existing {
            Some(o) => o.id,
            None => {
                let now = crate::service::now();
                let row = organisation::ActiveModel {
                    public_id: Set(Uuid::new_v4()),
                    kind: Set(kind.as_str().to_owned()),
                    name: Set(OrganisationName::parse(name).map_err(Error::internal)?.into_inner()),
                    cbs_code: Set(cbs
                        .map(|c| CbsCode::parse(c).map(|c| c.as_str().to_owned()))
                        .transpose()
                        .map_err(Error::internal)?),
                    parent_id: Set(parent.and_then(|p| ids.get(p).copied())),
                    created_at: Set(now),
                    updated_at: Set(now),
                    password_sign_in: Set(true),
                    ..Default::default()
                }
                .insert(&app.db)
                .await?;
                audit::record(
                    &app.db,
                    None,
                    "system (seed)",
                    audit::Change::of("organisation.created", "organisation", row.public_id)
                        .after(serde_json::json!({"name": row.name, "kind": row.kind, "cbs_code": row.cbs_code}))
                        .reason("reference data"),
                )
                .await?;
                created += 1;
                row.id
            }
        };
        ids.insert(key, id);
    }
    for Entry {
        memberships,
        accounthouder,
        key,
        ..
    } in &entries
    {
        let member = ids[key];
        for m in memberships {
            let region = ids[m.region.as_str()];
            let exists = region_membership::Entity::find()
                .filter(region_membership::Column::MemberId.eq(member))
                .filter(region_membership::Column::RegionId.eq(region))
                .one(&app.db)
                .await?
                .is_some();
            if !exists {
                insert_membership(&app.db, member, region, m.since, None).await?;
            }
        }
        if let Some(region_key) = accounthouder {
            let region = ids[region_key];
            let exists = accounthouderschap::Entity::find()
                .filter(accounthouderschap::Column::RegionId.eq(region))
                .filter(accounthouderschap::Column::ProviderId.eq(member))
                .one(&app.db)
                .await?
                .is_some();
            if !exists {
                insert_accounthouderschap(&app.db, region, member).await?;
            }
        }
    }
    Ok(created)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reference_data_is_complete_and_consistent() {
        let data = ReferenceData::built_in();
        let entries = data.entries();
        let keys: Vec<&str> = entries.iter().map(|e| e.key).collect();
        let in_region = |region: &str| {
            entries
                .iter()
                .filter(|e| e.memberships.iter().any(|m| m.region == region) && e.kind == OrganisationKind::Gemeente)
                .count()
        };
        assert_eq!(in_region("zuid-limburg"), 16);
        assert_eq!(in_region("zuidoost-brabant"), 21);
        assert_eq!(in_region("een-10"), 11);
        assert_eq!(in_region("samen"), 10);
        for e in &entries {
            assert!(OrganisationName::parse(e.name).is_ok(), "{}", e.name);
            if let Some(c) = e.cbs {
                assert!(CbsCode::parse(c).is_ok(), "{c}");
            }
            for m in &e.memberships {
                assert!(keys.contains(&m.region.as_str()), "unknown region {}", m.region);
            }
            for k in e.parent.iter().chain(e.accounthouder.iter()) {
                assert!(keys.contains(k), "unknown key {k}");
            }
        }
        let mut codes: Vec<_> = entries.iter().filter_map(|e| e.cbs).collect();
        let n = codes.len();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), n, "CBS codes are unique");
        let mut names: Vec<_> = entries.iter().map(|e| (e.kind, e.name)).collect();
        names.sort_by_key(|(k, n)| (k.as_str(), *n));
        names.dedup();
        assert_eq!(names.len(), entries.len(), "names are unique per kind");
    }
}
