//! How an imported row meets the stored record: the view of a record that an import
//! compares (what the source says, not what dokaz added), its content hash, the merge that
//! keeps dokaz's own additions, and the field-by-field difference kept in the history.

use chrono::{DateTime, Utc};
use dokaz_store::AnyRecord;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::reader::Record;
use crate::records::LinkKind;

pub(crate) fn add_link(record: &mut AnyRecord, kind: LinkKind, to: Uuid) -> bool {
    fn add<T: PartialEq>(list: &mut Vec<T>, v: T) -> bool {
        if list.contains(&v) {
            false
        } else {
            list.push(v);
            true
        }
    }
    match (record, kind) {
        (AnyRecord::Incident(i), LinkKind::IncidentPerson) => add(&mut i.persons, to.into()),
        (AnyRecord::Incident(i), LinkKind::IncidentUnit) => {
            add(&mut i.perpetrator_units, to.into())
        }
        (AnyRecord::Case(c), LinkKind::CaseIncident) => add(&mut c.incidents, to.into()),
        _ => false,
    }
}

pub(crate) fn touch(record: &mut AnyRecord, now: DateTime<Utc>) {
    match record {
        AnyRecord::Incident(i) => i.updated_at = now,
        AnyRecord::Person(p) => p.updated_at = now,
        AnyRecord::Unit(u) => u.updated_at = now,
        AnyRecord::Case(c) => c.updated_at = now,
    }
}

pub(crate) fn record_of(r: &Record) -> AnyRecord {
    match r {
        Record::Incident(i) => AnyRecord::Incident(i.clone()),
        Record::Person(p) => AnyRecord::Person(p.clone()),
        Record::Unit(u) => AnyRecord::Unit(u.clone()),
        Record::Case(c) => AnyRecord::Case(c.clone()),
        Record::Link(_) => unreachable!("links are planned apart"),
    }
}

/// The record's document as JSON, every field.
pub(crate) fn full_view(r: &AnyRecord) -> Value {
    let v = match r {
        AnyRecord::Incident(x) => serde_json::to_value(x),
        AnyRecord::Person(x) => serde_json::to_value(x),
        AnyRecord::Unit(x) => serde_json::to_value(x),
        AnyRecord::Case(x) => serde_json::to_value(x),
    };
    let mut v = v.unwrap_or(Value::Null);
    if let Some(o) = v.as_object_mut() {
        o.remove("updated_at");
    }
    v
}

/// What an import says about a record: its document without what dokaz assigns (ids, times)
/// and without what links and other writes add (an incident's persons and units, a case's
/// incidents and suspects, a unit's parent).
pub fn view(r: &AnyRecord) -> Value {
    let mut v = full_view(r);
    if let Some(o) = v.as_object_mut() {
        for k in [
            "id",
            "agency",
            "created_at",
            "created_by",
            "persons",
            "perpetrator_units",
            "incidents",
            "suspects",
            "lead",
            "parent",
        ] {
            o.remove(k);
        }
    }
    v
}

/// SHA-256 of [`view`]: equal exactly when the source says the same thing again. The JSON's
/// keys are sorted (serde_json's map), so the bytes are canonical.
pub fn content_hash(r: &AnyRecord) -> [u8; 32] {
    Sha256::digest(view(r).to_string().as_bytes()).into()
}

/// The imported record as an update of the stored one: the stored identity, times and links
/// kept; a person keeps roles that links added.
pub(crate) fn merge(stored: &AnyRecord, imported: AnyRecord, now: DateTime<Utc>) -> AnyRecord {
    match (stored, imported) {
        (AnyRecord::Incident(s), AnyRecord::Incident(mut i)) => {
            i.id = s.id;
            i.created_at = s.created_at;
            i.created_by = s.created_by;
            i.persons.clone_from(&s.persons);
            i.perpetrator_units.clone_from(&s.perpetrator_units);
            i.updated_at = now;
            AnyRecord::Incident(i)
        }
        (AnyRecord::Person(s), AnyRecord::Person(mut p)) => {
            p.id = s.id;
            p.created_at = s.created_at;
            for r in &s.roles {
                if !p.roles.contains(r) {
                    p.roles.push(*r);
                }
            }
            p.updated_at = now;
            AnyRecord::Person(p)
        }
        (AnyRecord::Unit(s), AnyRecord::Unit(mut u)) => {
            u.id = s.id;
            u.created_at = s.created_at;
            u.parent = s.parent;
            u.updated_at = now;
            AnyRecord::Unit(u)
        }
        (AnyRecord::Case(s), AnyRecord::Case(mut c)) => {
            c.id = s.id;
            c.created_at = s.created_at;
            c.lead = s.lead;
            c.incidents.clone_from(&s.incidents);
            c.suspects.clone_from(&s.suspects);
            c.updated_at = now;
            AnyRecord::Case(c)
        }
        (_, other) => other,
    }
}

/// Top-level fields that differ: `{"field": {"old": …, "new": …}}`.
pub fn diff(old: &Value, new: &Value) -> Value {
    let empty = serde_json::Map::new();
    let (o, n) = (
        old.as_object().unwrap_or(&empty),
        new.as_object().unwrap_or(&empty),
    );
    let mut out = serde_json::Map::new();
    let keys: std::collections::BTreeSet<&String> = o.keys().chain(n.keys()).collect();
    for k in keys {
        let (a, b) = (o.get(k), n.get(k));
        if a != b {
            out.insert(
                k.clone(),
                json!({"old": a.cloned().unwrap_or(Value::Null), "new": b.cloned().unwrap_or(Value::Null)}),
            );
        }
    }
    Value::Object(out)
}
