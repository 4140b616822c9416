//! The demo's evidence: a generated statement document for a share of the demo incidents,
//! taken into the vault like any intake, so that the custody ledger, proofs and `fsck` have
//! something to show on a fresh demo node.

use std::collections::HashMap;

use anyhow::Context as _;
use dokaz_demo::DemoData;
use dokaz_model::{AgencyId, CaseId, CollectionMethod, Ern, IncidentId};
use dokaz_vault::{IntakeRequest, Vault};

/// One incident in this many gets a statement.
const EVERY: usize = 15;

/// Ingests the statements; returns the ERNs given, in order.
pub async fn ingest(vault: &Vault, data: &DemoData) -> anyhow::Result<Vec<Ern>> {
    let codes: HashMap<AgencyId, _> = data.agencies.iter().map(|a| (a.id, &a.code)).collect();
    let mut case_of: HashMap<IncidentId, (CaseId, String)> = HashMap::new();
    for c in &data.cases {
        for i in &c.incidents {
            case_of.insert(*i, (c.id, c.reference.clone()));
        }
    }
    let mut erns = Vec::new();
    for (k, incident) in data
        .incidents
        .iter()
        .enumerate()
        .filter(|(k, _)| k % EVERY == 0)
    {
        let Some(narrative) = incident.narratives.first() else {
            continue;
        };
        let text = format!(
            "{title}\n{when} — {place}, {oblast}\n\n{body}\n\n[demo document {k}: generated, not a real statement]\n",
            title = incident.title,
            when = incident.occurred.start.format("%Y-%m-%d %H:%M UTC"),
            place = incident.location.place_name,
            oblast = incident.location.oblast,
            body = narrative.text,
        );
        let request = IntakeRequest {
            agency: incident.agency,
            agency_code: codes
                .get(&incident.agency)
                .map(|c| (*c).clone())
                .context("an incident of an unknown demo agency")?,
            case: case_of.get(&incident.id).cloned(),
            original_name: format!("statement-{k:05}.txt"),
            collector: "dokaz demo".into(),
            method: CollectionMethod::Testimony,
            source_url: None,
            incidents: vec![incident.id],
            classification: incident.classification,
            actor: incident.created_by,
            declared_sha256: None,
            collection: None,
        };
        let receipt = vault
            .ingest(text.as_bytes(), request)
            .await
            .with_context(|| format!("ingesting demo statement {k}"))?;
        erns.push(receipt.ern);
    }
    vault.sync().await.context("publishing the checkpoint")?;
    Ok(erns)
}
