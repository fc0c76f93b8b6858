//! The micro-credential description: the single source of truth that every credential, page and
//! register entry renders. Pure data and vocabularies; no I/O.

pub mod country;
mod credits;
mod date;
mod description;
mod duration;
pub mod isced;
mod lang;
pub mod level;
pub mod vocab;

pub use country::Country;
pub use credits::{Credit, CreditSystem, Workload, CREDIT_SCHEME};
pub use date::Date;
pub use description::{
    Assessment, AwardingBody, Description, LearningOutcome, Level, Participation, QualityAssurance,
    Relevance, Stackability,
};
pub use duration::XsdDuration;
pub use isced::IscedField;
pub use lang::{is_language_tag, LangMap};
pub use level::{EqfLevel, NqfLevel, QfEheaCycle};
pub use vocab::{
    AssessmentType, Concept, LearningSetting, Mode, OpportunityType, OutcomeKind, QaType, Supervision,
    UnknownTerm,
};
