//! The machinery shared by every coded vocabulary: a closed enum with a stable code and a
//! label, parsed strictly (an unknown code is an error that lists where to look), and
//! serialised as its code.

use std::fmt;

/// A code that is not in the vocabulary.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {vocabulary} code {code:?}")]
pub struct UnknownCode {
    pub vocabulary: &'static str,
    pub code: String,
}

impl UnknownCode {
    pub fn new(vocabulary: &'static str, code: &str) -> Self {
        Self {
            vocabulary,
            code: code.chars().take(80).collect(),
        }
    }
}

/// Defines a coded vocabulary enum with `code()`, `label()`, `ALL`, `FromStr`, `Display`
/// and serde as the code string.
macro_rules! vocabulary {
    (
        $(#[$doc:meta])*
        $name:ident, $vocab:literal, $prefix:literal {
            $( $(#[$vdoc:meta])* $variant:ident = $code:literal, $label:literal; )+
        }
    ) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name {
            $( $(#[$vdoc])* $variant, )+
        }

        impl $name {
            /// Every member, in a stable order.
            pub const ALL: &'static [$name] = &[ $( $name::$variant, )+ ];

            /// The stable code, with its vocabulary prefix (e.g. `weapon:cluster-munition`).
            pub fn code(self) -> &'static str {
                match self { $( $name::$variant => concat!($prefix, $code), )+ }
            }

            /// A short English label for people.
            pub fn label(self) -> &'static str {
                match self { $( $name::$variant => $label, )+ }
            }

            /// Parses a code, accepting it with or without the vocabulary prefix and in any
            /// letter case, since spreadsheets are typed by hand.
            pub fn from_code(s: &str) -> Result<Self, $crate::taxonomy::UnknownCode> {
                let t = s.trim().to_ascii_lowercase();
                let bare = t.strip_prefix($prefix).unwrap_or(&t);
                match bare {
                    $( $code => Ok($name::$variant), )+
                    _ => Err($crate::taxonomy::UnknownCode::new($vocab, s)),
                }
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::taxonomy::UnknownCode;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::from_code(s)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.code())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.code())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
                Self::from_code(&s).map_err(serde::de::Error::custom)
            }
        }
    };
}
pub(crate) use vocabulary;

/// Formats a list of codes the way CSV cells hold them: `a;b;c`.
pub fn join_codes<T: fmt::Display>(items: &[T]) -> String {
    items
        .iter()
        .map(|i| i.to_string())
        .collect::<Vec<_>>()
        .join(";")
}
