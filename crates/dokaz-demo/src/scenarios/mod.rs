//! Scenarios: the plausible combinations of what happened, how, to what and to whom, with the
//! legal qualification that investigators give them. An incident is one scenario placed at a
//! time and place; drawing from a table keeps, say, a shelled hospital qualified under
//! art. 8(2)(b)(ix) rather than under a random article.

mod occupation;
mod strikes;

use dokaz_model::{Crime, IncidentType, PersonRole, ProtectedObject, Weapon};

use crate::gen::Gen;
use crate::places::Pattern;
use crate::units::Branch;

/// Casualty profile: probability that anyone is harmed, mean count when so, cap.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Toll {
    pub p: f64,
    pub mean: f64,
    pub max: u32,
}

pub(crate) const NONE: Toll = Toll {
    p: 0.0,
    mean: 0.0,
    max: 0,
};

#[derive(Debug)]
pub(crate) struct Scenario {
    pub key: &'static str,
    pub pattern: Pattern,
    /// Needs an occupation administration still in place (filtration, deportation, …).
    pub long_occupation: bool,
    pub weight: f64,
    /// Incident types; empty for strikes, whose type follows from the weapon.
    pub types: &'static [IncidentType],
    /// Always cited.
    pub crimes: &'static [Crime],
    /// Each cited by some investigators only.
    pub maybe_crimes: &'static [Crime],
    /// One (sometimes two) of these is used.
    pub weapons: &'static [Weapon],
    /// One of these is hit, if any.
    pub objects: &'static [ProtectedObject],
    pub killed: Toll,
    pub injured: Toll,
    /// Share of the harmed who are children.
    pub children: f64,
    /// Share of the harmed adults who are men.
    pub men: f64,
    /// Title stem in uk, ru, en; the place is appended.
    pub title: [&'static str; 3],
    /// The narrative's account of what happened, in uk, ru, en.
    pub what: [&'static str; 3],
    /// Roles of the persons recorded with such an incident, with weights.
    pub persons: &'static [(PersonRole, f64)],
    /// Branches of the forces alleged responsible; empty: follows from the weapon.
    pub units: &'static [Branch],
    /// Victims' identities are protected and the record is more often sealed.
    pub sensitive: bool,
}

/// Fields most strikes share, for struct update syntax.
pub(crate) const STRIKE: Scenario = Scenario {
    key: "",
    pattern: Pattern::Strike,
    long_occupation: false,
    weight: 1.0,
    types: &[],
    crimes: &[],
    maybe_crimes: &[],
    weapons: &[],
    objects: &[],
    killed: NONE,
    injured: NONE,
    children: 0.1,
    men: 0.5,
    title: ["", "", ""],
    what: ["", "", ""],
    persons: &[(PersonRole::Victim, 0.6), (PersonRole::Witness, 0.4)],
    units: &[],
    sensitive: false,
};

/// Fields most crimes of occupation share.
pub(crate) const OCCUPATION: Scenario = Scenario {
    pattern: Pattern::Occupation,
    children: 0.05,
    men: 0.7,
    units: &[Branch::Ground, Branch::Airborne, Branch::NavalInfantry],
    ..STRIKE
};

fn all() -> impl Iterator<Item = &'static Scenario> {
    strikes::SCENARIOS.iter().chain(occupation::SCENARIOS)
}

/// A scenario in proportion to how often such incidents are recorded.
pub(crate) fn pick(g: &mut Gen) -> &'static Scenario {
    let table: Vec<&'static Scenario> = all().collect();
    let indices: Vec<usize> = (0..table.len()).collect();
    let i = *g.pick_weighted(&indices, |&i| table[i].weight);
    table[i]
}

/// The incident type a strike gets from its weapon.
pub(crate) fn strike_type(w: Weapon) -> IncidentType {
    match w {
        Weapon::BallisticMissile | Weapon::CruiseMissile => IncidentType::MissileStrike,
        Weapon::AirDroppedBomb => IncidentType::Airstrike,
        Weapon::Drone | Weapon::LoiteringMunition => IncidentType::DroneStrike,
        Weapon::SmallArms => IncidentType::Killing,
        _ => IncidentType::Shelling,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_scenario_is_complete() {
        for s in all() {
            assert!(!s.key.is_empty());
            assert!(!s.crimes.is_empty(), "{}", s.key);
            assert!(s.title.iter().all(|t| !t.is_empty()), "{}", s.key);
            assert!(s.what.iter().all(|t| !t.is_empty()), "{}", s.key);
            assert!(!s.persons.is_empty(), "{}", s.key);
            if s.pattern == Pattern::Strike {
                assert!(!s.weapons.is_empty(), "{}", s.key);
            } else {
                assert!(!s.types.is_empty(), "{}", s.key);
            }
        }
    }
}
