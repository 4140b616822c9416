//! Who is asking: passwords, bearer secrets, login rate limits, and the [`Caller`] extractor
//! that turns a request's `Authorization` header into a principal — in one place — with the
//! cache of recently seen credentials behind it.

pub mod cache;
pub mod caller;
pub mod limiter;
pub mod password;
pub mod token;

pub use caller::{Caller, Credential, RequestMeta};
