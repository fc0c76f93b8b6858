//! The commented TOML template printed by `microcred init`: every element of a description, with what
//! it means, how to write it and an example value. It parses as it is (a test proves it), so an author
//! edits values rather than syntax.

use microcred_model::{AssessmentType, Concept, LearningSetting, Mode, OpportunityType, QaType, Supervision};

/// Example values that fit a national profile: its country, its qualifications framework and the
/// credit system its providers use. The rules themselves live in the profile files of the rules crate.
struct ProfileExample {
    name: &'static str,
    country: &'static str,
    eqf: &'static str,
    nqf_framework: &'static str,
    nqf_level: &'static str,
    credit_system: &'static str,
    points: &'static str,
    /// Notional hours that fit the points (25-30 hours per ECTS credit).
    hours: &'static str,
    /// Flemish partial qualifications, for one, cannot stand alone.
    stand_alone: &'static str,
    awarding_body: &'static str,
    qa_body: &'static str,
    /// Empty where the profile's offers may state none (Spanish grade A and B VET offers).
    prerequisites: &'static str,
}

#[rustfmt::skip]
const EXAMPLES: &[ProfileExample] = &[
    ProfileExample { name: "eu", country: "IRL", eqf: "6", nqf_framework: "IE-NFQ", nqf_level: "8", credit_system: "ECTS", points: "5", hours: "125", stand_alone: "true", awarding_body: "University of Example", qa_body: "Quality and Qualifications Ireland", prerequisites: "None." },
    ProfileExample { name: "ie", country: "IRL", eqf: "6", nqf_framework: "IE-NFQ", nqf_level: "8", credit_system: "ECTS", points: "5", hours: "125", stand_alone: "true", awarding_body: "Example Institute of Technology", qa_body: "Quality and Qualifications Ireland", prerequisites: "None." },
    ProfileExample { name: "ee", country: "EST", eqf: "6", nqf_framework: "EE-EstQF", nqf_level: "6", credit_system: "ECTS", points: "6", hours: "156", stand_alone: "true", awarding_body: "Example University of Applied Sciences", qa_body: "Estonian Quality Agency for Education (HAKA)", prerequisites: "None." },
    ProfileExample { name: "nl-he", country: "NLD", eqf: "6", nqf_framework: "NL-NLQF", nqf_level: "6", credit_system: "ECTS", points: "5", hours: "140", stand_alone: "true", awarding_body: "Hogeschool Voorbeeld", qa_body: "NVAO", prerequisites: "None." },
    ProfileExample { name: "nl-mbo", country: "NLD", eqf: "4", nqf_framework: "NL-NLQF", nqf_level: "4", credit_system: "ECTS", points: "10", hours: "270", stand_alone: "true", awarding_body: "ROC Voorbeeld", qa_body: "Inspectie van het Onderwijs", prerequisites: "None." },
    ProfileExample { name: "mt", country: "MLT", eqf: "5", nqf_framework: "MT-MQF", nqf_level: "5", credit_system: "ECTS", points: "6", hours: "150", stand_alone: "true", awarding_body: "Example Institute Malta", qa_body: "Malta Further and Higher Education Authority (MFHEA)", prerequisites: "None." },
    ProfileExample { name: "hr", country: "HRV", eqf: "4", nqf_framework: "HR-CROQF", nqf_level: "4", credit_system: "CSVET", points: "6", hours: "150", stand_alone: "true", awarding_body: "Example Adult Education Institution", qa_body: "Agency for Vocational Education and Training and Adult Education (ASOO)", prerequisites: "None." },
    ProfileExample { name: "es", country: "ESP", eqf: "3", nqf_framework: "ES-FP", nqf_level: "A2", credit_system: "ECTS", points: "3", hours: "81", stand_alone: "true", awarding_body: "Centro de Formación Ejemplo", qa_body: "Ministerio de Educación, Formación Profesional y Deportes", prerequisites: "" },
    ProfileExample { name: "fi", country: "FIN", eqf: "4", nqf_framework: "FI-NQF", nqf_level: "4", credit_system: "ECTS", points: "5", hours: "135", stand_alone: "true", awarding_body: "Example Vocational College", qa_body: "Finnish Education Evaluation Centre (FINEEC)", prerequisites: "None." },
    ProfileExample { name: "be-vlg", country: "BEL", eqf: "4", nqf_framework: "BE-VLG-VKS", nqf_level: "4", credit_system: "ECTS", points: "5", hours: "135", stand_alone: "false", awarding_body: "Voorbeeld Centrum voor Volwassenenonderwijs", qa_body: "AHOVOKS", prerequisites: "None." },
];

/// The commented template; `profile` picks example values that fit that profile (its country, its
/// framework); an unknown or absent profile gets the EU baseline's examples.
pub fn template(profile: Option<&str>) -> String {
    let wanted = profile.unwrap_or("eu").to_ascii_lowercase();
    let example = EXAMPLES.iter().find(|e| e.name == wanted).unwrap_or(&EXAMPLES[0]);
    let keys = |all: &[&str]| all.join(", ");
    TEMPLATE
        .replace("{profile}", example.name)
        .replace("{country}", example.country)
        .replace("{eqf}", example.eqf)
        .replace("{hours}", example.hours)
        .replace("{stand_alone}", example.stand_alone)
        .replace("{prerequisites}", &prerequisites(example.prerequisites))
        .replace("{nqf_framework}", example.nqf_framework)
        .replace("{nqf_level}", example.nqf_level)
        .replace("{credit_system}", example.credit_system)
        .replace("{points}", example.points)
        .replace("{awarding_body}", example.awarding_body)
        .replace("{qa_body}", example.qa_body)
        .replace("{assessment_types}", &keys(&concept_keys::<AssessmentType>()))
        .replace("{supervision}", &keys(&concept_keys::<Supervision>()))
        .replace("{modes}", &keys(&concept_keys::<Mode>()))
        .replace("{settings}", &keys(&concept_keys::<LearningSetting>()))
        .replace("{opportunity_types}", &keys(&concept_keys::<OpportunityType>()))
        .replace("{qa_types}", &keys(&concept_keys::<QaType>()))
}

fn prerequisites(text: &str) -> String {
    if text.is_empty() {
        "# prerequisites: none are stated, as this profile's offers have no entry requirements.".to_string()
    } else {
        format!("prerequisites = {{ en = \"{text}\" }}")
    }
}

fn concept_keys<C: Concept>() -> Vec<&'static str> {
    C::all().iter().map(|c| c.key()).collect()
}

const TEMPLATE: &str = r#"# A micro-credential description (EU Council Recommendation 2022/C 243/02, Annex I).
# Example values fit the "{profile}" profile; replace them with yours, then run
#   microcred check --profile {profile} this-file.toml
# Vocabulary values may be written as key ("written-exam"), English label, short code or full EU URI.
# Texts are a plain string (English) or a table by language: { en = "...", fr = "..." }.
# Every element is written as a top-level key so that the elements keep the Annex I order.

# A stable identifier, ideally a URI you control, and your version label of this description.
id = "https://example.org/micro-credentials/data-literacy"
version = "1.0"
# When you next review the offer for labour-market relevance (Annex II, relevance).
review_date = 2027-06-01

# Element 1, the learner, is named at issuing, not here.

# Element 2: title of the micro-credential.
title = { en = "Data literacy for public administration" }
description = { en = "Reading, checking and presenting data in day-to-day public service work." }
# Languages of instruction and assessment (BCP 47 tags).
languages = ["en"]

# Element 3: country(ies) of the issuer: ISO 3166-1 codes (IRL or IE) or English names.
countries = ["{country}"]
# Regions (NUTS codes or names), where relevant.
regions = []

# Element 4: awarding body(ies), one or more (co-awarding). id: a legal or registry identifier
# (URI, VAT number, Erasmus code, DID).
awarding_bodies = [
  { name = { en = "{awarding_body}" }, id = "https://example.org", country = "{country}" },
]

# Element 5, the date of issuing, is set when a credential is issued.

# Element 6: learning outcomes: what the learner knows and can do, one entry each.
# kind: knowledge, skill or competence. esco_skills: ESCO skill URIs.
learning_outcomes = [
  { text = { en = "Assess the quality of a data set against a stated purpose." }, kind = "skill", esco_skills = ["http://data.europa.eu/esco/skill/ccdf3597-5c80-410f-896d-e1bdfa223de9"] },
  { text = { en = "Present findings from data in tables and charts that colleagues understand." }, kind = "competence" },
]

# Element 7: notional workload: the hours needed to achieve the outcomes, and credits (ECTS wherever
# possible; 1 ECTS = 25-30 hours). A national credit system is named, e.g. "QQI-FET" or "CSVET".
workload = { hours = {hours}, credits = [{ system = "{credit_system}", points = {points} }] }

# Element 8: level: EQF 1-8, the national framework's level, and the QF-EHEA cycle if applicable
# (cycle = "short-cycle", "first", "second" or "third").
level = { eqf = {eqf}, nqf = { framework = "{nqf_framework}", level = "{nqf_level}" } }

# ISCED-F 2013 field of education and training: a 2-, 3- or 4-digit code (0613) or its name.
field = "0688"

# Element 9: type of assessment. Allowed types: {assessment_types}.
# Supervision and identity verification (an optional element): {supervision}.
assessment = { types = ["project-work", "quiz"], grading_scheme = "pass/fail", supervision = "supervised-with-id", description = { en = "A short data audit of a real data set, and weekly online quizzes." } }

# Element 10: form of participation. Modes: {modes}.
# Setting: {settings}. Opportunity type: {opportunity_types}.
# duration: calendar length of the learning activity as an xsd:duration (P10W = 10 weeks, PT60H = 60 hours).
participation = { modes = ["blended"], setting = "non-formal", opportunity_type = "short-learning-programme", duration = "P10W" }

# Element 11: type of quality assurance underpinning the micro-credential, one entry each.
# type: {qa_types}. external = true when an agency (not only the provider) assures quality.
quality_assurance = [
  { type = "programme", body = "{qa_body}", reference = "Validation decision 2026/123", valid_from = 2026-01-01, valid_until = 2031-01-01, external = true },
]

# Relevance (Annex II): the labour-market need answered and who expressed it, the learners it is for,
# ESCO occupations, and how employers were involved.
relevance = { labour_market_need = { en = "Public bodies report a shortage of staff able to work with open data (regional employers' survey 2025)." }, target_learners = { en = "Public servants with no prior training in data analysis." }, employer_involvement = { en = "Two regional councils co-designed the assessment." } }

# Optional elements: prerequisites needed to enrol; stackability (stand_alone: awarded on its own;
# towards: larger credentials it can count towards); further information.
{prerequisites}
stackability = { stand_alone = {stand_alone}, towards = ["Certificate in Public Data Management"] }
further_information = "https://example.org/micro-credentials/data-literacy"
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_profile_template_parses_into_a_full_description() {
        for example in EXAMPLES {
            let text = template(Some(example.name));
            let located = crate::parse_toml(&text, "template.toml")
                .unwrap_or_else(|error| panic!("template for {}: {error}", example.name));
            let description = located.value;
            assert_eq!(description.countries[0].alpha3(), example.country);
            assert_eq!(
                description.level.nqf.as_ref().map(|n| n.framework.as_str()),
                Some(example.nqf_framework)
            );
            assert_eq!(description.quality_assurance.len(), 1);
            for placeholder in ["{profile}", "{country}", "{points}", "{qa_types}", "{modes}"] {
                assert!(!text.contains(placeholder), "{placeholder} left unfilled");
            }
        }
    }

    #[test]
    fn comments_list_the_vocabularies() {
        let text = template(None);
        assert!(text.contains("written-exam"), "assessment types are listed");
        assert!(text.contains("Element 11"), "each element is explained");
    }
}
