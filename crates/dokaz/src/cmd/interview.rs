//! `dokaz interview add`: the interview register — that an agency interviewed a person,
//! when, in which role, on which topics; never what was said.
//!
//! `interview check` (whether the same person, matched across agencies, scripts and
//! spellings, was already interviewed) is in `interview_check.rs`.

use std::process::ExitCode;

use anyhow::{bail, Context as _};
use chrono::{NaiveDate, SubsecRound, Utc};
use dokaz_model::{Interview, InterviewId, InterviewerRole, PersonId};

use crate::node::Node;
use crate::{output, Global};

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    Add(AddArgs),
    Check(super::interview_check::CheckArgs),
}

/// Record that your agency interviewed a person: the date, the interviewer's function and
/// topic codes (from the legal taxonomy or incident types, e.g. rs-7-1-d, filtration) —
/// never the content, never the interviewer's name. Other agencies learn from the register
/// that the person was interviewed, so that witnesses are not questioned over and over.
///
/// Example:
///
///   dokaz interview add --person 01935c1e-... --date 2024-05-02 --role investigator \
///     --topic rs-7-1-d --topic filtration
#[derive(Debug, clap::Args)]
pub struct AddArgs {
    /// The person's id (one of the agency's persons).
    #[arg(long)]
    person: PersonId,
    /// The day of the interview (YYYY-MM-DD).
    #[arg(long)]
    date: NaiveDate,
    /// investigator, prosecutor, analyst, psychologist or other.
    #[arg(long)]
    role: InterviewerRole,
    /// Topic codes; repeat for several.
    #[arg(long = "topic")]
    topics: Vec<String>,
    /// The interviewing agency (default: the node's agency).
    #[arg(long)]
    agency: Option<String>,
}

pub async fn run(global: &Global, c: Command) -> anyhow::Result<ExitCode> {
    let node = Node::open(global).await?;
    let result = match c {
        Command::Add(a) => add(global, &node, a).await,
        Command::Check(a) => super::interview_check::check(global, &node, a).await,
    };
    node.store.close().await;
    result
}

async fn add(global: &Global, node: &Node, a: AddArgs) -> anyhow::Result<ExitCode> {
    let agency = node.agency(a.agency.as_deref()).await?;
    let person = node
        .store
        .person(a.person)
        .await
        .with_context(|| format!("person {}", a.person))?;
    if person.agency != agency.id {
        bail!(
            "person {} is not a record of {}; record the interview on your agency's own record of the person",
            a.person,
            agency.code
        );
    }
    let now = Utc::now().trunc_subsecs(6);
    let i = Interview {
        id: InterviewId::new(),
        person: person.id,
        agency: agency.id,
        date: a.date,
        interviewer_role: a.role,
        topics: a.topics.iter().map(|t| t.trim().to_owned()).collect(),
        recorded_by: None,
        recorded_at: now,
    };
    if let Err(p) = i.validate(now.date_naive()) {
        bail!("{p}");
    }
    node.store.add_interview(&i).await?;
    if global.json {
        output::json(&i)?;
    } else {
        println!(
            "interview {} of person {} on {} recorded for {}",
            i.id, i.person, i.date, agency.code
        );
    }
    Ok(ExitCode::SUCCESS)
}
