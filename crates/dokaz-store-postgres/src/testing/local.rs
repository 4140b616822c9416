//! Starting a PostgreSQL cluster in a temporary directory from the installed binaries, and
//! making sure it stops when the test process ends.
//!
//! Rust runs no destructors for statics, so nothing in the process can stop the server at
//! exit. Instead a detached watchdog shell polls the test process and, once it is gone, stops
//! the server and deletes its directory. `initdb` refuses to run as root, and CI runs as root:
//! then the binaries run as the `postgres` system user (or `nobody`) through `runuser`.

use std::cmp::Reverse;
use std::ffi::OsStr;
use std::net::TcpListener;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::{env, fs};

use uuid::Uuid;

/// Names the directory holding `initdb` and `pg_ctl`, when they are not found by themselves.
pub const PG_BIN_VAR: &str = "DOKAZ_PG_BIN";

const INSTALL_HINT: &str = "install the PostgreSQL server (Debian/Ubuntu: `apt-get install \
    postgresql`), set DOKAZ_PG_BIN to the directory holding initdb and pg_ctl, or set \
    DOKAZ_TEST_DATABASE_URL to a server where the user may CREATE DATABASE";

/// The superuser `initdb` creates; trust authentication, so no password.
pub(super) const SUPERUSER: &str = "dokaz";

/// A running cluster in a temporary directory.
#[derive(Debug)]
pub(super) struct LocalServer {
    pub port: u16,
    pub dir: PathBuf,
}

impl LocalServer {
    /// Blocking: runs `initdb` and `pg_ctl start`, which take a few seconds.
    pub fn start() -> Result<Self, String> {
        let bin = find_bin_dir()?;
        let run_as = is_root().then(service_user);
        let dir = env::temp_dir().join(format!("dokaz-pg-{}", Uuid::now_v7().simple()));
        fs::create_dir(&dir).map_err(|e| format!("creating {}: {e}", dir.display()))?;
        // The watchdog first: whatever fails from here on, the directory goes too.
        spawn_watchdog(&bin, run_as, &dir)?;
        if let Some(user) = run_as {
            fs::set_permissions(&dir, fs::Permissions::from_mode(0o755))
                .map_err(|e| format!("chmod {}: {e}", dir.display()))?;
            let mut chown = Command::new("chown");
            chown.arg("-R").arg(format!("{user}:")).arg(&dir);
            run(chown, "chown of the cluster directory")?;
        }
        let data = dir.join("data");
        initdb(&bin, run_as, &dir, &data)?;
        // Another process may take the port between our probe and the server's bind; retry.
        let mut last = String::new();
        for _ in 0..3 {
            let port = free_port()?;
            match pg_ctl_start(&bin, run_as, &dir, &data, port) {
                Ok(()) => return Ok(Self { port, dir }),
                Err(e) if e.contains("could not bind") || e.contains("already in use") => last = e,
                Err(e) => return Err(e),
            }
        }
        Err(last)
    }
}

fn find_bin_dir() -> Result<PathBuf, String> {
    let has_tools = |d: &Path| d.join("initdb").is_file() && d.join("pg_ctl").is_file();
    if let Some(d) = env::var_os(PG_BIN_VAR).filter(|d| !d.is_empty()) {
        let d = PathBuf::from(d);
        return match has_tools(&d) {
            true => Ok(d),
            false => Err(format!(
                "{PG_BIN_VAR}={} holds no initdb and pg_ctl",
                d.display()
            )),
        };
    }
    // Debian and Ubuntu keep each major version apart; prefer 15, then the newest.
    let mut versions: Vec<(u32, PathBuf)> = fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let version = e.file_name().to_str()?.parse::<u32>().ok()?;
            let bin = e.path().join("bin");
            has_tools(&bin).then_some((version, bin))
        })
        .collect();
    versions.sort_by_key(|(v, _)| (*v != 15, Reverse(*v)));
    if let Some((_, bin)) = versions.into_iter().next() {
        return Ok(bin);
    }
    env::var_os("PATH")
        .and_then(|path| env::split_paths(&path).find(|d| has_tools(d)))
        .ok_or_else(|| {
            format!("no PostgreSQL server binaries (initdb, pg_ctl) found; {INSTALL_HINT}")
        })
}

/// Whether this process runs as root, read from the owner of its `/proc` entry.
fn is_root() -> bool {
    match fs::metadata("/proc/self") {
        Ok(m) => m.uid() == 0,
        Err(_) => Command::new("id")
            .arg("-u")
            .output()
            .is_ok_and(|o| o.stdout.trim_ascii() == b"0"),
    }
}

/// The unprivileged user that runs the server when we are root.
fn service_user() -> &'static str {
    let exists = Command::new("id")
        .args(["-u", "postgres"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if exists {
        "postgres"
    } else {
        "nobody"
    }
}

/// A command for a PostgreSQL tool, run as `user` when given.
fn pg_command(bin: &Path, tool: &str, user: Option<&str>, dir: &Path) -> Command {
    let exe = bin.join(tool);
    let mut c = match user {
        Some(user) => {
            let mut c = Command::new("runuser");
            c.args(["-u", user, "--"]).arg(exe);
            c
        }
        None => Command::new(exe),
    };
    // The caller's working directory may be closed to the service user.
    c.current_dir(dir).stdin(Stdio::null());
    c
}

fn run(mut c: Command, what: &str) -> Result<(), String> {
    let out = c
        .output()
        .map_err(|e| format!("{what}: could not run {c:?}: {e}"))?;
    if out.status.success() {
        return Ok(());
    }
    Err(format!(
        "{what} failed ({}):\n{}{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    ))
}

fn initdb(bin: &Path, user: Option<&str>, dir: &Path, data: &Path) -> Result<(), String> {
    let attempt = |locale: &str| {
        let mut c = pg_command(bin, "initdb", user, dir);
        c.arg("-D").arg(data);
        c.args([
            "-U",
            SUPERUSER,
            "-A",
            "trust",
            "--no-sync",
            "-E",
            "UTF8",
            locale,
        ]);
        run(c, "initdb")
    };
    attempt("--locale=C.UTF-8").or_else(|first| {
        // Minimal systems may lack the C.UTF-8 locale; the C locale with UTF-8 text will do.
        let _ = fs::remove_dir_all(data);
        attempt("--no-locale").map_err(|e| format!("{first}\n{e}"))
    })
}

fn free_port() -> Result<u16, String> {
    let listener =
        TcpListener::bind("127.0.0.1:0").map_err(|e| format!("finding a free port: {e}"))?;
    listener
        .local_addr()
        .map(|a| a.port())
        .map_err(|e| format!("finding a free port: {e}"))
}

fn pg_ctl_start(
    bin: &Path,
    user: Option<&str>,
    dir: &Path,
    data: &Path,
    port: u16,
) -> Result<(), String> {
    let log = dir.join("log");
    // Durability is pointless for a throwaway cluster; speed is not.
    let options = format!(
        "-c listen_addresses=127.0.0.1 -p {port} -k {} -c fsync=off -c synchronous_commit=off \
         -c full_page_writes=off -c max_connections=200",
        sh_quote(dir.as_os_str())
    );
    let mut c = pg_command(bin, "pg_ctl", user, dir);
    c.arg("-D").arg(data).arg("-l").arg(&log);
    c.args(["-o", &options, "-w", "-t", "60", "start"]);
    run(c, "pg_ctl start").map_err(|e| format!("{e}\nserver log:\n{}", log_tail(&log)))
}

fn log_tail(log: &Path) -> String {
    let text = fs::read_to_string(log).unwrap_or_else(|e| format!("({}: {e})", log.display()));
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(30)..].join("\n")
}

/// Starts a shell that outlives nothing: once this process is gone it stops the server
/// (`-m immediate`: no checkpoint, the data is thrown away) and deletes the directory.
fn spawn_watchdog(bin: &Path, user: Option<&str>, dir: &Path) -> Result<(), String> {
    let pg_ctl = sh_quote(bin.join("pg_ctl").as_os_str());
    let stop = match user {
        Some(user) => format!("runuser -u {user} -- {pg_ctl}"),
        None => pg_ctl,
    };
    let data = sh_quote(dir.join("data").as_os_str());
    let dir = sh_quote(dir.as_os_str());
    let script = format!(
        "while kill -0 {pid} 2>/dev/null; do sleep 0.5; done; \
         if [ -f {data}/postmaster.pid ]; then {stop} -D {data} -m immediate stop; fi; \
         rm -rf {dir}",
        pid = std::process::id(),
    );
    Command::new("sh")
        .arg("-c")
        .arg(script)
        // Open pipes to the test's output would keep `cargo test` waiting for the watchdog.
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        // Its own process group, so that a Ctrl-C to the tests does not kill it first.
        .process_group(0)
        .spawn()
        .map(drop)
        .map_err(|e| format!("starting the cleanup watchdog: {e}"))
}

/// Single-quotes a path for `sh`.
fn sh_quote(s: &OsStr) -> String {
    format!("'{}'", s.to_string_lossy().replace('\'', r"'\''"))
}
