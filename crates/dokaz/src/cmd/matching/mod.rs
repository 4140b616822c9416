//! `dokaz match`: deconfliction — the matches found between your agency's records and other
//! agencies', and your agency's decision on each. One variant per subcommand, each with its
//! own arguments and function, so finding, evaluating and calibrating can join reviewing.

pub mod eval;
pub mod review;
pub mod run;

use std::process::ExitCode;

use crate::Global;

/// Deconfliction: review the matches between your agency's records and other agencies'.
///
/// When a record is created or changed, dokaz compares it with every other agency's records
/// and files a match for each likely pair, seen by both agencies. Each agency decides for
/// itself: `confirm` (the same incident, person or unit) or `dismiss` (not the same, with a
/// reason); the other agency sees your status, never your reason.
///
/// You see your own record in full. Of the other side you see its agency, and — unless the
/// record is sealed — its id and kind, the reasons for the match and whether you may open
/// it. A sealed record is never shown: you learn only that its agency holds a matching
/// record and should be contacted. Every command acts as a user (`--as LOGIN`, or
/// DOKAZ_AS), with that user's rights, and decisions are written to the audit log.
#[derive(Debug, clap::Subcommand)]
#[command(after_help = "Examples:\n  \
    dokaz match list --as o.petrenko --status new\n  \
    dokaz match show 0193a7c2-5f1e-7c3a-9b2d-4e8f0a1b2c3d --as o.petrenko\n  \
    dokaz match confirm 0193a7c2-5f1e-7c3a-9b2d-4e8f0a1b2c3d --as o.petrenko --reason \"same shelter\"\n  \
    dokaz match dismiss 0193a7c2-5f1e-7c3a-9b2d-4e8f0a1b2c3d --as o.petrenko --reason \"different village\"")]
pub enum Command {
    List(review::ListArgs),
    Show(review::ShowArgs),
    Confirm(review::ConfirmArgs),
    Dismiss(review::DismissArgs),
    Run(run::RunArgs),
    RotateKey(run::RotateKeyArgs),
    Eval(eval::EvalArgs),
    Calibrate(eval::CalibrateArgs),
}

pub async fn run(global: &Global, c: Command) -> anyhow::Result<ExitCode> {
    match c {
        Command::List(a) => review::list(global, a).await,
        Command::Show(a) => review::show(global, a).await,
        Command::Confirm(a) => review::confirm(global, a).await,
        Command::Dismiss(a) => review::dismiss(global, a).await,
        Command::Run(a) => run::run(global, a).await,
        Command::RotateKey(a) => run::rotate_key(global, a).await,
        Command::Eval(a) => eval::eval(global, a).await,
        Command::Calibrate(a) => eval::calibrate(global, a).await,
    }
}
