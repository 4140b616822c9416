//! Validation results that name every problem with its field path
//! (`incident.location.lat: must be within -90..90`), so a user fixing a record or a CSV row
//! sees all that is wrong at once instead of one error per attempt.

use std::fmt;

use serde::{Deserialize, Serialize};

/// One thing wrong with one field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    /// Dotted path of the field, e.g. `incident.location.lat`.
    pub field: String,
    /// What is wrong, in words a user can act on.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

/// Every problem found in one record; empty means valid.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problems(pub Vec<Problem>);

impl Problems {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn push(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.0.push(Problem {
            field: field.into(),
            message: message.into(),
        });
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Problem> {
        self.0.iter()
    }

    pub fn extend(&mut self, other: Problems) {
        self.0.extend(other.0);
    }

    /// `Ok(())` when nothing is wrong, so callers can use `?`.
    pub fn into_result(self) -> Result<(), Problems> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(self)
        }
    }
}

impl fmt::Display for Problems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{p}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Problems {}

/// A record that passed validation, with the warnings that did not stop it
/// (e.g. an incident outside the ICC's temporal jurisdiction is flagged, not refused).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Validated {
    pub warnings: Vec<Problem>,
}

/// Checks a free-text field: not blank when required, and within a length limit, so one
/// hostile cell cannot bloat the database.
pub fn check_text(
    problems: &mut Problems,
    field: &str,
    value: &str,
    required: bool,
    max_chars: usize,
) {
    if required && value.trim().is_empty() {
        problems.push(field, "must not be empty");
    }
    let chars = value.chars().count();
    if chars > max_chars {
        problems.push(
            field,
            format!("is {chars} characters long; the limit is {max_chars}"),
        );
    }
    if value.chars().any(|c| c == '\0') {
        problems.push(field, "must not contain NUL characters");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problems_render_with_field_paths() {
        let mut p = Problems::new();
        p.push("incident.location.lat", "must be within -90..90");
        p.push("incident.title", "must not be empty");
        assert_eq!(
            p.to_string(),
            "incident.location.lat: must be within -90..90; incident.title: must not be empty"
        );
        assert!(p.into_result().is_err());
    }

    #[test]
    fn text_limits_count_characters_not_bytes() {
        let mut p = Problems::new();
        check_text(&mut p, "t", &"ї".repeat(10), true, 10);
        assert!(p.is_empty(), "10 Cyrillic letters are 10 characters");
        check_text(&mut p, "t", "   ", true, 10);
        assert_eq!(p.len(), 1);
    }
}
