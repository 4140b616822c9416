//! `dokaz admin`: agencies, users and API tokens, from the node's command line — for the
//! first steps before anyone can log in, and for the operator's scripts. The same code as
//! the API does the work (hashing, one-time passwords, tokens), so both behave alike.

use std::process::ExitCode;

use anyhow::{bail, Context as _};
use chrono::{Duration, Utc};
use dokaz_model::{Agency, AgencyCode, AgencyId, AgencyKind, Login, Role, User, UserId};
use dokaz_server::handlers::{tokens, users};
use dokaz_store::{PageRequest, SessionStore, StoreError, MAX_PAGE_SIZE};
use serde::Serialize;

use crate::node::Node;
use crate::{output, Global};

/// Administer the node: agencies, users, API tokens.
#[derive(Debug, clap::Subcommand)]
#[command(after_help = "Examples:\n  \
    dokaz admin agency add JITUA --name \"Joint Investigation Team\" --kind joint-investigation-team\n  \
    dokaz admin user add o.petrenko --role investigator --identity-cleared\n  \
    dokaz admin user disable o.petrenko\n  \
    dokaz admin token create --user o.petrenko --name nightly-export --scope read")]
pub enum Command {
    /// Agencies: the investigating bodies of this deployment.
    #[command(subcommand)]
    Agency(AgencyCommand),
    /// Users of an agency.
    #[command(subcommand)]
    User(UserCommand),
    /// API tokens for scripts.
    #[command(subcommand)]
    Token(TokenCommand),
}

#[derive(Debug, clap::Subcommand)]
pub enum AgencyCommand {
    /// Add an agency. Its code starts every ERN of its evidence and cannot change.
    Add {
        /// 2-16 capital letters or digits, starting with a letter, e.g. JITUA.
        code: String,
        /// The full name, e.g. "Joint Investigation Team Ukraine".
        #[arg(long)]
        name: String,
        /// national-prosecutor, joint-investigation-team, icc-otp, eurojust, europol, police,
        /// ngo or other.
        #[arg(long, value_parser = parse_kind, default_value = "national-prosecutor")]
        kind: AgencyKind,
        /// ISO 3166-1 alpha-2 country; leave out for international bodies.
        #[arg(long, default_value = "")]
        country: String,
    },
    /// List the agencies.
    List,
}

#[derive(Debug, clap::Subcommand)]
pub enum UserCommand {
    /// Add a user and print their one-time password (shown once, stored only as a hash).
    Add {
        /// 2-64 letters, digits or . _ - @; compared case-insensitively.
        login: String,
        /// investigator, analyst, prosecutor, auditor or admin; repeat for several.
        #[arg(long = "role", required = true, value_parser = parse_role)]
        roles: Vec<Role>,
        /// The agency, by code; the node's own agency when left out.
        #[arg(long)]
        agency: Option<String>,
        /// May see protected identities (witnesses, victims) of the agency's persons; only
        /// investigators and prosecutors use it.
        #[arg(long)]
        identity_cleared: bool,
        /// The name shown in the interface; the login when left out.
        #[arg(long)]
        display_name: Option<String>,
    },
    /// Disable a user: they cannot log in, and their sessions and API tokens end (a running
    /// server notices within 2 seconds).
    Disable {
        /// The user's login.
        login: String,
    },
}

#[derive(Debug, clap::Subcommand)]
pub enum TokenCommand {
    /// Create an API token for a user and print it (shown once, stored only as a hash).
    Create {
        /// Whose token it is; it acts with that user's rights.
        #[arg(long)]
        user: String,
        /// A name to recognise it by, unique per user.
        #[arg(long)]
        name: String,
        /// read (GET only) or write; repeat for both.
        #[arg(long = "scope", required = true)]
        scopes: Vec<String>,
        /// Days until it expires; no expiry when left out.
        #[arg(long)]
        expires_in_days: Option<i64>,
    },
}

fn parse_kind(s: &str) -> Result<AgencyKind, String> {
    AgencyKind::from_code(s).ok_or_else(|| {
        let all: Vec<_> = AgencyKind::ALL.iter().map(|k| k.code()).collect();
        format!(
            "unknown agency kind {s:?}; expected one of {}",
            all.join(", ")
        )
    })
}

fn parse_role(s: &str) -> Result<Role, String> {
    s.parse()
}

pub async fn run(global: &Global, command: Command) -> anyhow::Result<ExitCode> {
    let node = Node::open(global).await?;
    let result = match command {
        Command::Agency(AgencyCommand::Add {
            code,
            name,
            kind,
            country,
        }) => add_agency(global, &node, code, name, kind, country).await,
        Command::Agency(AgencyCommand::List) => list_agencies(global, &node).await,
        Command::User(c) => user(global, &node, c).await,
        Command::Token(c) => token(global, &node, c).await,
    };
    node.store.close().await;
    result.map(|()| ExitCode::SUCCESS)
}

async fn add_agency(
    global: &Global,
    node: &Node,
    code: String,
    name: String,
    kind: AgencyKind,
    country: String,
) -> anyhow::Result<()> {
    let code: AgencyCode = code.parse().map_err(anyhow::Error::msg)?;
    let agency = Agency {
        id: AgencyId::new(),
        code,
        name,
        kind,
        country,
        created_at: Utc::now(),
    };
    node.store
        .create_agency(&agency)
        .await
        .with_context(|| format!("adding the agency {}", agency.code))?;
    if global.json {
        output::json(&agency)?;
    } else {
        println!("Added agency {} — {}", agency.code, agency.name);
    }
    Ok(())
}

async fn list_agencies(global: &Global, node: &Node) -> anyhow::Result<()> {
    let page = node
        .store
        .list_agencies(PageRequest::first(MAX_PAGE_SIZE))
        .await?;
    if global.json {
        return output::json(&page.items);
    }
    for a in page.items {
        println!("{:<16} {:<26} {}", a.code, a.kind.code(), a.name);
    }
    Ok(())
}

/// A user by login, with a message that says what to do when there is none.
async fn find_user(node: &Node, login: &str) -> anyhow::Result<User> {
    let parsed: Login = login.parse().map_err(anyhow::Error::msg)?;
    match node.store.credentials(&parsed).await {
        Ok((user, _)) => Ok(user),
        Err(StoreError::NotFound { .. }) => bail!("no user with login {parsed} on this node"),
        Err(e) => Err(e).context("looking up the user"),
    }
}

#[derive(Debug, Serialize)]
struct UserAdded {
    login: String,
    agency: String,
    roles: Vec<Role>,
    one_time_password: String,
}

async fn user(global: &Global, node: &Node, c: UserCommand) -> anyhow::Result<()> {
    match c {
        UserCommand::Add {
            login,
            roles,
            agency,
            identity_cleared,
            display_name,
        } => {
            let agency = node.agency(agency.as_deref()).await?;
            let login: Login = login.parse().map_err(anyhow::Error::msg)?;
            let user = User {
                id: UserId::new(),
                agency: agency.id,
                display_name: display_name.unwrap_or_else(|| login.to_string()),
                login: login.clone(),
                roles: roles.clone(),
                identity_cleared,
                disabled: false,
                created_at: Utc::now(),
            };
            let one_time_password = users::create_with_password(node.store.as_ref(), &user)
                .await
                .with_context(|| format!("adding the user {login}"))?;
            let added = UserAdded {
                login: login.to_string(),
                agency: agency.code.to_string(),
                roles,
                one_time_password,
            };
            if global.json {
                output::json(&added)?;
            } else {
                println!("Added {} to {}", added.login, added.agency);
                println!(
                    "One-time password: {}   (shown only now; change it at first login)",
                    added.one_time_password
                );
            }
        }
        UserCommand::Disable { login } => {
            let user = find_user(node, &login).await?;
            let sessions: &dyn SessionStore = node.store.as_ref();
            let ended = users::disable_user(node.store.as_ref(), sessions, user.id)
                .await
                .with_context(|| format!("disabling {login}"))?;
            println!("Disabled {}; ended {ended} session(s)", user.login);
        }
    }
    Ok(())
}

async fn token(global: &Global, node: &Node, c: TokenCommand) -> anyhow::Result<()> {
    let TokenCommand::Create {
        user,
        name,
        scopes,
        expires_in_days,
    } = c;
    let user = find_user(node, &user).await?;
    let req = tokens::NewToken {
        name,
        scopes,
        expires_at: expires_in_days.map(|d| Utc::now() + Duration::days(d)),
    };
    let created = tokens::issue(node.store.as_ref(), user.id, req)
        .await
        .map_err(|e| match e {
            dokaz_server::ApiError::Invalid(p) => anyhow::anyhow!("creating the token: {p}"),
            other => anyhow::anyhow!("creating the token: {other}"),
        })?;
    if global.json {
        output::json(&created)?;
    } else {
        println!(
            "API token {:?} for {} (scopes: {})",
            created.info.name,
            user.login,
            created.info.scopes.join(", ")
        );
        println!("{}", created.token);
        println!("Shown only now: store it where your script can read it.");
    }
    Ok(())
}
