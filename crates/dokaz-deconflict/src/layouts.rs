//! Stored blocking keys against this build's layout of them: keys filed by an older build are
//! not met by the probes of a newer one, so new records silently miss the older ones until
//! every record of the kind is filed again (`dokaz match run`, which records the layout).

use dokaz_match::keys::layout;
use dokaz_model::MatchKind;
use serde::Serialize;

use crate::{Deconflictor, Result};

/// A kind whose stored keys were filed by another layout than this build's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StaleKeys {
    pub kind: MatchKind,
    /// The layout they were filed by; `None` for a build that did not record it.
    pub filed: Option<u32>,
    pub current: u32,
}

impl std::fmt::Display for StaleKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let filed = self
            .filed
            .map_or("an older build".to_owned(), |l| format!("key layout {l}"));
        write!(
            f,
            "the stored {} match keys were filed by {filed}, this build files layout {}: \
             new {}s miss the older ones until `dokaz match run --kind {}` files them again",
            self.kind, self.current, self.kind, self.kind
        )
    }
}

/// The kinds matched through stored keys.
const KEYED: [MatchKind; 3] = [MatchKind::Incident, MatchKind::Person, MatchKind::Unit];

impl Deconflictor<'_> {
    /// The kinds whose stored keys another layout filed. A kind with no keys filed takes this
    /// build's layout here, so that a new node is never told to re-file.
    pub async fn stale_keys(&self) -> Result<Vec<StaleKeys>> {
        let mut stale = Vec::new();
        for kind in KEYED {
            let current = layout(kind);
            match self.store.match_key_layout(kind).await? {
                (Some(filed), _) if filed == current => {}
                (_, false) => self.store.set_match_key_layout(kind, current).await?,
                (filed, true) => stale.push(StaleKeys {
                    kind,
                    filed,
                    current,
                }),
            }
        }
        Ok(stale)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_warning_names_the_kind_the_layouts_and_the_command() {
        let unknown = StaleKeys {
            kind: MatchKind::Person,
            filed: None,
            current: 3,
        };
        let text = unknown.to_string();
        assert!(
            text.contains("person match keys were filed by an older build"),
            "{text}"
        );
        assert!(text.contains("layout 3"), "{text}");
        assert!(text.contains("`dokaz match run --kind person`"), "{text}");
        let older = StaleKeys {
            filed: Some(2),
            ..unknown
        };
        assert!(older.to_string().contains("filed by key layout 2"));
    }
}
