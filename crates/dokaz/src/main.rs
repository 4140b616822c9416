//! `dokaz`: the command line of a dokaz node. Thin by design: each command parses its
//! arguments, opens the node and calls the library crates; all rules live below.
#![forbid(unsafe_code)]

mod cmd;
mod config;
mod matcher;
mod node;
mod output;
mod password;
mod vault;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// dokaz — coordinate war-crimes investigations across agencies: a registry of incidents and
/// cases, an evidence vault with a verifiable chain of custody, deconfliction and
/// court-ready exports.
///
/// A node keeps everything in one data directory (SQLite and a blob folder by default).
/// Start with `dokaz init`, or `dokaz demo` to explore with generated data.
#[derive(Debug, Parser)]
#[command(
    name = "dokaz",
    version,
    propagate_version = true,
    max_term_width = 100
)]
pub struct Cli {
    #[command(flatten)]
    global: Global,
    #[command(subcommand)]
    command: Command,
}

/// Options every command takes.
#[derive(Debug, Clone, clap::Args)]
pub struct Global {
    /// The node's data directory (configuration, SQLite database, blobs, signing key).
    #[arg(
        long,
        global = true,
        env = "DOKAZ_DATA_DIR",
        default_value = "dokaz-data"
    )]
    data_dir: PathBuf,
    /// The registry database: `sqlite://PATH` or `postgres://USER@HOST/DB`. Overrides
    /// `database_url` in dokaz.toml; defaults to the data directory's SQLite file.
    #[arg(long, global = true, env = "DOKAZ_DATABASE_URL")]
    database_url: Option<String>,
    /// Print machine-readable JSON instead of tables and prose.
    #[arg(long, global = true)]
    json: bool,
}

#[derive(Debug, Subcommand)]
enum Command {
    Init(cmd::init::Args),
    #[command(subcommand)]
    Incident(cmd::incident::Command),
    #[command(subcommand)]
    Import(cmd::import::Command),
    Export(cmd::export::Args),
    Demo(cmd::demo::Args),
    Ingest(cmd::ingest::Args),
    /// Evidence items: derivatives (redactions, translations, excerpts, …) and families.
    #[command(subcommand)]
    Evidence(cmd::evidence::Command),
    /// Persons and their consents.
    #[command(subcommand)]
    Person(cmd::person::Command),
    /// Cases: references and working languages.
    #[command(subcommand)]
    Case(cmd::case::Command),
    /// The interview register: who interviewed whom, when, on what (never the content).
    #[command(subcommand)]
    Interview(cmd::interview::Command),
    Fsck(cmd::fsck::Args),
    /// The custody ledger: signed checkpoints and proofs.
    #[command(subcommand)]
    Ledger(cmd::ledger::Command),
    Serve(cmd::serve::Args),
    #[command(subcommand)]
    Match(cmd::matching::Command),
    #[command(subcommand)]
    Admin(cmd::admin::Command),
}

/// mimalloc instead of glibc's malloc: the group commit allocates an event's entry, ids and
/// buffers on the callers' threads and frees them on the sequencer's, which glibc's arenas
/// handled with locking and consolidation, a fifth of the CPU time of a custody append.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_tracing();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: starting the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async {
        match cli.command {
            Command::Init(args) => cmd::init::run(&cli.global, args).await,
            Command::Incident(c) => cmd::incident::run(&cli.global, c).await,
            Command::Import(c) => cmd::import::run(&cli.global, c).await,
            Command::Export(args) => cmd::export::run(&cli.global, args).await,
            Command::Demo(args) => cmd::demo::run(&cli.global, args).await,
            Command::Ingest(args) => cmd::ingest::run(&cli.global, args).await,
            Command::Evidence(c) => cmd::evidence::run(&cli.global, c).await,
            Command::Person(c) => cmd::person::run(&cli.global, c).await,
            Command::Case(c) => cmd::case::run(&cli.global, c).await,
            Command::Interview(c) => cmd::interview::run(&cli.global, c).await,
            Command::Fsck(args) => cmd::fsck::run(&cli.global, args).await,
            Command::Ledger(c) => cmd::ledger::run(&cli.global, c).await,
            Command::Serve(args) => cmd::serve::run(&cli.global, args).await,
            Command::Match(c) => cmd::matching::run(&cli.global, c).await,
            Command::Admin(c) => cmd::admin::run(&cli.global, c).await,
        }
    });
    match result {
        Ok(code) => code,
        Err(e) => {
            // `{:#}` prints the whole chain of causes on one line: what failed and why.
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// Logs go to stderr so that `--json` output on stdout stays clean; `DOKAZ_LOG` sets the
/// filter (e.g. `DOKAZ_LOG=debug`), warnings only by default.
fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("DOKAZ_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .init();
}
