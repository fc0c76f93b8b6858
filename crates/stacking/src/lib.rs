//! Stacking and recognition of prior learning: do a learner's micro-credentials add up to a larger
//! qualification, and if the awarding body decides so, the credential that says it.
//!
//! - [`Qualification`]: a qualification and its pathway as data (TOML or JSON), read with
//!   [`parse_qualification`]; a few are built in ([`builtin`]).
//! - [`HeldCredential`]: what the learner brings, each with its verification outcome; [`held_from_ob3`]
//!   reads one from an Open Badges 3.0 credential.
//! - [`evaluate`] gives an [`Evaluation`]: per requirement met or not, what counted, what is missing,
//!   and which published micro-credentials would close the gap.
//! - [`Decision`] records what the awarding body decided; [`award_credential`] builds the larger
//!   credential (unsigned) only for an awarded decision on a complete evaluation.
//!
//! Pure: no I/O, no clock (the caller passes `today`).

pub mod builtin;
mod decision;
mod evaluate;
mod evaluation;
mod fastmap;
mod held;
mod load;
mod ob3;
mod qualification;
mod rule;
mod suggest;
mod text;

pub use decision::{award_credential, Award, AwardError, Decision, Outcome};
pub use evaluate::{evaluate, Learner};
pub use evaluation::{
    Counted, CredentialUse, CreditTally, Evaluation, MatchedBy, MissingComponent, NotCounted,
    QualificationRef, RequirementResult, Suggestion, UseStatus,
};
pub use held::{digest_sri, HeldCredential, Verification};
pub use load::{parse_qualification, Format, LoadError};
pub use ob3::{held_from_ob3, Ob3Error, ESCO_SKILL_SCHEME};
pub use qualification::{
    Component, Constraints, Equivalence, Issuers, Need, Organisation, Qualification, Rule,
};
