//! Which records an export may take out of the node, and how much of each: the same rules
//! as every other disclosure ([`dokaz_access::decide`]), applied record by record while the
//! store is walked page by page. The command line and the HTTP API both export through
//! [`export`], so the rules cannot differ between them.

use std::collections::HashMap;
use std::io::{self, Write};

use chrono::{DateTime, Utc};
use dokaz_access::{
    decide, may_see_identity, pseudonym, Action, Principal, Resource, ResourceKind,
};
use dokaz_model::{AgencyId, Classification, Grant, GrantLevel, GrantTarget};
use dokaz_store::{
    Cursor, ExternalId, IncidentFilter, PageRequest, Store, StoreError, MAX_PAGE_SIZE,
};
use serde::Serialize;
use uuid::Uuid;

use crate::export::{ExportFormat, ExportRecord, Exporter};
use crate::Kind;

/// Who the export is for: a user, whose rights apply, or the node's operator at the command
/// line (no principal), who sees every record but no protected identity.
#[derive(Debug, Clone, Copy)]
pub struct Viewer<'a> {
    pub principal: Option<&'a Principal>,
    /// The node's pseudonym key: a withheld identity becomes the same pseudonym as in the API.
    pub pseudonym_key: &'a [u8],
}

impl Viewer<'_> {
    fn may(&self, r: &Resource, level: GrantLevel, grants: &[Grant]) -> bool {
        match self.principal {
            None => true,
            Some(p) => decide(p, Action::View(level), r, grants, Utc::now()).allowed,
        }
    }

    fn cleared_for(&self, agency: AgencyId) -> bool {
        self.principal.is_some_and(|p| may_see_identity(p, agency))
    }

    /// The grants to the viewer's agency on a page's records.
    async fn grants(
        &self,
        store: &dyn Store,
        targets: Vec<GrantTarget>,
    ) -> Result<Vec<Grant>, StoreError> {
        match self.principal {
            Some(p) if !targets.is_empty() => store.grants_for(p.agency, &targets).await,
            _ => Ok(vec![]),
        }
    }
}

/// Which records: one kind, optionally one agency's, incidents optionally within dates.
#[derive(Debug, Clone)]
pub struct Selection {
    /// Incidents, persons, units or cases (links are not exported on their own).
    pub kind: Kind,
    pub agency: Option<AgencyId>,
    /// Incidents whose time range ends on or after this time.
    pub occurred_from: Option<DateTime<Utc>>,
    /// Incidents whose time range starts before this time.
    pub occurred_to: Option<DateTime<Utc>>,
    /// Write the external ids of this source (default: the first the record has).
    pub source: Option<String>,
}

/// What an export wrote and what it held back.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Disclosed {
    pub written: u64,
    /// Records the viewer may not see, left out.
    pub withheld: u64,
    /// Protected identities replaced by their pseudonym.
    pub identities_withheld: u64,
}

impl Disclosed {
    /// The export in words, for its audit record: `12 persons written as csv, 3 withheld, 2
    /// identities withheld`.
    pub fn describe(&self, kind: Kind, format: ExportFormat) -> String {
        format!(
            "{} {} written as {}, {} withheld, {} identities withheld",
            self.written,
            kind.code(),
            format.code(),
            self.withheld,
            self.identities_withheld
        )
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("writing the export: {0}")]
    Io(#[from] io::Error),
    #[error("{0} cannot be exported on their own")]
    Kind(&'static str),
}

/// Walks the selection and writes what the viewer may see into `exporter`; `on_page` gets the
/// count written so far after each page (for a progress display).
pub async fn export<W: Write>(
    store: &dyn Store,
    viewer: &Viewer<'_>,
    sel: &Selection,
    exporter: &mut Exporter<W>,
    mut on_page: impl FnMut(u64),
) -> Result<Disclosed, ExportError> {
    let mut out = Disclosed::default();
    let filter = IncidentFilter {
        agency: sel.agency,
        occurred_from: sel.occurred_from,
        occurred_to: sel.occurred_to,
    };
    let mut page = PageRequest::first(MAX_PAGE_SIZE);
    loop {
        let next = match sel.kind {
            Kind::Incidents => {
                let p = store.list_incidents(&filter, page).await?;
                let ext = externals(store, p.items.iter().map(|i| i.id.as_uuid()), sel).await?;
                let targets = p.items.iter().map(|i| GrantTarget::Incident(i.id));
                let grants = viewer.grants(store, targets.collect()).await?;
                for i in &p.items {
                    let r = resource(
                        ResourceKind::Incident,
                        i.agency,
                        i.classification,
                        vec![GrantTarget::Incident(i.id)],
                    );
                    if !viewer.may(&r, GrantLevel::Metadata, &grants) {
                        out.withheld += 1;
                        continue;
                    }
                    let narrative = viewer.may(&r, GrantLevel::Content, &grants);
                    let record = ExportRecord::Incident {
                        incident: i,
                        narrative,
                    };
                    exporter.write(&record, ext.get(&i.id.as_uuid()))?;
                }
                p.next
            }
            Kind::Persons => {
                let p = store.list_persons(sel.agency, page).await?;
                let ext = externals(store, p.items.iter().map(|i| i.id.as_uuid()), sel).await?;
                for person in &p.items {
                    let r = resource(
                        ResourceKind::Person,
                        person.agency,
                        person.classification,
                        vec![],
                    );
                    if !viewer.may(&r, GrantLevel::Metadata, &[]) {
                        out.withheld += 1;
                        continue;
                    }
                    let pseudo =
                        (person.protected && !viewer.cleared_for(person.agency)).then(|| {
                            out.identities_withheld += 1;
                            pseudonym(viewer.pseudonym_key, person.id)
                        });
                    let record = ExportRecord::Person {
                        person,
                        pseudonym: pseudo,
                    };
                    exporter.write(&record, ext.get(&person.id.as_uuid()))?;
                }
                p.next
            }
            Kind::Units => {
                let p = store.list_units(sel.agency, page).await?;
                let ext = externals(store, p.items.iter().map(|i| i.id.as_uuid()), sel).await?;
                for u in &p.items {
                    let r = resource(ResourceKind::Unit, u.agency, u.classification, vec![]);
                    if !viewer.may(&r, GrantLevel::Metadata, &[]) {
                        out.withheld += 1;
                        continue;
                    }
                    exporter.write(&ExportRecord::Unit(u), ext.get(&u.id.as_uuid()))?;
                }
                p.next
            }
            Kind::Cases => {
                let p = store.list_cases(sel.agency, page).await?;
                let ext = externals(store, p.items.iter().map(|i| i.id.as_uuid()), sel).await?;
                let targets = p.items.iter().map(|c| GrantTarget::Case(c.id));
                let grants = viewer.grants(store, targets.collect()).await?;
                for c in &p.items {
                    let r = resource(
                        ResourceKind::Case,
                        c.agency,
                        c.classification,
                        vec![GrantTarget::Case(c.id)],
                    );
                    if !viewer.may(&r, GrantLevel::Metadata, &grants) {
                        out.withheld += 1;
                        continue;
                    }
                    exporter.write(&ExportRecord::Case(c), ext.get(&c.id.as_uuid()))?;
                }
                p.next
            }
            Kind::Links => return Err(ExportError::Kind("links")),
        };
        out.written = exporter.written;
        on_page(out.written);
        match next {
            Some(cursor) => page.after = Some(Cursor::decode(&cursor)?),
            None => return Ok(out),
        }
    }
}

fn resource(
    kind: ResourceKind,
    agency: AgencyId,
    classification: Classification,
    covered_by: Vec<GrantTarget>,
) -> Resource {
    Resource {
        kind,
        agency,
        classification,
        covered_by,
        // Consent governs statements and their bytes leaving the agency; a registry export
        // withholds protected identities by clearance instead.
        consent: None,
    }
}

/// Each record's external id: of the selection's source when given, else the first.
async fn externals(
    store: &dyn Store,
    ids: impl Iterator<Item = Uuid>,
    sel: &Selection,
) -> Result<HashMap<Uuid, ExternalId>, StoreError> {
    let ids: Vec<Uuid> = ids.collect();
    let mut out = HashMap::new();
    for e in store.external_ids_of(&ids).await? {
        if sel.source.as_deref().is_some_and(|s| s != e.source) {
            continue;
        }
        out.entry(e.record).or_insert(e);
    }
    Ok(out)
}
