//! Military and armed units, known by many names and numbers ("в/ч 12345",
//! "64th Separate Motor Rifle Brigade", "64 ОМСБр").

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::classification::Classification;
use crate::ids::{AgencyId, UnitId};
use crate::validation::{check_text, Problems};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unit {
    pub id: UnitId,
    pub agency: AgencyId,
    /// Every name seen, in any script; the first is the display name.
    pub names: Vec<String>,
    /// Military unit numbers and other designators, e.g. `в/ч 12345`, `56653`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub numbers: Vec<String>,
    /// The state or organisation the unit belongs to (ISO country code or name).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub affiliation: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<UnitId>,
    #[serde(default)]
    pub classification: Classification,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Unit {
    pub fn validate(&self) -> Result<(), Problems> {
        let mut p = Problems::new();
        if self.names.is_empty() && self.numbers.is_empty() {
            p.push("unit.names", "name at least one name or number");
        }
        for (i, n) in self.names.iter().enumerate() {
            check_text(&mut p, &format!("unit.names[{i}]"), n, true, 300);
        }
        for (i, n) in self.numbers.iter().enumerate() {
            check_text(&mut p, &format!("unit.numbers[{i}]"), n, true, 64);
        }
        p.into_result()
    }
}
