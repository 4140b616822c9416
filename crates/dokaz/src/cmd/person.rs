//! `dokaz person list` and `dokaz person consent add|withdraw|show`: the persons of the
//! registry and the consents they gave.

use std::process::ExitCode;

use anyhow::{bail, Context as _};
use chrono::{NaiveDate, SubsecRound, Utc};
use dokaz_model::{Consent, ConsentId, Ern, Person, PersonId, Purpose, Recipient};
use dokaz_store::{Cursor, PageRequest};

use crate::node::Node;
use crate::{output, Global};

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// List persons, oldest first, a page at a time (identities of protected persons are
    /// not printed).
    List {
        /// Only this agency's persons (default: all).
        #[arg(long)]
        agency: Option<String>,
        #[arg(long, default_value_t = 50)]
        limit: u32,
        /// The cursor printed after the previous page.
        #[arg(long)]
        after: Option<String>,
    },
    /// What a person consented to: record, withdraw, show.
    #[command(subcommand)]
    Consent(ConsentCommand),
}

#[derive(Debug, clap::Subcommand)]
pub enum ConsentCommand {
    Add(AddArgs),
    Withdraw(WithdrawArgs),
    Show(ShowArgs),
}

/// Record a consent the person gave: the purposes, the recipients, whether their identity
/// may be disclosed, when, and who took it.
///
/// Consent governs everything that leaves the agency: a grant on one of the person's
/// statements (items ingested with `--statement-by`, and their derivatives), an export, and
/// every read of such a statement by another agency. A disclosure is allowed when one
/// consent in force allows its purpose and names its recipient (and, if the item shows who
/// the person is, allows identity disclosure — otherwise share a redacted derivative). A
/// consent covers all the person's statements, or with `--statement` one of them.
///
/// Example:
///
///   dokaz person consent add 01935c1e-... --purpose investigation --purpose prosecution \
///     --recipient own-agency --recipient icc --recipient agency:JIT --no-identity \
///     --given-on 2024-05-01 --recorded-by "Investigator O. Kovalenko"
#[derive(Debug, clap::Args)]
pub struct AddArgs {
    /// The person's id.
    person: PersonId,
    /// investigation, prosecution, documentation or research; repeat for several.
    #[arg(long = "purpose", required = true)]
    purposes: Vec<Purpose>,
    /// own-agency, icc (ICC Office of the Prosecutor), national-courts (national
    /// prosecutors), eurojust, or agency:CODE for one named agency; repeat for several.
    #[arg(long = "recipient", required = true)]
    recipients: Vec<String>,
    /// The person allowed their identity to be disclosed to those recipients.
    #[arg(long, conflicts_with = "no_identity")]
    identity: bool,
    /// The person did not (the default): only redacted derivatives may go.
    #[arg(long)]
    no_identity: bool,
    /// The day the person gave it (YYYY-MM-DD; default today).
    #[arg(long)]
    given_on: Option<NaiveDate>,
    /// Who took it, as on the signed form.
    #[arg(long)]
    recorded_by: String,
    /// Only this statement (its ERN); default: all the person's statements and identity.
    #[arg(long)]
    statement: Option<Ern>,
}

/// Record that the person withdrew a consent. It takes effect at the next request: reads
/// and grants after it are refused, naming the rule. What was disclosed before stays on the
/// audit record; the consent itself is never deleted.
#[derive(Debug, clap::Args)]
pub struct WithdrawArgs {
    /// The consent's id (see `dokaz person consent show`).
    consent: ConsentId,
    /// The day the person withdrew it (default today).
    #[arg(long)]
    on: Option<NaiveDate>,
    /// Who recorded the withdrawal.
    #[arg(long)]
    recorded_by: String,
}

/// Show every consent of a person, in force or withdrawn.
#[derive(Debug, clap::Args)]
pub struct ShowArgs {
    /// The person's id.
    person: PersonId,
}

pub async fn run(global: &Global, c: Command) -> anyhow::Result<ExitCode> {
    let node = Node::open(global).await?;
    let result = match c {
        Command::List {
            agency,
            limit,
            after,
        } => list(global, &node, agency.as_deref(), limit, after).await,
        Command::Consent(ConsentCommand::Add(a)) => add(global, &node, a).await,
        Command::Consent(ConsentCommand::Withdraw(a)) => withdraw(global, &node, a).await,
        Command::Consent(ConsentCommand::Show(a)) => show(global, &node, a.person).await,
    };
    node.store.close().await;
    result
}

async fn list(
    global: &Global,
    node: &Node,
    agency: Option<&str>,
    limit: u32,
    after: Option<String>,
) -> anyhow::Result<ExitCode> {
    let agency = match agency {
        Some(code) => Some(node.agency(Some(code)).await?.id),
        None => None,
    };
    let mut page = PageRequest::first(limit);
    if let Some(a) = after {
        page.after = Some(Cursor::decode(&a)?);
    }
    let p = node.store.list_persons(agency, page).await?;
    if global.json {
        output::json(&p)?;
        return Ok(ExitCode::SUCCESS);
    }
    let rows: Vec<Vec<String>> = p
        .items
        .iter()
        .map(|x: &Person| {
            let roles: Vec<String> = x
                .roles
                .iter()
                .map(|r| {
                    serde_json::to_value(r)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_owned))
                        .unwrap_or_default()
                })
                .collect();
            vec![
                x.id.to_string(),
                roles.join(","),
                if x.protected {
                    "(protected)".into()
                } else {
                    output::clip(x.names.first().map(|n| n.full.as_str()).unwrap_or(""), 40)
                },
            ]
        })
        .collect();
    output::table(&["ID", "ROLES", "NAME"], &rows);
    if let Some(n) = p.next {
        println!("\nmore: --after {n}");
    }
    Ok(ExitCode::SUCCESS)
}

async fn add(global: &Global, node: &Node, a: AddArgs) -> anyhow::Result<ExitCode> {
    let person = node
        .store
        .person(a.person)
        .await
        .with_context(|| format!("person {}", a.person))?;
    let mut recipients = vec![];
    for r in &a.recipients {
        recipients.push(match r.strip_prefix("agency:") {
            Some(code) => Recipient::Agency(node.agency(Some(code)).await?.id),
            None => r.parse().map_err(anyhow::Error::msg)?,
        });
    }
    let (statement, statement_ern) = match &a.statement {
        Some(ern) => {
            let item = node
                .store
                .evidence_by_ern(ern)
                .await
                .with_context(|| format!("statement {ern}"))?;
            if item.agency != person.agency {
                bail!("{ern} is not an item of the person's agency");
            }
            (Some(item.id), Some(item.ern))
        }
        None => (None, None),
    };
    let now = Utc::now().trunc_subsecs(6);
    let c = Consent {
        id: ConsentId::new(),
        person: person.id,
        agency: person.agency,
        statement,
        statement_ern,
        purposes: a.purposes,
        recipients,
        identity_disclosure: a.identity && !a.no_identity,
        given_on: a.given_on.unwrap_or(now.date_naive()),
        recorded_by: a.recorded_by.trim().to_owned(),
        entered_by: None,
        recorded_at: now,
        withdrawn_on: None,
        withdrawal_recorded_by: None,
        withdrawal_recorded_at: None,
    };
    if let Err(p) = c.validate(now.date_naive()) {
        bail!("{p}");
    }
    node.store.add_consent(&c).await?;
    if global.json {
        output::json(&c)?;
    } else {
        println!("consent {} recorded for person {}", c.id, c.person);
    }
    Ok(ExitCode::SUCCESS)
}

async fn withdraw(global: &Global, node: &Node, a: WithdrawArgs) -> anyhow::Result<ExitCode> {
    let now = Utc::now().trunc_subsecs(6);
    let stored = node.store.consent(a.consent).await?;
    let on = a.on.unwrap_or(now.date_naive());
    if on < stored.given_on {
        bail!(
            "--on: a consent given on {} cannot be withdrawn before it",
            stored.given_on
        );
    }
    let c = node
        .store
        .withdraw_consent(a.consent, on, a.recorded_by.trim(), now)
        .await?;
    if global.json {
        output::json(&c)?;
    } else {
        println!(
            "consent {} withdrawn on {on}; it no longer allows anything from that day",
            c.id
        );
    }
    Ok(ExitCode::SUCCESS)
}

async fn show(global: &Global, node: &Node, person: PersonId) -> anyhow::Result<ExitCode> {
    node.store
        .person(person)
        .await
        .with_context(|| format!("person {person}"))?;
    let consents = node.store.consents_of_person(person).await?;
    if global.json {
        output::json(&consents)?;
        return Ok(ExitCode::SUCCESS);
    }
    let today = Utc::now().date_naive();
    let mut rows = vec![];
    for c in &consents {
        let mut recipients = vec![];
        for r in &c.recipients {
            recipients.push(match r {
                Recipient::Agency(id) => match node.store.agency(*id).await {
                    Ok(a) => format!("agency:{}", a.code),
                    Err(_) => r.to_string(),
                },
                _ => r.to_string(),
            });
        }
        rows.push(vec![
            c.id.to_string(),
            c.statement_ern
                .as_ref()
                .map(|e| e.to_string())
                .unwrap_or_else(|| "all statements".into()),
            c.purposes
                .iter()
                .map(|p| p.code())
                .collect::<Vec<_>>()
                .join(","),
            recipients.join(","),
            if c.identity_disclosure { "yes" } else { "no" }.into(),
            c.given_on.to_string(),
            match c.withdrawn_on {
                Some(w) => format!("withdrawn {w}"),
                None if c.is_active(today) => "in force".into(),
                None => "not yet in force".into(),
            },
        ]);
    }
    output::table(
        &[
            "CONSENT",
            "COVERS",
            "PURPOSES",
            "RECIPIENTS",
            "IDENTITY",
            "GIVEN",
            "STATE",
        ],
        &rows,
    );
    if consents.is_empty() {
        println!("(no consent on record: the person's statements do not leave the agency)");
    }
    Ok(ExitCode::SUCCESS)
}
