//! Controlled vocabularies of the European Learning Model (data.europa.eu/snb), built in with their URIs.
//!
//! Every vocabulary value can be written as its label ("written exam"), its key ("written-exam"), its
//! short code ("6e6cb2cc78") or its full URI. An unknown value is an error listing the allowed values and
//! suggesting the nearest one, so an author can fix a typo without looking anything up.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A value that is not in its vocabulary.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {vocabulary} {value:?}{}; allowed: {}", suggestion_text(.suggestion), .allowed.join(", "))]
pub struct UnknownTerm {
    pub vocabulary: &'static str,
    pub value: String,
    pub suggestion: Option<String>,
    pub allowed: Vec<String>,
}

fn suggestion_text(suggestion: &Option<String>) -> String {
    suggestion
        .as_ref()
        .map(|s| format!(" (did you mean {s:?}?)"))
        .unwrap_or_default()
}

/// Lowercase, and treat '-', '_' and runs of spaces alike, so "Written-Exam" matches "written exam".
pub fn normalise(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for word in value
        .trim()
        .split(|c: char| c == '-' || c == '_' || c.is_whitespace())
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&word.to_lowercase());
    }
    out
}

/// The allowed value nearest to `value`, when it is near enough to be a plausible typo.
pub fn nearest<'a>(value: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let value = normalise(value);
    candidates
        .into_iter()
        .map(|c| (strsim::normalized_damerau_levenshtein(&value, &normalise(c)), c))
        .filter(|(score, _)| *score >= 0.5)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c.to_string())
}

/// One concept of a vocabulary.
pub trait Concept: Sized + Copy + 'static {
    const VOCABULARY: &'static str;
    const SCHEME: &'static str;
    fn all() -> &'static [Self];
    /// Stable key used when writing descriptions, e.g. "written-exam".
    fn key(self) -> &'static str;
    /// English label, e.g. "written exam".
    fn label(self) -> &'static str;
    /// The EU URI of the concept.
    fn uri(self) -> String;
    /// Short code at the end of the URI.
    fn code(self) -> &'static str;

    fn parse(value: &str) -> Result<Self, UnknownTerm> {
        let wanted = normalise(value);
        let trimmed = value.trim();
        for &concept in Self::all() {
            if normalise(concept.label()) == wanted
                || normalise(concept.key()) == wanted
                || concept.code() == trimmed
                || concept.uri() == trimmed
            {
                return Ok(concept);
            }
        }
        Err(UnknownTerm {
            vocabulary: Self::VOCABULARY,
            value: value.to_string(),
            suggestion: nearest(value, Self::all().iter().map(|c| c.key())),
            allowed: Self::all().iter().map(|c| c.key().to_string()).collect(),
        })
    }
}

macro_rules! vocabulary {
    ($(#[$doc:meta])* $name:ident, $vocabulary:literal, $scheme:literal, { $($variant:ident => ($key:literal, $label:literal, $code:literal)),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($variant),+ }

        impl Concept for $name {
            const VOCABULARY: &'static str = $vocabulary;
            const SCHEME: &'static str = $scheme;
            fn all() -> &'static [Self] { &[$(Self::$variant),+] }
            fn key(self) -> &'static str { match self { $(Self::$variant => $key),+ } }
            fn label(self) -> &'static str { match self { $(Self::$variant => $label),+ } }
            fn code(self) -> &'static str { match self { $(Self::$variant => $code),+ } }
            fn uri(self) -> String { format!("{}{}", Self::SCHEME, self.code()) }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result { f.write_str(self.label()) }
        }

        impl std::str::FromStr for $name {
            type Err = UnknownTerm;
            fn from_str(s: &str) -> Result<Self, UnknownTerm> { <Self as Concept>::parse(s) }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> { s.serialize_str(self.key()) }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let value = String::deserialize(d)?;
                <Self as Concept>::parse(&value).map_err(serde::de::Error::custom)
            }
        }
    };
}

vocabulary!(
    /// Type of assessment (Annex I element 9).
    AssessmentType, "assessment type", "http://data.europa.eu/snb/assessment/", {
    PeerAssessment => ("peer-assessment", "peer assessment", "19a2e5e671"),
    MarkedAssignment => ("marked-assignment", "marked assignment", "2939dae15f"),
    ContinuousEvaluation => ("continuous-evaluation", "continuous evaluation", "3484bd7e51"),
    Portfolio => ("portfolio", "portfolio", "4f03b91c0e"),
    GroupPerformance => ("group-performance", "group performance", "56539a6507"),
    Practical => ("practical", "practical assessment", "6a4db9f11d"),
    WrittenExam => ("written-exam", "written exam", "6e6cb2cc78"),
    Attendance => ("attendance", "attendance", "7331eb4762"),
    ProjectWork => ("project-work", "project work", "795dac4096"),
    PeerReview => ("peer-review", "peer review", "812e3b0ae1"),
    Quiz => ("quiz", "quiz", "b1b68f6735"),
    ProblemBased => ("problem-based", "problem-based assessment", "c4256a2726"),
    OralExam => ("oral-exam", "oral exam", "d30284d7df"),
    Artefact => ("artefact", "artefact", "de4d165a6c"),
});

vocabulary!(
    /// Mode of learning and assessment (form of participation, Annex I element 10).
    Mode, "mode of learning", "http://data.europa.eu/snb/learning-assessment/", {
    Online => ("online", "online", "920fbb3cbe"),
    Blended => ("blended", "blended", "e92d221e4d"),
    Presential => ("presential", "presential (on site)", "9191af2ed9"),
    WorkBased => ("work-based", "work-based", "729f3bed4b"),
    ProjectBased => ("project-based", "project-based", "7813801c77"),
    Research => ("research", "research or laboratory", "ed4c557045"),
});

vocabulary!(
    /// Learning setting: formal or non-formal.
    LearningSetting, "learning setting", "http://data.europa.eu/snb/learning-setting/", {
    Formal => ("formal", "formal learning", "6fd4685715"),
    NonFormal => ("non-formal", "non-formal learning", "e207a81fc7"),
});

vocabulary!(
    /// Supervision and identity verification during assessment (Annex I optional element).
    Supervision, "supervision and identity verification", "http://data.europa.eu/snb/supervision-verification/", {
    UnsupervisedNoId => ("unsupervised-no-id", "unsupervised, no identity verification", "c598449d64"),
    SupervisedWithId => ("supervised-with-id", "supervised, with identity verification", "70be69aaf9"),
    IdVerification => ("id-verification", "identity verification", "44314532f9"),
    UnsupervisedWithId => ("unsupervised-with-id", "unsupervised, with identity verification", "df2880c5cb"),
});

vocabulary!(
    /// Type of quality assurance or accreditation (Annex I element 11).
    QaType, "quality assurance type", "http://data.europa.eu/snb/accreditation/", {
    InstitutionalQa => ("institutional", "institutional quality assurance", "bb4618238e"),
    ProgrammeQa => ("programme", "programme quality assurance", "820101cba6"),
    InstitutionalLicence => ("institutional-licence", "institutional licence", "003293d2ce"),
    ProgrammeLicence => ("programme-licence", "programme licence", "e57dddfcf3"),
});

vocabulary!(
    /// Type of learning opportunity.
    OpportunityType, "learning opportunity type", "http://data.europa.eu/snb/learning-opportunity/", {
    ShortLearningProgramme => ("short-learning-programme", "short learning programme", "74a4a268e8"),
    Course => ("course", "course", "05053c1cbe"),
    Module => ("module", "module", "0f7dac46ca"),
    Mooc => ("mooc", "MOOC", "17744a2647"),
});

vocabulary!(
    /// Knowledge, skill or competence (the EQF's three kinds of learning outcome).
    OutcomeKind, "learning outcome kind", "http://data.europa.eu/esco/skill-reuse-level/", {
    Knowledge => ("knowledge", "knowledge", "knowledge"),
    Skill => ("skill", "skill", "skill"),
    Competence => ("competence", "competence", "competence"),
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_label_key_code_and_uri() {
        for text in [
            "written exam",
            "Written-Exam",
            "6e6cb2cc78",
            "http://data.europa.eu/snb/assessment/6e6cb2cc78",
        ] {
            assert_eq!(
                text.parse::<AssessmentType>().unwrap(),
                AssessmentType::WrittenExam
            );
        }
    }

    #[test]
    fn unknown_value_lists_allowed_and_suggests_nearest() {
        let error = "writen exam".parse::<AssessmentType>().unwrap_err();
        assert_eq!(error.suggestion.as_deref(), Some("written-exam"));
        let message = error.to_string();
        assert!(
            message.contains("unknown assessment type \"writen exam\""),
            "{message}"
        );
        assert!(message.contains("did you mean \"written-exam\"?"), "{message}");
        assert!(message.contains("oral-exam"), "{message}");
    }

    #[test]
    fn far_away_value_gets_no_suggestion() {
        let error = "zzzzzzzzzzzzzz".parse::<Mode>().unwrap_err();
        assert_eq!(error.suggestion, None);
    }
}
