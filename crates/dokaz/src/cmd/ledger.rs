//! `dokaz ledger checkpoint|prove|consistency|verify`: the custody ledger's signed
//! checkpoint and the proofs a court or partner agency checks without trusting this node —
//! `verify` is that check, offline, with nothing but public files.

use std::process::ExitCode;

use std::path::PathBuf;

use anyhow::Context as _;
use dokaz_ledger::{Checkpoint, DirFetcher, TileReader, Verifier};
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
    /// Check a signed checkpoint offline, as a third party would: its signature against the
    /// node's public key, every published tile and entry against its root, and an item's
    /// proof (from `ledger prove`) against it. Needs no data directory and no database.
    ///
    /// Example, with the files a node publishes (its node.vkey, blobs/log/checkpoint and
    /// the blobs/log/ tiles):
    ///   dokaz ledger verify --key node.vkey --checkpoint log/checkpoint --tiles log \
    ///       --proof item-proof.json
    Verify(VerifyArgs),
}

#[derive(Debug, clap::Args)]
pub struct VerifyArgs {
    /// The node's verifier key (`node.vkey`: `<origin>+<key id>+<public key>`).
    #[arg(long)]
    key: PathBuf,
    /// The signed checkpoint (C2SP signed note).
    #[arg(long)]
    checkpoint: PathBuf,
    /// The directory holding the log's `tile/` tree; every entry is checked when given.
    #[arg(long)]
    tiles: Option<PathBuf>,
    /// An item's proof as printed by `dokaz ledger prove`.
    #[arg(long)]
    proof: Option<PathBuf>,
}

pub async fn run(global: &Global, command: Command) -> anyhow::Result<ExitCode> {
    if let Command::Verify(args) = command {
        return verify(global, &args);
    }
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
        Command::Verify(_) => unreachable!("verify needs no node and returns earlier"),
    }
    Ok(ExitCode::SUCCESS)
}

/// What `verify` established, for `--json`.
#[derive(Debug, serde::Serialize)]
struct Verified {
    origin: String,
    size: u64,
    root: String,
    entries_checked: Option<u64>,
    item: Option<String>,
}

fn verify(global: &Global, args: &VerifyArgs) -> anyhow::Result<ExitCode> {
    let read = |p: &PathBuf| {
        std::fs::read_to_string(p).with_context(|| format!("reading {}", p.display()))
    };
    let verifier = Verifier::parse(read(&args.key)?.trim())
        .with_context(|| format!("{} is not a verifier key", args.key.display()))?;
    // The key's name is the log's origin: a checkpoint of another log proves nothing here.
    let origin = verifier.name().to_owned();
    let (cp, _) = Checkpoint::open(read(&args.checkpoint)?.as_bytes(), &origin, &verifier)
        .with_context(|| {
            format!(
                "the checkpoint {} does not verify",
                args.checkpoint.display()
            )
        })?;
    let entries_checked = match &args.tiles {
        Some(dir) => Some(
            TileReader::new(DirFetcher { root: dir.clone() }, cp.size())
                .verify_all(&cp.root())
                .with_context(|| {
                    format!("the tiles in {} do not match the checkpoint", dir.display())
                })?,
        ),
        None => None,
    };
    let item = match &args.proof {
        Some(p) => {
            let proof: dokaz_vault::ItemProof = serde_json::from_str(&read(p)?)
                .with_context(|| format!("{} is not an item proof", p.display()))?;
            proof
                .verify(&origin, &verifier)
                .with_context(|| format!("the proof in {} does not verify", p.display()))?;
            Some(format!(
                "{} ({} custody entries)",
                proof.ern,
                proof.entries.len()
            ))
        }
        None => None,
    };
    let v = Verified {
        origin,
        size: cp.size(),
        root: cp.root().to_string(),
        entries_checked,
        item,
    };
    if global.json {
        output::json(&v)?;
    } else {
        println!(
            "checkpoint verified: {} at size {}, root {}",
            v.origin, v.size, v.root
        );
        if let Some(n) = v.entries_checked {
            println!("tiles verified: {n} entries hash to that root");
        }
        if let Some(item) = &v.item {
            println!("proof verified: {item} included in that checkpoint");
        }
    }
    Ok(ExitCode::SUCCESS)
}
