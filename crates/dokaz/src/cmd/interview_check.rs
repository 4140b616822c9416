//! `dokaz interview check`: before interviewing a person, whether they — matched across
//! agencies, scripts and spellings — were interviewed already.

use std::process::ExitCode;

use anyhow::Context as _;
use dokaz_deconflict::PriorInterviews;
use dokaz_model::PersonId;

use crate::node::Node;
use crate::{matcher, output, Global};

/// Before a new interview: was this person already interviewed — by your agency, or by
/// another agency under another spelling or script (Коваленко Олена = Kovalenko Olena =
/// Коваленко Елена)?
///
/// Lists, for each matching person of another agency, the interviews' dates, the
/// interviewers' functions and topic codes — never content. A sealed person of another agency
/// is matched blindly and reported only as "agency X has interviewed a matching person".
#[derive(Debug, clap::Args)]
#[command(after_help = "Example:\n  dokaz interview check --person 01935c1e-…")]
pub struct CheckArgs {
    /// The person you are about to interview (one of your agency's person records).
    #[arg(long)]
    person: PersonId,
}

pub async fn check(global: &Global, node: &Node, a: CheckArgs) -> anyhow::Result<ExitCode> {
    let person = node
        .store
        .person(a.person)
        .await
        .with_context(|| format!("person {}", a.person))?;
    let report = matcher::deconflictor(node)?
        .interview_check(&person)
        .await?;
    if global.json {
        output::json(&report)?;
        return Ok(ExitCode::SUCCESS);
    }
    let code = |id| async move {
        node.store
            .agency(id)
            .await
            .map(|a| a.code.to_string())
            .unwrap_or_else(|_| id.to_string())
    };
    if report.own.is_empty() && report.others.is_empty() {
        println!("No interview of this person or of a matching person is on record.");
        return Ok(ExitCode::SUCCESS);
    }
    for i in &report.own {
        println!(
            "your agency interviewed this person on {} ({:?}; topics: {})",
            i.date,
            i.interviewer_role,
            i.topics.join(", ")
        );
    }
    for other in &report.others {
        match other {
            PriorInterviews::Sealed { agency } => println!(
                "agency {} has interviewed a matching person — contact them before interviewing",
                code(*agency).await
            ),
            PriorInterviews::Open {
                agency,
                person,
                reasons,
                interviews,
            } => {
                println!(
                    "agency {} interviewed a matching person ({person}; {reasons}):",
                    code(*agency).await
                );
                for i in interviews {
                    println!(
                        "  on {} ({:?}; topics: {})",
                        i.date,
                        i.interviewer_role,
                        i.topics.join(", ")
                    );
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
