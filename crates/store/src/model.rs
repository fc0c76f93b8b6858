//! The records the store reads and writes. Bodies (descriptions, reports) travel as JSON text: the store
//! keeps them whole and never interprets them, so the model can evolve without a migration.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

macro_rules! text_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum $name { $(#[serde(rename = $text)] $variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $name {
            type Err = String;
            fn from_str(text: &str) -> Result<Self, String> {
                match text {
                    $($text => Ok($name::$variant),)+
                    _ => Err(format!(
                        "unknown {} {text:?}; allowed: {}",
                        stringify!($name),
                        [$($text),+].join(", ")
                    )),
                }
            }
        }
    };
}

text_enum!(
    /// What an organisation is to the system.
    OrgKind { Authority => "authority", Provider => "provider", Receiver => "receiver" }
);

text_enum!(
    /// A person's role; with their organisation it decides what they may do (see the server's
    /// permission matrix).
    Role {
        Admin => "admin",
        Authority => "authority",
        Provider => "provider",
        Receiver => "receiver",
        Learner => "learner",
    }
);

text_enum!(
    /// Where a description is in the quality-assurance workflow.
    State {
        Draft => "draft",
        Submitted => "submitted",
        InReview => "in-review",
        ChangesRequested => "changes-requested",
        Approved => "approved",
        Rejected => "rejected",
        Published => "published",
        Withdrawn => "withdrawn",
    }
);

text_enum!(
    AccreditationKind { Institutional => "institutional", Programme => "programme" }
);

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Organisation {
    pub id: String,
    pub kind: OrgKind,
    pub name: String,
    /// ISO 3166-1 alpha-2.
    pub country: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uri: Option<String>,
    #[serde(default)]
    pub created_at: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct User {
    pub id: String,
    pub email: String,
    pub name: String,
    pub role: Role,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organisation_id: Option<String>,
    /// Never serialised: the hash stays in the database.
    #[serde(skip)]
    pub password_hash: String,
    #[serde(default)]
    pub created_at: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ApiToken {
    pub id: String,
    pub user_id: String,
    pub name: String,
    pub scopes: Vec<String>,
    pub created_at: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<String>,
}

/// The workflow record of one description; its bodies are in [`Version`]s.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DescriptionRecord {
    pub id: String,
    pub provider_id: String,
    pub authority_id: String,
    pub profile: String,
    pub state: State,
    pub current_version: i64,
    /// The version learners can be issued: stays the last published one while a newer one is reviewed.
    pub published_version: Option<i64>,
    /// The newest version changed something that needs the authority's approval again.
    pub requires_revalidation: bool,
    /// Incremented by every write; clients send it back (`If-Match`) so concurrent writes cannot be lost.
    pub row_version: i64,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Version {
    pub description_id: String,
    pub version: i64,
    /// The description as JSON text.
    pub body: String,
    /// The compliance report attached at submission, as JSON text.
    pub report: Option<String>,
    pub created_by: String,
    pub created_at: String,
    pub published_at: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comment {
    pub id: String,
    pub description_id: String,
    pub version: i64,
    pub author_id: String,
    pub body: String,
    /// JSON pointer into the description the comment is about, if any.
    pub pointer: Option<String>,
    pub created_at: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Decision {
    pub id: String,
    pub description_id: String,
    pub version: i64,
    pub decided_by: String,
    /// approved, rejected or changes-requested.
    pub decision: String,
    pub profile: String,
    pub rules_version: String,
    /// The compliance report the decision was taken on, as JSON text.
    pub report: String,
    pub note: Option<String>,
    pub created_at: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Accreditation {
    pub id: String,
    pub authority_id: String,
    pub provider_id: String,
    pub kind: AccreditationKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description_id: Option<String>,
    #[serde(default)]
    pub eqf_levels: Vec<u8>,
    #[serde(default)]
    pub isced_fields: Vec<String>,
    #[serde(default)]
    pub countries: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_from: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_until: Option<String>,
    #[serde(default)]
    pub created_by: String,
    #[serde(default)]
    pub created_at: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AuditEntry {
    pub seq: i64,
    pub at: String,
    pub actor_id: Option<String>,
    pub entity: String,
    pub entity_id: String,
    pub action: String,
    pub before_state: Option<String>,
    pub after_state: Option<String>,
    pub detail: Option<String>,
}

/// A row of the public register: the searchable facts of one published description version.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RegisterEntry {
    pub id: String,
    pub version: i64,
    pub title: String,
    /// Outcomes, skills and description text that free-text search looks in.
    #[serde(skip)]
    pub search_text: String,
    /// What a search result shows, as JSON text.
    #[serde(skip)]
    pub summary: String,
    pub eqf: Option<i64>,
    pub isced: Option<String>,
    pub country: Option<String>,
    pub credits: Option<f64>,
    pub modes: Vec<String>,
    pub provider_id: String,
    pub profile: String,
    pub stackable: bool,
    pub published_at: String,
}

/// Who did something, for the audit log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor(pub Option<String>);

impl Actor {
    pub fn user(id: impl Into<String>) -> Actor {
        Actor(Some(id.into()))
    }
    pub fn system() -> Actor {
        Actor(None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_round_trip_through_text() {
        for state in State::ALL {
            assert_eq!(state.as_str().parse::<State>().unwrap(), *state);
        }
        let error = "in_review".parse::<State>().unwrap_err();
        assert!(error.contains("in-review"), "{error}");
    }
}
