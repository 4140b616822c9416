//! dokaz's own columns for persons, units, cases and links, and the records made from them.
//! A mapping (or a file in dokaz's own layout) yields these columns; the rules of each record
//! are the model's, and a problem is named by the column it came from.

use dokaz_model::{
    Case, CaseId, CaseStatus, Classification, PartialDate, Person, PersonId, PersonName,
    PersonRole, Problems, Sex, Unit, UnitId,
};
use serde::{Deserialize, Serialize};

use crate::when::clip;
use crate::Context;

pub const PERSON_COLUMNS: &[(&str, &str)] = &[
    (
        "external_id",
        "the source's own id of the row, unique within the source",
    ),
    (
        "full_name",
        "the name as the source writes it (or give its parts)",
    ),
    ("given", "given name"),
    ("family", "family name"),
    ("patronymic", "patronymic"),
    (
        "other_names",
        "other spellings, e.g. in Latin script, separated by ';'",
    ),
    ("birth_date", "YYYY-MM-DD, YYYY-MM or YYYY"),
    ("sex", "female, male or unknown"),
    (
        "citizenship",
        "ISO 3166-1 alpha-2 codes separated by ';', e.g. UA",
    ),
    ("place_of_origin", "place of origin"),
    (
        "roles",
        "victim, witness, suspect, missing, deported-child, detainee; separated by ';'",
    ),
    (
        "protected",
        "true when the identity is protected (witnesses, victims)",
    ),
    ("classification", "open, restricted (default) or sealed"),
];

pub const UNIT_COLUMNS: &[(&str, &str)] = &[
    (
        "external_id",
        "the source's own id of the row, unique within the source",
    ),
    ("name", "the unit's name as the source writes it"),
    ("other_names", "other names, separated by ';'"),
    (
        "numbers",
        "military unit numbers, e.g. в/ч 12345, separated by ';'",
    ),
    ("affiliation", "state or organisation (ISO code or name)"),
    ("classification", "open, restricted (default) or sealed"),
];

pub const CASE_COLUMNS: &[(&str, &str)] = &[
    (
        "external_id",
        "the source's own id of the row, unique within the source",
    ),
    ("reference", "the agency's case number (required)"),
    ("title", "what the case is about (required)"),
    ("status", "open, suspended, indicted, at-trial or closed"),
    (
        "working_languages",
        "BCP 47 tags separated by ';', e.g. uk;en",
    ),
    ("classification", "open, restricted (default) or sealed"),
];

pub const LINK_COLUMNS: &[(&str, &str)] = &[
    ("link", "incident-person, incident-unit or case-incident"),
    (
        "from",
        "external id of the incident (or case) in the same source",
    ),
    (
        "to",
        "external id of the person, unit (or incident) in the same source",
    ),
    (
        "role",
        "for incident-person: the person's role in the incident",
    ),
];

/// A link between two records, each named by its external id in the import's source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Link {
    pub kind: LinkKind,
    pub from: String,
    pub to: String,
    pub role: Option<PersonRole>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LinkKind {
    IncidentPerson,
    IncidentUnit,
    CaseIncident,
}

impl LinkKind {
    pub fn code(self) -> &'static str {
        match self {
            Self::IncidentPerson => "incident-person",
            Self::IncidentUnit => "incident-unit",
            Self::CaseIncident => "case-incident",
        }
    }
}

/// Named cells of one row.
pub(crate) struct Fields<'a> {
    pub fields: &'a [(String, String)],
    pub problems: Problems,
}

impl<'a> Fields<'a> {
    pub fn new(fields: &'a [(String, String)]) -> Self {
        Self {
            fields,
            problems: Problems::new(),
        }
    }

    pub fn get(&self, name: &str) -> &'a str {
        self.fields
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.trim())
            .unwrap_or("")
    }

    pub fn list(&self, name: &str) -> Vec<String> {
        self.get(name)
            .split(';')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect()
    }

    fn classification(&mut self) -> Classification {
        let c = self.get("classification");
        if c.is_empty() {
            return Classification::Restricted;
        }
        c.to_ascii_lowercase().parse().unwrap_or_else(|e| {
            self.problems.push("classification", e);
            Classification::Restricted
        })
    }
}

fn enum_code<T: serde::de::DeserializeOwned>(code: &str) -> Option<T> {
    serde_json::from_value(serde_json::Value::String(code.to_ascii_lowercase())).ok()
}

pub(crate) fn person(fields: &[(String, String)], ctx: &Context) -> Result<Person, Problems> {
    let mut f = Fields::new(fields);
    let (given, family, patronymic) = (f.get("given"), f.get("family"), f.get("patronymic"));
    let mut full = f.get("full_name").to_owned();
    if full.is_empty() {
        full = [family, given, patronymic]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
    }
    let mut names = vec![PersonName {
        full,
        given: given.to_owned(),
        family: family.to_owned(),
        patronymic: patronymic.to_owned(),
    }];
    names.extend(f.list("other_names").into_iter().map(|full| PersonName {
        full,
        ..Default::default()
    }));
    if names[0].full.is_empty() {
        names.remove(0);
    }
    let birth = f.get("birth_date");
    let birth_date = (!birth.is_empty())
        .then(|| birth.parse::<PartialDate>())
        .transpose()
        .unwrap_or_else(|e| {
            f.problems.push("birth_date", e);
            None
        });
    let sex = match f.get("sex").to_lowercase().as_str() {
        "" | "unknown" | "u" => Sex::Unknown,
        "female" | "f" | "ж" => Sex::Female,
        "male" | "m" | "ч" | "м" => Sex::Male,
        other => {
            f.problems.push(
                "sex",
                format!("{:?} is not female, male or unknown", clip(other)),
            );
            Sex::Unknown
        }
    };
    let mut roles = Vec::new();
    for r in f.list("roles") {
        match enum_code::<PersonRole>(&r) {
            Some(role) if !roles.contains(&role) => roles.push(role),
            Some(_) => {}
            None => f.problems.push(
                "roles",
                format!(
                    "{:?} is not one of victim, witness, suspect, missing, deported-child, detainee",
                    clip(&r)
                ),
            ),
        }
    }
    let protected = match f.get("protected").to_lowercase().as_str() {
        "" | "false" | "no" | "0" => false,
        "true" | "yes" | "1" => true,
        other => {
            f.problems.push(
                "protected",
                format!("{:?} is not true or false", clip(other)),
            );
            false
        }
    };
    let classification = f.classification();
    let p = Person {
        id: PersonId::new(),
        agency: ctx.agency,
        roles,
        names,
        birth_date,
        sex,
        citizenship: f.list("citizenship"),
        place_of_origin: f.get("place_of_origin").to_owned(),
        protected,
        classification,
        created_at: ctx.now,
        updated_at: ctx.now,
    };
    let mut problems = f.problems;
    if let Err(more) = p.validate(ctx.now.date_naive()) {
        merge(&mut problems, more, |path| {
            Some(match path {
                p if p.starts_with("person.names[0]") || p == "person.names" => "full_name",
                p if p.starts_with("person.names") => "other_names",
                p if p.starts_with("person.birth_date") => "birth_date",
                p if p.starts_with("person.citizenship") => "citizenship",
                p if p.starts_with("person.place_of_origin") => "place_of_origin",
                _ => return None,
            })
        });
    }
    problems.into_result().map(|()| p)
}

pub(crate) fn unit(fields: &[(String, String)], ctx: &Context) -> Result<Unit, Problems> {
    let mut f = Fields::new(fields);
    let mut names: Vec<String> = Some(f.get("name").to_owned())
        .filter(|n| !n.is_empty())
        .into_iter()
        .collect();
    names.extend(f.list("other_names"));
    let classification = f.classification();
    let u = Unit {
        id: UnitId::new(),
        agency: ctx.agency,
        names,
        numbers: f.list("numbers"),
        affiliation: f.get("affiliation").to_owned(),
        parent: None,
        classification,
        created_at: ctx.now,
        updated_at: ctx.now,
    };
    let mut problems = f.problems;
    if let Err(more) = u.validate() {
        merge(&mut problems, more, |path| {
            Some(if path.starts_with("unit.numbers") {
                "numbers"
            } else {
                "name"
            })
        });
    }
    problems.into_result().map(|()| u)
}

pub(crate) fn case(fields: &[(String, String)], ctx: &Context) -> Result<Case, Problems> {
    let mut f = Fields::new(fields);
    let status_cell = f.get("status");
    let status = if status_cell.is_empty() {
        CaseStatus::Open
    } else {
        enum_code(status_cell).unwrap_or_else(|| {
            f.problems.push(
                "status",
                format!(
                    "{:?} is not one of open, suspended, indicted, at-trial, closed",
                    clip(status_cell)
                ),
            );
            CaseStatus::Open
        })
    };
    let classification = f.classification();
    let c = Case {
        id: CaseId::new(),
        agency: ctx.agency,
        reference: f.get("reference").to_owned(),
        title: f.get("title").to_owned(),
        status,
        lead: None,
        incidents: vec![],
        suspects: vec![],
        working_languages: f.list("working_languages"),
        classification,
        created_at: ctx.now,
        updated_at: ctx.now,
    };
    let mut problems = f.problems;
    if let Err(more) = c.validate() {
        merge(&mut problems, more, |path| {
            path.strip_prefix("case.").map(|p| {
                if p.starts_with("title") {
                    "title"
                } else {
                    "reference"
                }
            })
        });
    }
    problems.into_result().map(|()| c)
}

pub(crate) fn link(fields: &[(String, String)]) -> Result<Link, Problems> {
    let mut f = Fields::new(fields);
    let kind = match f.get("link").to_lowercase().as_str() {
        "incident-person" => Some(LinkKind::IncidentPerson),
        "incident-unit" => Some(LinkKind::IncidentUnit),
        "case-incident" => Some(LinkKind::CaseIncident),
        other => {
            f.problems.push(
                "link",
                format!(
                    "{:?} is not incident-person, incident-unit or case-incident",
                    clip(other)
                ),
            );
            None
        }
    };
    let (from, to) = (f.get("from").to_owned(), f.get("to").to_owned());
    for (name, v) in [("from", &from), ("to", &to)] {
        if v.is_empty() {
            f.problems.push(name, "must name an external id");
        }
    }
    let role_cell = f.get("role");
    let role = if role_cell.is_empty() {
        None
    } else {
        let r = enum_code::<PersonRole>(role_cell);
        if r.is_none() {
            f.problems.push(
                "role",
                format!(
                    "{:?} is not one of victim, witness, suspect, missing, deported-child, detainee",
                    clip(role_cell)
                ),
            );
        }
        r
    };
    match (f.problems.into_result(), kind) {
        (Ok(()), Some(kind)) => Ok(Link {
            kind,
            from,
            to,
            role,
        }),
        (Err(p), _) => Err(p),
        (Ok(()), None) => unreachable!("a missing kind is a problem"),
    }
}

/// Adds the model's problems, renamed to the columns, unless the column already has one.
fn merge(into: &mut Problems, more: Problems, column: impl Fn(&str) -> Option<&'static str>) {
    for p in more.0 {
        let field = column(&p.field).map(str::to_owned).unwrap_or(p.field);
        if !into.iter().any(|q| q.field == field) {
            into.push(field, p.message);
        }
    }
}
