//! Controlled-vocabulary concepts as ELM writes them (`{id, type: Concept, inScheme, prefLabel}`), and
//! the EU language authority table that ELM uses for languages.

use serde_json::{json, Value};

/// The EU Publications Office language authority (ISO 639-2/T codes, upper case) for the languages
/// micro-credentials are written in. Unknown tags are left out of ELM rather than guessed.
const LANGUAGES: &[(&str, &str, &str)] = &[
    ("bg", "BUL", "Bulgarian"),
    ("cs", "CES", "Czech"),
    ("da", "DAN", "Danish"),
    ("de", "DEU", "German"),
    ("el", "ELL", "Greek"),
    ("en", "ENG", "English"),
    ("es", "SPA", "Spanish"),
    ("et", "EST", "Estonian"),
    ("fi", "FIN", "Finnish"),
    ("fr", "FRA", "French"),
    ("ga", "GLE", "Irish"),
    ("hr", "HRV", "Croatian"),
    ("hu", "HUN", "Hungarian"),
    ("is", "ISL", "Icelandic"),
    ("it", "ITA", "Italian"),
    ("lt", "LIT", "Lithuanian"),
    ("lv", "LAV", "Latvian"),
    ("mt", "MLT", "Maltese"),
    ("nl", "NLD", "Dutch"),
    ("no", "NOR", "Norwegian"),
    ("pl", "POL", "Polish"),
    ("pt", "POR", "Portuguese"),
    ("ro", "RON", "Romanian"),
    ("sk", "SLK", "Slovak"),
    ("sl", "SLV", "Slovenian"),
    ("sv", "SWE", "Swedish"),
    ("tr", "TUR", "Turkish"),
    ("uk", "UKR", "Ukrainian"),
];

pub const LANGUAGE_SCHEME: &str = "http://publications.europa.eu/resource/authority/language";
pub const COUNTRY_SCHEME: &str = "http://publications.europa.eu/resource/authority/country";
pub const ESCO_SKILLS_SCHEME: &str = "http://data.europa.eu/esco/concept-scheme/skills";

/// A concept with its scheme; `label` in `language`.
pub fn concept(id: &str, scheme: &str, label: &str, language: &str) -> Value {
    json!({
        "id": id,
        "type": "Concept",
        "inScheme": { "id": scheme, "type": "ConceptScheme" },
        "prefLabel": { language: label },
    })
}

/// EU `snb` vocabularies name their scheme `<base>/25831c2` (as in the Commission's samples).
pub fn snb_scheme(concept_uri: &str) -> String {
    let base = concept_uri
        .rsplit_once('/')
        .map(|(base, _)| base)
        .unwrap_or(concept_uri);
    format!("{base}/25831c2")
}

/// A concept of an EU `snb` vocabulary.
pub fn snb_concept(uri: &str, label: &str, language: &str) -> Value {
    concept(uri, &snb_scheme(uri), label, language)
}

pub fn language_concept(tag: &str, label_language: &str) -> Option<Value> {
    let primary = tag.split('-').next().unwrap_or(tag).to_ascii_lowercase();
    let (_, code, name) = LANGUAGES.iter().find(|(two, _, _)| *two == primary)?;
    let mut value = concept(
        &format!("{LANGUAGE_SCHEME}/{code}"),
        LANGUAGE_SCHEME,
        name,
        label_language,
    );
    value["notation"] = "language".into();
    Some(value)
}

pub fn country_concept(country: microcred_model::Country, label_language: &str) -> Value {
    let mut value = concept(&country.uri(), COUNTRY_SCHEME, country.name(), label_language);
    value["notation"] = "country".into();
    value
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemes_and_languages() {
        assert_eq!(
            snb_scheme("http://data.europa.eu/snb/eqf/6"),
            "http://data.europa.eu/snb/eqf/25831c2"
        );
        let irish = language_concept("ga", "en").unwrap();
        assert_eq!(
            irish["id"],
            "http://publications.europa.eu/resource/authority/language/GLE"
        );
        assert!(language_concept("xx", "en").is_none());
    }
}
