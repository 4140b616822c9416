//! `dokaz ledger checkpoint|prove|consistency`: the custody ledger's signed checkpoint and
//! the proofs a court or partner agency checks without trusting this node.

use std::process::ExitCode;

use anyhow::Context as _;
use dokaz_model::Ern;

use crate::node::Node;
use crate::{output, Global};

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Print the latest signed checkpoint (a C2SP signed note: origin, size, root).
    Checkpoint,
    /// Print an item's custody entries with inclusion proofs against the latest checkpoint,
    /// as JSON.
    Prove {
        /// The item's ERN, e.g. PGO-GEN-000001.
        ern: Ern,
    },
    /// Print a proof that the log at OLD entries is a prefix of the log at NEW entries, as
    /// JSON.
    Consistency {
        old: u64,
        /// Default: the latest checkpoint's size.
        new: Option<u64>,
    },
}

pub async fn run(global: &Global, command: Command) -> anyhow::Result<ExitCode> {
    let node = Node::open(global).await?;
    let result = ledger(global, &node, command).await;
    node.store.close().await;
    result
}

async fn ledger(global: &Global, node: &Node, command: Command) -> anyhow::Result<ExitCode> {
    let vault = crate::vault::open(node).await?;
    match command {
        Command::Checkpoint => {
            let cp = vault.checkpoint().await.context("the latest checkpoint")?;
            if global.json {
                output::json(&serde_json::json!({
                    "size": cp.size,
                    "note": cp.note,
                    "created_at": cp.created_at,
                }))?;
            } else {
                print!("{}", cp.note);
            }
        }
        Command::Prove { ern } => {
            let proof = vault
                .prove(&ern)
                .await
                .with_context(|| format!("proving {ern}"))?;
            output::json(&proof)?;
        }
        Command::Consistency { old, new } => {
            let new = match new {
                Some(n) => n,
                None => vault.checkpoint().await?.size,
            };
            let proof = vault
                .consistency(old, new)
                .await
                .with_context(|| format!("consistency {old} -> {new}"))?;
            output::json(&proof)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
