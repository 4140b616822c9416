//! Who may see a record at all, before grants are considered.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// `open` is visible to every agency of the deployment, `restricted` to the owning agency and
/// its grantees, `sealed` to the owning agency only — a sealed record still takes part in
/// deconfliction, but blindly.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default,
)]
#[serde(rename_all = "lowercase")]
pub enum Classification {
    Open,
    #[default]
    Restricted,
    Sealed,
}

impl Classification {
    pub const ALL: [Classification; 3] = [Self::Open, Self::Restricted, Self::Sealed];

    pub fn code(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Restricted => "restricted",
            Self::Sealed => "sealed",
        }
    }
}

impl fmt::Display for Classification {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Classification {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|c| c.code() == s.trim().to_ascii_lowercase())
            .ok_or_else(|| {
                format!("unknown classification {s:?}; expected open, restricted or sealed")
            })
    }
}
