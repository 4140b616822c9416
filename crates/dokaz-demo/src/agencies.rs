//! The investigating bodies of the demo and their users. Each body also has a working profile —
//! its language, how much it reports, which law it cites, how it numbers cases — because those
//! differences are exactly what makes cross-agency matching hard.

use chrono::Duration;
use dokaz_model::{Agency, AgencyCode, AgencyId, AgencyKind, Login, Role, User, UserId};

use crate::gen::{day, midnight, Gen};
use crate::names;

/// How one agency works, as far as the demo needs to know.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Profile {
    pub code: &'static str,
    pub name: &'static str,
    pub kind: AgencyKind,
    pub country: &'static str,
    /// Language of titles and narratives (BCP 47).
    pub lang: &'static str,
    /// Relative share of incidents first recorded by this agency.
    pub weight: f64,
    /// Whether it qualifies under the Criminal Code of Ukraine as well as the Rome Statute.
    pub national_law: bool,
    /// Case reference style, see `cases::reference`.
    pub case_style: CaseStyle,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CaseStyle {
    /// Unified Register of Pre-trial Investigations number (17 digits).
    Erdr,
    Prefixed(&'static str),
}

const CATALOGUE: &[Profile] = &[
    Profile {
        code: "UAPGO",
        name: "Office of the Prosecutor General of Ukraine",
        kind: AgencyKind::NationalProsecutor,
        country: "UA",
        lang: "uk",
        weight: 10.0,
        national_law: true,
        case_style: CaseStyle::Erdr,
    },
    Profile {
        code: "JIT",
        name: "Joint Investigation Team on alleged core international crimes in Ukraine",
        kind: AgencyKind::JointInvestigationTeam,
        country: "",
        lang: "en",
        weight: 2.5,
        national_law: true,
        case_style: CaseStyle::Prefixed("JIT-UA"),
    },
    Profile {
        code: "ICCOTP",
        name: "International Criminal Court, Office of the Prosecutor",
        kind: AgencyKind::IccOtp,
        country: "",
        lang: "en",
        weight: 2.0,
        national_law: false,
        case_style: CaseStyle::Prefixed("ICC-01/22-OTP"),
    },
    Profile {
        code: "EUROJUST",
        name: "Eurojust (European Union Agency for Criminal Justice Cooperation)",
        kind: AgencyKind::Eurojust,
        country: "",
        lang: "en",
        weight: 1.0,
        national_law: false,
        case_style: CaseStyle::Prefixed("EJ"),
    },
    // A fictional documentation NGO: fabricated records must not carry a real NGO's name.
    Profile {
        code: "PAMYAT",
        name: "Pamyat Documentation Initiative (fictional NGO)",
        kind: AgencyKind::Ngo,
        country: "UA",
        lang: "uk",
        weight: 4.0,
        national_law: true,
        case_style: CaseStyle::Prefixed("PDI"),
    },
    Profile {
        code: "UANPU",
        name: "National Police of Ukraine",
        kind: AgencyKind::Police,
        country: "UA",
        lang: "uk",
        weight: 6.0,
        national_law: true,
        case_style: CaseStyle::Erdr,
    },
    Profile {
        code: "EUROPOL",
        name: "Europol, Analysis Project Core International Crimes",
        kind: AgencyKind::Europol,
        country: "",
        lang: "en",
        weight: 0.8,
        national_law: false,
        case_style: CaseStyle::Prefixed("EP-CIC"),
    },
    Profile {
        code: "PLNPO",
        name: "National Prosecutor's Office of Poland",
        kind: AgencyKind::NationalProsecutor,
        country: "PL",
        lang: "en",
        weight: 1.0,
        national_law: false,
        case_style: CaseStyle::Prefixed("PK-II-Ds"),
    },
    Profile {
        code: "LTPGO",
        name: "Prosecutor General's Office of the Republic of Lithuania",
        kind: AgencyKind::NationalProsecutor,
        country: "LT",
        lang: "en",
        weight: 0.8,
        national_law: false,
        case_style: CaseStyle::Prefixed("LT-PGO"),
    },
];

/// The profile of the `index`-th agency; past the catalogue, generic partner prosecutors.
pub(crate) fn profile(index: usize) -> Profile {
    CATALOGUE.get(index).copied().unwrap_or(Profile {
        code: "PARTNER",
        name: "Partner national prosecutor",
        kind: AgencyKind::NationalProsecutor,
        country: "",
        lang: "en",
        weight: 0.5,
        national_law: false,
        case_style: CaseStyle::Prefixed("PNP"),
    })
}

fn code(index: usize) -> String {
    match CATALOGUE.get(index) {
        Some(p) => p.code.to_owned(),
        None => format!("PARTNER{}", index + 1 - CATALOGUE.len()),
    }
}

/// The first `n` agencies of the catalogue. Their ids are fixed by their position, not drawn
/// from the stream, so that adding agencies does not change the others' ids.
pub(crate) fn agencies(n: usize) -> Vec<Agency> {
    let created = midnight(day(2022, 3, 1));
    (0..n)
        .map(|i| {
            let p = profile(i);
            let name = if i < CATALOGUE.len() {
                p.name.to_owned()
            } else {
                format!("{} {}", p.name, i + 1 - CATALOGUE.len())
            };
            let mut g = Gen::new(0xA6E7_C1E5 ^ i as u64);
            Agency {
                id: AgencyId::from_uuid(g.uuid(created + Duration::minutes(i as i64))),
                code: code(i)
                    .parse::<AgencyCode>()
                    .expect("catalogue codes are valid"),
                name,
                kind: p.kind,
                country: p.country.to_owned(),
                created_at: created,
            }
        })
        .collect()
}

/// Users of every agency: one per role, two investigators, and the two who handle protected
/// identities cleared for them.
pub(crate) fn users(g: &mut Gen, agencies: &[Agency]) -> Vec<User> {
    let jobs: [(&str, Role, bool); 6] = [
        ("investigator", Role::Investigator, true),
        ("investigator2", Role::Investigator, false),
        ("analyst", Role::Analyst, false),
        ("prosecutor", Role::Prosecutor, true),
        ("auditor", Role::Auditor, false),
        ("admin", Role::Admin, false),
    ];
    let mut out = Vec::new();
    for (i, agency) in agencies.iter().enumerate() {
        let lang = profile(i).lang;
        for (job, role, cleared) in jobs {
            let login = format!("{}.{job}", agency.code.as_str().to_ascii_lowercase());
            let created = agency.created_at + Duration::hours(g.int(1, 24 * 14));
            out.push(User {
                id: UserId::from_uuid(g.uuid(created)),
                agency: agency.id,
                login: login.parse::<Login>().expect("generated logins are valid"),
                display_name: names::staff_name(g, lang),
                roles: vec![role],
                identity_cleared: cleared,
                disabled: false,
                created_at: created,
            });
        }
    }
    out
}
