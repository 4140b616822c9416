//! The interview register's question before a new interview: was this person — matched
//! across agencies, scripts and spellings — already interviewed, by whom and when? Asked so
//! that victims and witnesses are not questioned over and over. A sealed person of another
//! agency is matched blindly and answered with that agency's name only.

use dokaz_model::{AgencyId, Interview, Person, PersonId};
use serde::Serialize;
use uuid::Uuid;

use crate::{Deconflictor, Result};

/// Another agency's interviews of a person matching the one asked about.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum PriorInterviews {
    /// The matching person is not sealed: when, by which function, on which topics.
    Open {
        agency: AgencyId,
        person: Uuid,
        /// Why the persons match, in words.
        reasons: String,
        interviews: Vec<Interview>,
    },
    /// The matching person is sealed: only that this agency has interviewed them.
    Sealed { agency: AgencyId },
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InterviewCheck {
    /// Interviews already recorded on this very record (by its own agency).
    pub own: Vec<Interview>,
    /// Other agencies' interviews of matching persons, best match first.
    pub others: Vec<PriorInterviews>,
}

impl Deconflictor<'_> {
    /// Whether `person` — or anyone matching them in another agency — was interviewed.
    pub async fn interview_check(&self, person: &Person) -> Result<InterviewCheck> {
        let own = self.store.interviews_of(person.id).await?;
        let mut others = Vec::new();
        for found in self.matching_persons(person).await? {
            let interviews = self
                .store
                .interviews_of(PersonId::from_uuid(found.record))
                .await?;
            if interviews.is_empty() {
                continue;
            }
            others.push(if found.sealed {
                PriorInterviews::Sealed {
                    agency: found.agency,
                }
            } else {
                PriorInterviews::Open {
                    agency: found.agency,
                    person: found.record,
                    reasons: found.reasons,
                    interviews,
                }
            });
        }
        Ok(InterviewCheck { own, others })
    }
}
