//! How each agency writes names: the script, and for Latin script the romanisation, with the
//! share of its records in each.

use crate::agencies::profile;
use crate::romanize::System;

/// How an agency writes a name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Script {
    Ukrainian,
    Russian,
    Latin(System),
}

impl Script {
    pub fn russian_form(self) -> bool {
        match self {
            Self::Ukrainian => false,
            Self::Russian => true,
            Self::Latin(s) => s.russian_form(),
        }
    }
}

/// The scripts an agency writes names in, with weights. Ukrainian bodies write Ukrainian
/// Cyrillic, Russian Cyrillic when the source (a Russian-language statement from the east) is;
/// international bodies romanise — mostly the passport spelling, often a Russian-form spelling
/// from a Russian-language document, and their own language's conventions.
pub(super) fn house_style(agency: usize) -> &'static [(Script, f64)] {
    use Script::*;
    use System::*;
    match (agency, profile(agency).country) {
        (_, "UA") => &[
            (Ukrainian, 0.82),
            (Russian, 0.12),
            (Latin(UkNational), 0.06),
        ],
        (1, _) => &[
            (Latin(UkNational), 0.45),
            (Ukrainian, 0.15),
            (Latin(RuPassport), 0.1),
            (Latin(BgnPcgn), 0.06),
            (Latin(Polish), 0.08),
            (Latin(German), 0.06),
            (Latin(French), 0.05),
            (Latin(Gost779), 0.05),
        ],
        (2, _) => &[
            (Latin(UkNational), 0.4),
            (Latin(French), 0.15),
            (Latin(RuPassport), 0.15),
            (Latin(BgnPcgn), 0.1),
            (Ukrainian, 0.1),
            (Latin(German), 0.05),
            (Latin(Gost779), 0.05),
        ],
        (3, _) => &[
            (Latin(UkNational), 0.35),
            (Latin(German), 0.2),
            (Latin(French), 0.1),
            (Latin(Polish), 0.1),
            (Latin(RuPassport), 0.1),
            (Latin(BgnPcgn), 0.1),
            (Ukrainian, 0.05),
        ],
        (_, "PL") => &[
            (Latin(Polish), 0.65),
            (Latin(UkNational), 0.2),
            (Ukrainian, 0.1),
            (Latin(RuPassport), 0.05),
        ],
        (_, "LT") => &[
            (Latin(UkNational), 0.4),
            (Latin(Polish), 0.3),
            (Latin(RuPassport), 0.15),
            (Russian, 0.15),
        ],
        (a, _) if a >= 9 && a % 2 == 1 => &[
            (Latin(German), 0.5),
            (Latin(UkNational), 0.35),
            (Latin(RuPassport), 0.15),
        ],
        (a, _) if a >= 9 => &[
            (Latin(French), 0.5),
            (Latin(UkNational), 0.3),
            (Latin(BgnPcgn), 0.2),
        ],
        _ => &[
            (Latin(UkNational), 0.4),
            (Latin(German), 0.15),
            (Latin(BgnPcgn), 0.15),
            (Latin(RuPassport), 0.15),
            (Latin(French), 0.1),
            (Latin(Gost779), 0.05),
        ],
    }
}
