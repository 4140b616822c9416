//! Each agency's investigations: its incidents grouped by region and kind of crime into cases
//! of a few to a few dozen incidents, numbered the way that agency numbers cases (Ukrainian
//! criminal proceedings carry a 17-digit register number).

use std::collections::BTreeMap;

use chrono::Datelike;
use dokaz_model::{
    Agency, AgencyKind, Case, CaseId, CaseStatus, Classification, PersonRole, Role, User,
};

use crate::agencies::{profile, CaseStyle};
use crate::gen::Gen;
use crate::incidents::World;
use crate::persons::WorldPerson;
use crate::places::Pattern;

/// Kinds of crime an agency opens separate cases for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Track {
    Strikes,
    Occupation,
    Children,
}

pub(crate) fn generate(
    g: &mut Gen,
    agencies: &[Agency],
    users: &[User],
    world: &World,
    persons: &[WorldPerson],
) -> Vec<Case> {
    let mut groups: BTreeMap<(usize, &str, Track), Vec<usize>> = BTreeMap::new();
    for (i, w) in world.incidents.iter().enumerate() {
        let track = match (w.scenario.key, w.scenario.pattern) {
            ("children", _) => Track::Children,
            (_, Pattern::Occupation) => Track::Occupation,
            _ => Track::Strikes,
        };
        groups
            .entry((w.agency, w.oblast.key, track))
            .or_default()
            .push(i);
    }
    let mut serials = vec![0u32; agencies.len()];
    let mut cases = Vec::new();
    for ((agency, _, track), mut members) in groups {
        // Documenters keep many records outside any case.
        let in_cases = if profile(agency).kind == AgencyKind::Ngo {
            0.5
        } else {
            0.85
        };
        members.retain(|_| g.chance(in_cases));
        members.sort_by_key(|&i| (world.incidents[i].incident.occurred.start, i));
        let mut rest = &members[..];
        while !rest.is_empty() {
            let take = (g.int(3, 25) as usize).min(rest.len());
            let (chunk, tail) = rest.split_at(take);
            rest = tail;
            serials[agency] += 1;
            cases.push(case(
                g,
                agencies,
                users,
                world,
                persons,
                agency,
                track,
                chunk,
                serials[agency],
            ));
        }
    }
    cases
}

#[allow(clippy::too_many_arguments)]
fn case(
    g: &mut Gen,
    agencies: &[Agency],
    users: &[User],
    world: &World,
    persons: &[WorldPerson],
    agency: usize,
    track: Track,
    members: &[usize],
    serial: u32,
) -> Case {
    let p = profile(agency);
    let first = &world.incidents[members[0]];
    let last = &world.incidents[members[members.len() - 1]];
    let (y0, y1) = (
        first.incident.occurred.start.year(),
        last.incident.occurred.start.year(),
    );
    let years = if y0 == y1 {
        y0.to_string()
    } else {
        format!("{y0}–{y1}")
    };
    let oblast = first.oblast;
    let title = match (p.lang, track) {
        ("uk", Track::Strikes) => format!(
            "Обстріли та удари по цивільних об’єктах, {} ({years})",
            oblast.uk
        ),
        ("uk", Track::Occupation) => format!(
            "Злочини проти цивільного населення в умовах окупації, {} ({years})",
            oblast.uk
        ),
        ("uk", Track::Children) => format!("Незаконне переміщення дітей, {} ({years})", oblast.uk),
        (_, Track::Strikes) => format!(
            "Attacks on civilians and civilian objects, {} ({years})",
            oblast.en
        ),
        (_, Track::Occupation) => format!(
            "Crimes against civilians under occupation, {} ({years})",
            oblast.en
        ),
        (_, Track::Children) => format!("Unlawful transfer of children, {} ({years})", oblast.en),
    };
    let incident_ids: Vec<_> = members
        .iter()
        .map(|&i| world.incidents[i].incident.id)
        .collect();
    let suspects: Vec<_> = persons
        .iter()
        .filter(|wp| {
            members.contains(&wp.incident) && wp.person.roles.contains(&PersonRole::Suspect)
        })
        .map(|wp| wp.person.id)
        .collect();
    let status = if suspects.is_empty() {
        *g.pick_weighted(
            &[CaseStatus::Open, CaseStatus::Suspended, CaseStatus::Closed],
            |s| match s {
                CaseStatus::Open => 75.0,
                CaseStatus::Suspended => 20.0,
                _ => 5.0,
            },
        )
    } else {
        *g.pick(&[
            CaseStatus::Open,
            CaseStatus::Indicted,
            CaseStatus::Indicted,
            CaseStatus::AtTrial,
            CaseStatus::Closed,
        ])
    };
    let lead_role = if p.kind == AgencyKind::Ngo || p.kind == AgencyKind::Police {
        Role::Investigator
    } else {
        Role::Prosecutor
    };
    let lead = users
        .iter()
        .find(|u| u.agency == agencies[agency].id && u.has_role(lead_role))
        .map(|u| u.id);
    let mut working_languages = vec![p.lang.to_owned()];
    if g.chance(0.35) {
        working_languages.push(if p.lang == "uk" { "en" } else { "uk" }.to_owned());
    }
    let any_sealed = members
        .iter()
        .any(|&i| world.incidents[i].incident.classification == Classification::Sealed);
    let classification = if any_sealed && g.chance(0.5) || track == Track::Children && g.chance(0.3)
    {
        Classification::Sealed
    } else {
        Classification::Restricted
    };
    let created_at = members
        .iter()
        .map(|&i| world.incidents[i].incident.created_at)
        .min()
        .unwrap_or(first.incident.created_at);
    let updated_at = members
        .iter()
        .map(|&i| world.incidents[i].incident.updated_at)
        .max()
        .unwrap_or(created_at);
    let region = first.incident.location.katotth.get(2..4).unwrap_or("00");
    let reference = match p.case_style {
        CaseStyle::Erdr => {
            let body = if p.kind == AgencyKind::Police { 1 } else { 4 };
            format!("{body}{y0}{region}0000{serial:06}")
        }
        CaseStyle::Prefixed(prefix) => format!("{prefix}/{y0}/{serial:04}"),
    };
    Case {
        id: CaseId::from_uuid(g.uuid(created_at)),
        agency: agencies[agency].id,
        reference,
        title,
        status,
        lead,
        incidents: incident_ids,
        suspects,
        working_languages,
        classification,
        created_at,
        updated_at,
    }
}
