//! The legal and factual vocabulary of an incident, as data in the code with stable string
//! codes. Codes are what is stored and exchanged, so they never change once published; labels
//! may be improved freely.

mod code;
mod crimes;
mod incident_types;
mod protected_objects;
mod weapons;

pub use code::{join_codes, UnknownCode};
pub use crimes::{Crime, Statute};
pub use incident_types::IncidentType;
pub use protected_objects::ProtectedObject;
pub use weapons::Weapon;
