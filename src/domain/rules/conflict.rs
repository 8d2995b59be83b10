//! Conflict of interest (domain.md §2): a person never acts in a case where their own
//! organisation or a declared affiliation is a party, where a party belongs to a region that
//! is theirs, or where a party is a region theirs belongs to. Pure: the service hands in the
//! organisations and the regions each belongs to on the day.

use std::collections::{BTreeSet, HashMap};

/// Which organisation makes the conflict, and how (English, Dutch); `None` when there is none.
pub fn conflict_of_interest(
    own: &BTreeSet<i32>,
    parties: &BTreeSet<i32>,
    regions: &HashMap<i32, BTreeSet<i32>>,
) -> Option<(i32, &'static str, &'static str)> {
    let regions_of = |set: &BTreeSet<i32>| -> BTreeSet<i32> {
        set.iter()
            .flat_map(|o| regions.get(o).into_iter().flatten().copied())
            .collect()
    };
    own.intersection(parties)
        .next()
        .map(|o| {
            (
                *o,
                "is a party and their own organisation or a declared affiliation",
                "is partij en is de eigen organisatie of een opgegeven nevenfunctie",
            )
        })
        .or_else(|| {
            own.intersection(&regions_of(parties)).next().map(|o| {
                (
                    *o,
                    "is theirs (own or declared) and a party belongs to that region",
                    "is de eigen organisatie of nevenfunctie, en een partij behoort tot die regio",
                )
            })
        })
        .or_else(|| {
            regions_of(own).intersection(parties).next().map(|o| {
                (
                    *o,
                    "is a party and the region their organisation or affiliation belongs to",
                    "is partij en de regio waartoe de eigen organisatie of nevenfunctie behoort",
                )
            })
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_party_a_partys_region_or_ones_own_region_makes_a_conflict() {
        let set = |xs: &[i32]| xs.iter().copied().collect::<BTreeSet<i32>>();
        // Municipalities 1 and 2 in region 10; the person works for 3 (in region 20).
        let regions: HashMap<i32, BTreeSet<i32>> = [(1, set(&[10])), (2, set(&[10])), (3, set(&[20]))].into();
        assert_eq!(conflict_of_interest(&set(&[3]), &set(&[1, 2]), &regions), None);
        assert_eq!(
            conflict_of_interest(&set(&[1]), &set(&[1, 2]), &regions).map(|c| c.0),
            Some(1)
        );
        // Works for the region a party belongs to.
        assert_eq!(
            conflict_of_interest(&set(&[10]), &set(&[1, 99]), &regions).map(|c| c.0),
            Some(10)
        );
        // Works for a municipality in the region that is a party.
        assert_eq!(
            conflict_of_interest(&set(&[2]), &set(&[10, 99]), &regions).map(|c| c.0),
            Some(10)
        );
    }
}
