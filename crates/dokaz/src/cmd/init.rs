//! `dokaz init`: a new node's data directory — configuration, database, blob folder, the
//! ledger's signing key — and its first agency with an admin user.

use std::fs;
use std::io::Write as _;
use std::os::unix::fs::{DirBuilderExt as _, OpenOptionsExt as _};
use std::path::Path;
use std::process::ExitCode;

use anyhow::{bail, Context as _};
use chrono::Utc;
use dokaz_ledger::Signer;
use dokaz_model::{Agency, AgencyCode, AgencyId, AgencyKind, Login, Role, User, UserId};
use dokaz_store::Store;
use serde::Serialize;

use crate::config::{Config, CONFIG_FILE};
use crate::node::open_store;
use crate::{output, password, Global};

/// Create a node: data directory, database, blob folder, signing key, first agency, admin.
///
/// Prints the admin's one-time password once; it is stored only as an argon2id hash.
/// Refuses a directory that already holds a node, so nothing is ever overwritten.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The agency's code: 2-16 capital letters or digits; it starts every ERN.
    #[arg(long, default_value = "UAPGO")]
    pub agency_code: String,
    /// The agency's full name.
    #[arg(long, default_value = "Office of the Prosecutor General of Ukraine")]
    pub agency_name: String,
    /// national-prosecutor, joint-investigation-team, icc-otp, eurojust, europol, police, ngo
    /// or other.
    #[arg(long, default_value = "national-prosecutor", value_parser = parse_kind)]
    pub agency_kind: AgencyKind,
    /// ISO 3166-1 alpha-2 country; empty for international bodies.
    #[arg(long, default_value = "UA")]
    pub country: String,
    /// Login of the first administrator.
    #[arg(long, default_value = "admin")]
    pub admin: String,
    /// The ledger's origin line (unique per log); generated when not given.
    #[arg(long)]
    pub origin: Option<String>,
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

/// What `init` made, for its report.
#[derive(Debug, Serialize)]
pub struct Created {
    pub data_dir: String,
    pub agency: String,
    pub admin: String,
    /// Shown once, never stored in clear.
    pub one_time_password: String,
    pub origin: String,
    pub verifier_key: String,
}

pub async fn run(global: &Global, args: Args) -> anyhow::Result<ExitCode> {
    let created = create(global, &args).await?;
    if global.json {
        output::json(&created)?;
    } else {
        println!("Initialised a dokaz node in {}", created.data_dir);
        println!("  agency:        {}", created.agency);
        println!("  ledger origin: {}", created.origin);
        println!("  verifier key:  {}", created.verifier_key);
        println!();
        println!("Administrator login: {}", created.admin);
        println!(
            "One-time password:   {}   (shown only now; change it at first login)",
            created.one_time_password
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Makes the node with its agency and administrator.
pub async fn create(global: &Global, args: &Args) -> anyhow::Result<Created> {
    let code: AgencyCode = args.agency_code.parse().map_err(anyhow::Error::msg)?;
    let admin: Login = args.admin.parse().map_err(anyhow::Error::msg)?;
    let layout = Layout::create(global, &code, args.origin.clone())?;
    let one_time_password = layout
        .complete(global, fill(global, &layout, &code, &admin, args))
        .await?;
    Ok(Created {
        data_dir: global.data_dir.display().to_string(),
        agency: format!("{code} — {}", args.agency_name),
        admin: admin.to_string(),
        one_time_password,
        origin: layout.config.ledger.origin.clone(),
        verifier_key: layout.verifier_key,
    })
}

/// Stores the agency and its administrator; returns the administrator's password.
async fn fill(
    global: &Global,
    layout: &Layout,
    code: &AgencyCode,
    admin: &Login,
    args: &Args,
) -> anyhow::Result<String> {
    let store = open_store(&layout.config.database_url(&global.data_dir)).await?;
    let now = Utc::now();
    let agency = Agency {
        id: AgencyId::new(),
        code: code.clone(),
        name: args.agency_name.clone(),
        kind: args.agency_kind,
        country: args.country.clone(),
        created_at: now,
    };
    store
        .create_agency(&agency)
        .await
        .context("creating the agency")?;
    let user = User {
        id: UserId::new(),
        agency: agency.id,
        login: admin.clone(),
        display_name: "Administrator".into(),
        roles: vec![Role::Admin],
        identity_cleared: false,
        disabled: false,
        created_at: now,
    };
    let one_time_password = create_with_password(store.as_ref(), &user).await?;
    store.close().await;
    Ok(one_time_password)
}

/// A new data directory before its records: folders, signing key and the configuration to
/// write once the records are in. `init` and `demo` share it.
pub struct Layout {
    pub config: Config,
    pub verifier_key: String,
    /// Whether this run made the directory, and so may remove it if the node is never
    /// finished.
    made_dir: bool,
}

impl Layout {
    /// Refuses a directory that already holds a node; makes the folders (private to the
    /// owner) and the signing key.
    pub fn create(
        global: &Global,
        agency: &AgencyCode,
        origin: Option<String>,
    ) -> anyhow::Result<Self> {
        let dir = &global.data_dir;
        if dir.join(CONFIG_FILE).exists() {
            bail!(
                "{} already holds a dokaz node ({CONFIG_FILE} exists); nothing was changed. \
                 Pass --data-dir to use another directory",
                dir.display()
            );
        }
        let made_dir = !dir.exists();
        fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
            .with_context(|| format!("creating {}", dir.display()))?;
        fs::create_dir_all(dir.join("blobs"))
            .with_context(|| format!("creating {}", dir.join("blobs").display()))?;
        let mut config = Config {
            agency: agency.to_string(),
            ..Config::default()
        };
        if let Some(url) = &global.database_url {
            config.database_url = url.clone();
        }
        // A key left by an interrupted `init` is kept, with its name as the origin: a key
        // once made may already have signed something.
        let key = config.key_path(dir);
        let signer = if key.exists() {
            Signer::parse(fs::read_to_string(&key)?.trim())
                .with_context(|| format!("reading the signing key {}", key.display()))?
        } else {
            let origin = origin.unwrap_or_else(|| default_origin(agency));
            let signer = Signer::generate(&origin)
                .with_context(|| format!("making a signing key for origin {origin:?}"))?;
            write_secret(&key, &signer.to_secret_string())?;
            signer
        };
        config.ledger.origin = signer.name().to_owned();
        let verifier_key = signer.verifier().to_string();
        fs::write(dir.join("node.vkey"), format!("{verifier_key}\n"))?;
        Ok(Self {
            config,
            verifier_key,
            made_dir,
        })
    }

    /// Awaits the filling of the node's records, then writes the configuration. If filling
    /// fails, removes what `create` made, so no half-made node is left behind; a directory
    /// that existed before is left alone.
    pub async fn complete<T>(
        &self,
        global: &Global,
        fill: impl std::future::Future<Output = anyhow::Result<T>>,
    ) -> anyhow::Result<T> {
        match fill.await {
            Ok(v) => {
                self.finish(global)?;
                Ok(v)
            }
            Err(e) => {
                if self.made_dir {
                    let _ = fs::remove_dir_all(&global.data_dir);
                }
                Err(e)
            }
        }
    }

    /// Writes the configuration last: its presence marks the directory as a complete node.
    fn finish(&self, global: &Global) -> anyhow::Result<()> {
        fs::write(global.data_dir.join(CONFIG_FILE), self.config.to_toml()?)?;
        Ok(())
    }
}

/// Stores a user with a fresh one-time password and returns it: the only moment the
/// password exists in clear.
pub async fn create_with_password(store: &dyn Store, user: &User) -> anyhow::Result<String> {
    let one_time_password = password::generate();
    store
        .create_user(user, &password::hash(&one_time_password)?)
        .await
        .with_context(|| format!("creating the user {}", user.login))?;
    Ok(one_time_password)
}

/// A unique origin in the schema-less URL form C2SP asks for.
fn default_origin(code: &AgencyCode) -> String {
    let tag: u32 = rand::random();
    format!(
        "{}.dokaz.local/ledger/{tag:08x}",
        code.as_str().to_ascii_lowercase()
    )
}

/// Writes a secret readable by the owner only, never replacing an existing file.
fn write_secret(path: &Path, secret: &str) -> anyhow::Result<()> {
    let mut f = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .with_context(|| format!("creating {}", path.display()))?;
    f.write_all(secret.as_bytes())?;
    f.write_all(b"\n")?;
    f.sync_all()?;
    Ok(())
}
