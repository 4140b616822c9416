//! `dokaz match list|show|confirm|dismiss`: reviewing matches as a user of the node. What a
//! user sees of a match is built by `dokaz_server::match_view`, the same code the HTTP API
//! uses; whether they may see or decide it is `dokaz_access::decide` on their own side's
//! record, audited as over HTTP (`match.list`, `match.read`, `match.confirm`,
//! `match.dismiss`).

use std::process::ExitCode;

use anyhow::{bail, Context as _};
use chrono::Utc;
use dokaz_access::{Action, Principal};
use dokaz_model::matching::check_decision;
use dokaz_model::{
    AuditRecord, Decision, GrantLevel, Login, Match, MatchId, MatchKind, MatchStatus, User,
};
use dokaz_server::authz::must_audit;
use dokaz_server::match_view::{target, MatchView, OtherSide, ToAudit, Viewer};
use dokaz_store::{Cursor, MatchFilter, PageRequest, Store, StoreError};

use crate::node::Node;
use crate::{output, Global};

/// Who acts: every match command runs with one user's rights.
#[derive(Debug, Clone, clap::Args)]
pub struct Actor {
    /// Act as this user (their agency's matches, their rights). Also DOKAZ_AS.
    #[arg(long = "as", value_name = "LOGIN", env = "DOKAZ_AS")]
    login: String,
}

/// List your agency's matches, oldest first: your status, the other agency, and the other
/// record unless it is sealed.
#[derive(Debug, clap::Args)]
pub struct ListArgs {
    #[command(flatten)]
    actor: Actor,
    /// Only matches of this kind: incident, person, unit or evidence.
    #[arg(long)]
    kind: Option<MatchKind>,
    /// Only matches your agency has decided so: new, confirmed or dismissed.
    #[arg(long)]
    status: Option<MatchStatus>,
    /// Matches per page (1–1000).
    #[arg(long, default_value_t = 100)]
    limit: u32,
    /// Continue after this cursor (printed at the end of the previous page).
    #[arg(long)]
    after: Option<String>,
}

/// Show one match as your agency sees it.
#[derive(Debug, clap::Args)]
pub struct ShowArgs {
    /// The match id.
    id: MatchId,
    #[command(flatten)]
    actor: Actor,
}

/// Confirm a match: your agency holds both records are the same.
#[derive(Debug, clap::Args)]
pub struct ConfirmArgs {
    /// The match id.
    id: MatchId,
    #[command(flatten)]
    actor: Actor,
    /// Why (optional), e.g. "same shelter, same night".
    #[arg(long, default_value = "")]
    reason: String,
}

/// Dismiss a match: your agency holds the records are not the same. A reason is required;
/// it stays with your agency.
#[derive(Debug, clap::Args)]
pub struct DismissArgs {
    /// The match id.
    id: MatchId,
    #[command(flatten)]
    actor: Actor,
    /// Why not, e.g. "different village, same name".
    #[arg(long)]
    reason: String,
}

/// The acting user and their principal.
async fn acting(node: &Node, a: &Actor) -> anyhow::Result<(User, Principal)> {
    let login: Login = a.login.parse().map_err(anyhow::Error::msg)?;
    let user = match node.store.credentials(&login).await {
        Ok((u, _)) => u,
        Err(StoreError::NotFound { .. }) => bail!("--as {login}: no such user on this node"),
        Err(e) => return Err(e).context("looking up the user"),
    };
    let p = Principal {
        user: user.id,
        agency: user.agency,
        roles: user.roles.clone(),
        identity_cleared: user.identity_cleared,
        disabled: user.disabled,
    };
    Ok((user, p))
}

async fn audit(store: &dyn Store, p: &Principal, action: &str, r: ToAudit) -> anyhow::Result<()> {
    let decision = if r.verdict.allowed {
        Decision::Allow
    } else {
        Decision::Deny
    };
    let mut rec = AuditRecord::new(
        Some(p.user),
        Some(p.agency),
        action,
        decision,
        r.verdict.reason,
    );
    rec.target = Some(r.target);
    store
        .append_audit(&[rec])
        .await
        .context("recording the decision in the audit log")?;
    Ok(())
}

/// The match, if the user's agency is a side and the user may do `action` to their own
/// side's record; the decision audited as `name` when it must be.
async fn judged(
    store: &dyn Store,
    viewer: &Viewer<'_>,
    p: &Principal,
    id: MatchId,
    action: Action,
    name: &str,
) -> anyhow::Result<Match> {
    let looked = match store.match_by_id(id).await {
        Ok(m) => viewer.own_facts(&m).await.map(|f| (m, f)),
        Err(e) => Err(e),
    };
    let (m, facts) = match looked {
        Ok(found) => found,
        Err(StoreError::NotFound { .. }) => bail!("no match {id} for your agency"),
        Err(e) => return Err(e).context("reading the match"),
    };
    let v = viewer.decide(action, &facts).await?;
    if must_audit(&v, action, facts.classification) {
        let r = ToAudit {
            target: target(&m),
            verdict: v.clone(),
        };
        audit(store, p, name, r).await?;
    }
    if !v.allowed {
        bail!("refused: {}", v.reason);
    }
    Ok(m)
}

pub async fn list(global: &Global, a: ListArgs) -> anyhow::Result<ExitCode> {
    let node = Node::open(global).await?;
    let result = async {
        let (_, p) = acting(&node, &a.actor).await?;
        let store = node.store.as_ref();
        let after = match &a.after {
            Some(c) => Some(
                Cursor::decode(c)
                    .map_err(|_| anyhow::anyhow!("--after: not a cursor dokaz printed"))?,
            ),
            None => None,
        };
        let filter = MatchFilter {
            kind: a.kind,
            status: a.status,
        };
        let mut viewer = Viewer::new(store, &p);
        let (page, reads) = viewer
            .page(
                &filter,
                PageRequest {
                    after,
                    limit: a.limit,
                },
            )
            .await?;
        for r in reads {
            audit(store, &p, "match.list", r).await?;
        }
        if global.json {
            output::json(&page)?;
            return Ok(ExitCode::SUCCESS);
        }
        if page.items.is_empty() {
            println!("No matches.");
            return Ok(ExitCode::SUCCESS);
        }
        let rows: Vec<Vec<String>> = page.items.iter().map(row).collect();
        output::table(
            &[
                "ID",
                "KIND",
                "YOURS",
                "YOUR STATUS",
                "OTHER AGENCY",
                "OTHER RECORD",
                "SCORE",
            ],
            &rows,
        );
        if let Some(n) = &page.next {
            println!("More: dokaz match list --as {} --after {n}", a.actor.login);
        }
        Ok(ExitCode::SUCCESS)
    }
    .await;
    node.store.close().await;
    result
}

fn row(v: &MatchView) -> Vec<String> {
    let (agency, other) = match &v.other {
        OtherSide::Sealed(s) => (s.agency.code.clone(), "sealed — contact them".to_owned()),
        OtherSide::Open(o) => (
            o.agency.code.clone(),
            format!(
                "{} ({}{})",
                o.record,
                o.status.code(),
                if o.may_open {
                    ""
                } else {
                    ", not yours to open"
                }
            ),
        ),
    };
    vec![
        v.id.to_string(),
        v.kind.to_string(),
        v.own.record.to_string(),
        v.own.status.code().to_owned(),
        agency,
        other,
        v.score
            .map(|s| format!("{s:.1}"))
            .unwrap_or_else(|| "—".into()),
    ]
}

fn print(global: &Global, v: &MatchView) -> anyhow::Result<()> {
    if global.json {
        return output::json(v);
    }
    println!("Match {} ({})", v.id, v.kind);
    match v.updated_at {
        Some(u) => println!("  found {}, last found again {u}", v.found_at),
        None => println!("  found {}", v.found_at),
    }
    let sealed = if v.own.sealed { " (sealed)" } else { "" };
    println!("  your record:  {}{sealed}", v.own.record);
    print!("  your status:  {}", v.own.status.code());
    if let (Some(by), Some(at)) = (v.own.decided_by, v.own.decided_at) {
        print!(" by {by} at {at}");
    }
    println!();
    if !v.own.reason.is_empty() {
        println!("  your reason:  {}", v.own.reason);
    }
    match &v.other {
        OtherSide::Sealed(s) => {
            println!(
                "  other side:   {} ({}), sealed",
                s.agency.code, s.agency.name
            );
            println!("                {}", s.message);
        }
        OtherSide::Open(o) => {
            println!("  other side:   {} ({})", o.agency.code, o.agency.name);
            let open = if o.may_open {
                "you may open it"
            } else {
                "you may not open it"
            };
            println!("  its record:   {} {}, {open}", o.kind, o.record);
            println!("  its status:   {}", o.status.code());
        }
    }
    if let Some(s) = v.score {
        println!("  score:        {s:.2}");
    }
    if let Some(r) = &v.reasons {
        println!("  reasons:      {r}");
    }
    Ok(())
}

pub async fn show(global: &Global, a: ShowArgs) -> anyhow::Result<ExitCode> {
    let node = Node::open(global).await?;
    let result = async {
        let (_, p) = acting(&node, &a.actor).await?;
        let store = node.store.as_ref();
        let mut viewer = Viewer::new(store, &p);
        let action = Action::View(GrantLevel::Metadata);
        let m = judged(store, &viewer, &p, a.id, action, "match.read").await?;
        print(global, &viewer.view(&m).await?)?;
        Ok(ExitCode::SUCCESS)
    }
    .await;
    node.store.close().await;
    result
}

pub async fn confirm(global: &Global, a: ConfirmArgs) -> anyhow::Result<ExitCode> {
    decide(global, a.id, &a.actor, MatchStatus::Confirmed, &a.reason).await
}

pub async fn dismiss(global: &Global, a: DismissArgs) -> anyhow::Result<ExitCode> {
    decide(global, a.id, &a.actor, MatchStatus::Dismissed, &a.reason).await
}

async fn decide(
    global: &Global,
    id: MatchId,
    actor: &Actor,
    status: MatchStatus,
    reason: &str,
) -> anyhow::Result<ExitCode> {
    let node = Node::open(global).await?;
    let result = async {
        let (_, p) = acting(&node, actor).await?;
        let store = node.store.as_ref();
        let mut viewer = Viewer::new(store, &p);
        let name = match status {
            MatchStatus::Dismissed => "match.dismiss",
            _ => "match.confirm",
        };
        judged(store, &viewer, &p, id, Action::Write, name).await?;
        let reason = reason.trim();
        if let Err(problems) = check_decision(status, reason) {
            bail!("--reason: {problems}");
        }
        let m = store
            .decide_match(id, p.agency, status, p.user, reason, Utc::now())
            .await
            .context("recording the decision")?;
        if !global.json {
            println!("{} match {id}.", capitalised(status.code()));
        }
        print(global, &viewer.view(&m).await?)?;
        Ok(ExitCode::SUCCESS)
    }
    .await;
    node.store.close().await;
    result
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}
