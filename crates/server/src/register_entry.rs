//! Renderings of a published description for the register: the searchable row, the JSON summary and
//! the ELM learning-opportunity JSON-LD. Pure functions of the description and its provider.

use microcred_model::{Concept, Description};
use microcred_store::{Organisation, RegisterEntry};
use serde_json::{json, Value};

pub fn title(description: &Description) -> String {
    description.title.best("en").unwrap_or("(untitled)").to_string()
}

fn modes(description: &Description) -> Vec<String> {
    description
        .participation
        .modes
        .iter()
        .map(|m| m.key().to_string())
        .collect()
}

fn credits(description: &Description) -> Option<f64> {
    description
        .workload
        .ects()
        .or_else(|| description.workload.credits.first().map(|c| c.points))
}

/// The text free-text search looks in: titles and descriptions in every language, outcomes, ESCO skill
/// and occupation identifiers, the provider's name.
fn search_text(description: &Description, provider: &Organisation) -> String {
    let mut parts: Vec<&str> = Vec::new();
    parts.extend(description.title.0.values().map(String::as_str));
    parts.extend(description.description.0.values().map(String::as_str));
    for outcome in &description.learning_outcomes {
        parts.extend(outcome.text.0.values().map(String::as_str));
        // Only the identifier at the end of a skill URI: the host and path words ("data", "europa")
        // would otherwise match every entry.
        parts.extend(
            outcome
                .esco_skills
                .iter()
                .map(|uri| uri.rsplit('/').next().unwrap_or(uri)),
        );
    }
    parts.extend(
        description
            .relevance
            .occupations
            .iter()
            .map(|uri| uri.rsplit('/').next().unwrap_or(uri)),
    );
    parts.push(&provider.name);
    parts.join(" \n")
}

pub fn entry(
    id: &str,
    version: i64,
    description: &Description,
    provider: &Organisation,
    profile: &str,
    published_at: &str,
) -> RegisterEntry {
    let country = description
        .countries
        .first()
        .map(|c| c.alpha2().to_string())
        .unwrap_or(provider.country.clone());
    let summary = json!({
        "id": id,
        "version": version,
        "url": format!("/api/register/{id}"),
        "versionUrl": format!("/api/register/{id}/versions/{version}"),
        "title": description.title,
        "provider": { "id": provider.id, "name": provider.name, "country": provider.country },
        "country": country,
        "eqf": description.level.eqf.map(|l| l.get()),
        "isced": description.field.as_ref().map(|f| f.code()),
        "credits": credits(description),
        "modes": modes(description),
        "languages": description.languages,
        "stackable": description.stackability.is_some(),
        "profile": profile,
        "publishedAt": published_at,
    });
    RegisterEntry {
        id: id.to_string(),
        version,
        title: title(description),
        search_text: search_text(description, provider),
        summary: summary.to_string(),
        eqf: description.level.eqf.map(|l| i64::from(l.get())),
        isced: description.field.as_ref().map(|f| f.code().to_string()),
        country: Some(country),
        credits: credits(description),
        modes: modes(description),
        provider_id: provider.id.clone(),
        profile: profile.to_string(),
        stackable: description.stackability.is_some(),
        published_at: published_at.to_string(),
    }
}

fn lang_map(map: &microcred_model::LangMap) -> Value {
    json!(map.0)
}

/// The description as an ELM v3 `LearningOpportunity` with its `LearningAchievementSpecification`.
pub fn elm_learning_opportunity(
    base_url: &str,
    id: &str,
    description: &Description,
    provider: &Organisation,
) -> Value {
    let spec_id = format!("{base_url}/api/register/{id}#specification");
    let outcomes: Vec<Value> = description
        .learning_outcomes
        .iter()
        .enumerate()
        .map(|(i, outcome)| {
            json!({
                "id": format!("{base_url}/api/register/{id}#outcome-{}", i + 1),
                "type": "LearningOutcome",
                "title": lang_map(&outcome.text),
                "relatedESCOSkill": outcome.esco_skills.iter().map(|s| json!({"id": s, "type": "Concept"})).collect::<Vec<_>>(),
            })
        })
        .collect();
    let credits: Vec<Value> = description
        .workload
        .credits
        .iter()
        .map(|c| json!({"type": "CreditPoint", "framework": {"type": "Concept", "prefLabel": {"en": c.system.name()}}, "point": c.points.to_string()}))
        .collect();
    json!({
        "@context": ["https://www.w3.org/ns/credentials/v2", "http://data.europa.eu/snb/model/context/edc-ap"],
        "id": format!("{base_url}/api/register/{id}"),
        "type": "LearningOpportunity",
        "title": lang_map(&description.title),
        "description": lang_map(&description.description),
        "providedBy": {
            "id": provider.uri.clone().unwrap_or(format!("{base_url}/api/organisations/{}", provider.id)),
            "type": "Organisation",
            "legalName": {"en": provider.name},
            "location": {"type": "Location", "address": {"type": "Address", "countryCode": {"type": "Concept", "notation": provider.country}}},
        },
        "learningAchievementSpecification": {
            "id": spec_id,
            "type": "LearningAchievementSpecification",
            "title": lang_map(&description.title),
            "learningOutcome": outcomes,
            "EQFLevel": description.level.eqf.map(|l| json!({"id": l.uri(), "type": "Concept"})),
            "ISCEDFCode": description.field.as_ref().map(|f| vec![json!({"id": f.uri(), "type": "Concept"})]).unwrap_or_default(),
            "creditPoint": credits,
            "volumeOfLearning": description.workload.hours.map(|h| format!("PT{h}H")),
            "mode": description.participation.modes.iter().map(|m| json!({"id": m.uri(), "type": "Concept"})).collect::<Vec<_>>(),
            "language": description.languages.iter().map(|l| json!({"type": "Concept", "notation": l})).collect::<Vec<_>>(),
        },
    })
}
