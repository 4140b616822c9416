//! Casualty counts, broken down by the groups the reports use. Counts are optional per group
//! because sources often know a total but not its breakdown.

use serde::{Deserialize, Serialize};

use crate::validation::Problems;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupCounts {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub children: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub women: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub men: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub elderly: Option<u32>,
}

/// No single incident in the record exceeds this; larger numbers are typing errors.
pub const MAX_COUNT: u32 = 100_000;

impl GroupCounts {
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }

    /// The known total: the declared one, or the sum of the disjoint groups when none is
    /// declared. Elderly overlaps with women and men, so it is not summed.
    pub fn known_total(&self) -> Option<u32> {
        self.total.or_else(|| {
            let parts = [self.children, self.women, self.men];
            parts
                .iter()
                .any(Option::is_some)
                .then(|| parts.iter().flatten().sum())
        })
    }

    pub fn check(&self, field: &str, p: &mut Problems) {
        let groups = [
            ("total", self.total),
            ("children", self.children),
            ("women", self.women),
            ("men", self.men),
            ("elderly", self.elderly),
        ];
        for (name, v) in groups {
            if v.is_some_and(|v| v > MAX_COUNT) {
                p.push(
                    format!("{field}.{name}"),
                    format!("must be at most {MAX_COUNT}"),
                );
            }
        }
        if let Some(total) = self.total {
            let sum: u64 = [self.children, self.women, self.men]
                .iter()
                .flatten()
                .map(|&v| u64::from(v))
                .sum();
            if sum > u64::from(total) {
                p.push(
                    format!("{field}.total"),
                    format!("is {total} but children, women and men add up to {sum}"),
                );
            }
            if self.elderly.is_some_and(|e| e > total) {
                p.push(format!("{field}.elderly"), "must not exceed the total");
            }
        }
    }
}

/// Harm to people in one incident.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Harm {
    #[serde(default, skip_serializing_if = "GroupCounts::is_empty")]
    pub killed: GroupCounts,
    #[serde(default, skip_serializing_if = "GroupCounts::is_empty")]
    pub injured: GroupCounts,
}

impl Harm {
    pub fn is_empty(&self) -> bool {
        self.killed.is_empty() && self.injured.is_empty()
    }

    pub fn check(&self, field: &str, p: &mut Problems) {
        self.killed.check(&format!("{field}.killed"), p);
        self.injured.check(&format!("{field}.injured"), p);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_must_fit_the_total() {
        let g = GroupCounts {
            total: Some(3),
            children: Some(2),
            women: Some(2),
            ..Default::default()
        };
        let mut p = Problems::new();
        g.check("incident.harm.killed", &mut p);
        assert_eq!(
            p.to_string(),
            "incident.harm.killed.total: is 3 but children, women and men add up to 4"
        );
    }

    #[test]
    fn total_is_derived_from_groups_when_missing() {
        let g = GroupCounts {
            children: Some(2),
            men: Some(1),
            ..Default::default()
        };
        assert_eq!(g.known_total(), Some(3));
        assert_eq!(GroupCounts::default().known_total(), None);
    }
}
