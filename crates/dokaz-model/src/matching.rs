//! Matches: deconfliction hits between two records of different agencies. Each agency
//! decides for itself whether a match is real (confirmed) or not (dismissed): one side's
//! dismissal must not hide the hit from the other, which may know better.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::ids::{AgencyId, MatchId, UserId};
use crate::validation::{check_text, Problems};

/// What was matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MatchKind {
    Incident,
    Person,
    Unit,
    /// Identical or near-identical files.
    Evidence,
}

impl MatchKind {
    pub const ALL: [MatchKind; 4] = [Self::Incident, Self::Person, Self::Unit, Self::Evidence];

    pub fn code(self) -> &'static str {
        match self {
            Self::Incident => "incident",
            Self::Person => "person",
            Self::Unit => "unit",
            Self::Evidence => "evidence",
        }
    }
}

impl fmt::Display for MatchKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for MatchKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|k| k.code() == s)
            .ok_or_else(|| format!("{s:?} is not a match kind (incident, person, unit, evidence)"))
    }
}

/// Where one side of a match stands.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default,
)]
#[serde(rename_all = "lowercase")]
pub enum MatchStatus {
    /// Found, not yet looked at.
    #[default]
    New,
    /// The agency agrees both records are the same thing.
    Confirmed,
    /// The agency holds they are not.
    Dismissed,
}

impl MatchStatus {
    pub const ALL: [MatchStatus; 3] = [Self::New, Self::Confirmed, Self::Dismissed];

    pub fn code(self) -> &'static str {
        match self {
            Self::New => "new",
            Self::Confirmed => "confirmed",
            Self::Dismissed => "dismissed",
        }
    }
}

impl FromStr for MatchStatus {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|k| k.code() == s)
            .ok_or_else(|| format!("{s:?} is not a match status (new, confirmed, dismissed)"))
    }
}

/// One side of a match: a record, its agency, and that agency's decision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MatchSide {
    pub record: Uuid,
    pub agency: AgencyId,
    /// Whether the record is sealed: then the other agency learns only that this agency
    /// holds a matching record, never which one or why.
    pub sealed: bool,
    pub status: MatchStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decided_by: Option<UserId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decided_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reason: String,
}

impl MatchSide {
    pub fn new(record: Uuid, agency: AgencyId, sealed: bool) -> Self {
        Self {
            record,
            agency,
            sealed,
            status: MatchStatus::New,
            decided_by: None,
            decided_at: None,
            reason: String::new(),
        }
    }
}

/// A deconfliction hit. `a` is the side with the smaller record id, so that one pair of
/// records is always stored as one match however often it is found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Match {
    pub id: MatchId,
    pub kind: MatchKind,
    pub a: MatchSide,
    pub b: MatchSide,
    /// The log-likelihood score (higher is surer).
    pub score: f64,
    /// Why, in words ("same hospital 120 m apart, same day, both cluster munition"). Empty
    /// when either side is sealed: reasons would reveal the sealed record's content.
    pub reasons: String,
    pub found_at: DateTime<Utc>,
    /// When it was last found again (a re-run or an update of either record).
    pub updated_at: DateTime<Utc>,
}

/// The longest reason a decision may carry.
pub const MAX_DECISION_REASON_CHARS: usize = 2_000;

impl Match {
    /// A new match between two records; orders the sides by record id.
    pub fn new(
        kind: MatchKind,
        x: MatchSide,
        y: MatchSide,
        score: f64,
        reasons: String,
        at: DateTime<Utc>,
    ) -> Self {
        let (a, b) = if x.record <= y.record { (x, y) } else { (y, x) };
        let blind = a.sealed || b.sealed;
        Self {
            id: MatchId::new(),
            kind,
            a,
            b,
            score,
            reasons: if blind { String::new() } else { reasons },
            found_at: at,
            updated_at: at,
        }
    }

    /// Whether either side takes part blindly.
    pub fn is_blind(&self) -> bool {
        self.a.sealed || self.b.sealed
    }

    /// The side of `agency`, if it is one (a match is between two different agencies).
    pub fn side_of(&self, agency: AgencyId) -> Option<&MatchSide> {
        [&self.a, &self.b].into_iter().find(|s| s.agency == agency)
    }

    pub fn side_of_mut(&mut self, agency: AgencyId) -> Option<&mut MatchSide> {
        if self.a.agency == agency {
            Some(&mut self.a)
        } else if self.b.agency == agency {
            Some(&mut self.b)
        } else {
            None
        }
    }

    /// The side facing `agency`'s side.
    pub fn other_side(&self, agency: AgencyId) -> Option<&MatchSide> {
        if self.a.agency == agency {
            Some(&self.b)
        } else if self.b.agency == agency {
            Some(&self.a)
        } else {
            None
        }
    }
}

/// Checks a decision's reason: required for a dismissal (others will ask why), bounded.
pub fn check_decision(status: MatchStatus, reason: &str) -> Result<(), Problems> {
    let mut p = Problems::default();
    if status == MatchStatus::New {
        p.push("status", "must be confirmed or dismissed");
    }
    let required = status == MatchStatus::Dismissed;
    check_text(
        &mut p,
        "reason",
        reason,
        required,
        MAX_DECISION_REASON_CHARS,
    );
    p.into_result()
}
