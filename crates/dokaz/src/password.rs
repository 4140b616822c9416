//! Passwords: the server's code, so that the command line and the API hash and generate them
//! in one way (argon2id, CSPRNG one-time passwords).

pub use dokaz_server::auth::password::generate;

/// The argon2id PHC string for a password.
pub fn hash(password: &str) -> anyhow::Result<String> {
    Ok(dokaz_server::auth::password::hash(password)?)
}
