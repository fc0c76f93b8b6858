//! A description in plain language for templates (the register page, the wallet, verification, the
//! PDF): every Annex I element, texts in the reader's language where the description has them
//! ([`LangMap::best`]), the EQF level with what it means, and vocabulary terms by their labels.

use microcred_model::{Concept, Description, LangMap};
use serde_json::{json, Value};

fn text(map: &LangMap, lang: &str) -> Option<String> {
    map.best(lang)
        .map(str::to_string)
        .filter(|t| !t.trim().is_empty())
}

fn labels<T: Concept>(items: &[T]) -> Vec<&'static str> {
    items.iter().map(|i| i.label()).collect()
}

/// What the description says, ready to show.
pub fn description(d: &Description, lang: &str) -> Value {
    let credits: Vec<String> = d
        .workload
        .credits
        .iter()
        .map(|c| format!("{} {}", trim_number(c.points), c.system))
        .collect();
    let eqf = d
        .level
        .eqf
        .map(|level| json!({ "level": level.get(), "meaning": level.plain_meaning() }));
    let quality: Vec<Value> = d
        .quality_assurance
        .iter()
        .map(|qa| {
            json!({
                "type": qa.qa_type.map(|t| t.label()),
                "body": qa.body,
                "reference": qa.reference,
                "external": qa.external,
            })
        })
        .collect();
    json!({
        "title": text(&d.title, lang).unwrap_or_else(|| "(untitled)".into()),
        "summary": text(&d.description, lang),
        "awarding_bodies": d.awarding_bodies.iter().map(|b| json!({
            "name": text(&b.name, lang),
            "country": b.country.map(|c| c.name()),
        })).collect::<Vec<_>>(),
        "countries": d.countries.iter().map(|c| c.name()).collect::<Vec<_>>(),
        "languages": d.languages,
        "outcomes": d.learning_outcomes.iter().filter_map(|o| text(&o.text, lang)).collect::<Vec<_>>(),
        "hours": d.workload.hours.map(trim_number),
        "credits": credits,
        "eqf": eqf,
        "field": d.field.as_ref().map(|f| format!("{} ({})", f.name(), f.code())),
        "assessment": {
            "types": labels(&d.assessment.types),
            "supervision": d.assessment.supervision.map(|s| s.label()),
            "grading": d.assessment.grading_scheme,
            "text": text(&d.assessment.description, lang),
        },
        "modes": labels(&d.participation.modes),
        "duration": d.participation.duration.as_ref().map(|x| x.to_string()),
        "quality": quality,
        "prerequisites": text(&d.prerequisites, lang),
        "stackable": d.stackability.as_ref().map(|s| !s.towards.is_empty()),
        "towards": d.stackability.as_ref().map(|s| s.towards.clone()).unwrap_or_default(),
        "target_learners": text(&d.relevance.target_learners, lang),
        "further_information": d.further_information,
    })
}

/// 5.0 as "5", 2.5 as "2.5".
pub fn trim_number(n: f64) -> String {
    if n.fract() == 0.0 {
        format!("{n:.0}")
    } else {
        format!("{n}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_come_in_the_readers_language_with_the_level_explained() {
        let d: Description = serde_json::from_value(json!({
            "title": { "en": "Data skills", "fr": "Compétences données" },
            "level": { "eqf": 6 },
            "workload": { "hours": 125.0, "credits": [{ "system": "ECTS", "points": 5.0 }] }
        }))
        .unwrap();
        let view = description(&d, "fr");
        assert_eq!(view["title"], "Compétences données");
        assert_eq!(description(&d, "de")["title"], "Data skills");
        assert_eq!(view["credits"][0], "5 ECTS");
        assert!(view["eqf"]["meaning"].as_str().unwrap().contains("bachelor"));
    }
}
