//! Import of European Learning Model (ELM v3) JSON-LD: a European Digital Credential, or a learning
//! specification / qualification on its own, mapped onto the description's Annex I elements.
//!
//! ELM documents nest entities freely (an object, an array of objects, or an id referring to an object
//! defined elsewhere), so every property is read through `Node::all`, which accepts the three shapes.
//! Whatever is not understood is ignored: an import never fails because of an unknown structure. Every
//! value taken keeps the JSON pointer it came from, so findings point into the ELM file.

mod builder;
mod node;

use microcred_model::{
    AssessmentType, CreditSystem, Description, EqfLevel, IscedField, LearningSetting, Mode, OpportunityType,
    QaType, Supervision,
};
use serde_json::{json, Map, Value};

use crate::error::ReadError;
use crate::location::{Located, Location, Locations};
use crate::value::{read_value, Reading};
use builder::{best_text, Builder};
use node::{index_ids, strings, Node};

const ELM_TYPES: &[&str] = &[
    "EuropeanDigitalCredential",
    "LearningSpecification",
    "Qualification",
    "LearningAchievementSpecification",
];

/// True when `value` looks like an ELM document: an ELM `@context` or an ELM type at its root.
pub fn is_elm(value: &Value) -> bool {
    let context_is_elm = strings(value.get("@context"))
        .iter()
        .any(|c| c.contains("data.europa.eu/snb/model"));
    let type_is_elm = strings(value.get("type"))
        .iter()
        .any(|t| ELM_TYPES.contains(&t.as_str()));
    context_is_elm || type_is_elm
}

/// Maps an ELM credential or specification onto a description; locations are JSON pointers into it.
pub fn import_elm(value: &Value, file: &str) -> Result<Located<Description>, ReadError> {
    import_elm_all(value, file).into_result()
}

/// Like `import_elm`, but reports every invalid value and keeps the valid rest (see `Reading`).
pub fn import_elm_all(value: &Value, file: &str) -> Reading {
    let root = Location::Pointer {
        file: file.to_string(),
        pointer: String::new(),
    };
    if !value.is_object() {
        return Reading::failed(ReadError::fatal(
            root,
            "an ELM document must be a JSON object",
            "give an ELM credential, learning specification or qualification",
        ));
    }
    let index = index_ids(value);
    let document = Node {
        value,
        pointer: String::new(),
        index: &index,
    };
    let mut out = Builder {
        file,
        json: Map::new(),
        locations: Locations::new(root),
    };
    let is_credential =
        document.has_type("EuropeanDigitalCredential") || document.get("credentialSubject").is_some();
    if is_credential {
        import_credential(&document, &mut out);
    } else {
        import_specification(&document, &mut out);
        maximum_duration(&document, &mut out);
        import_issuer(&document, "publisher", &mut out);
    }
    import_accreditations(&document, &mut out);
    // A missing element belongs in the specification (the qualification), where ELM puts almost all of
    // them, including the Accreditation of element 11: report it there rather than at the root.
    let specification = if is_credential {
        document
            .get("credentialSubject")
            .and_then(|s| s.get("hasClaim"))
            .and_then(|c| c.get("specifiedBy"))
    } else {
        None
    };
    if let Some(specification) = specification.filter(|s| s.value.is_object()) {
        out.anchor("", &specification.pointer);
    }
    read_value(Value::Object(out.json), out.locations)
}

fn import_credential(credential: &Node, out: &mut Builder) {
    import_issuer(credential, "issuer", out);
    let Some(claim) = credential
        .get("credentialSubject")
        .and_then(|s| s.all("hasClaim").into_iter().next())
    else {
        return;
    };
    out.text("/title", claim.get("title"));
    out.text("/description", claim.get("description"));
    for (index, body) in claim
        .all("awardedBy")
        .iter()
        .flat_map(|a| a.all("awardingBody"))
        .enumerate()
    {
        import_awarding_body(&body, index, out);
    }
    let spec = claim.get("specifiedBy");
    if claim.has_type("LearningActivity") {
        // A certificate of participation: the claim is the activity itself.
        if let Some(spec) = &spec {
            import_activity_spec(spec, out);
        }
        if let Some(workload) = claim.get("workload") {
            out.hours(&workload);
        }
    } else if let Some(spec) = &spec {
        import_specification(spec, out);
    }
    for activity in claim.all("influencedBy") {
        if let Some(spec) = activity.get("specifiedBy") {
            import_activity_spec(&spec, out);
        }
    }
    for assessment in claim.all("provenBy") {
        import_assessment(&assessment, out);
    }
    if let Some(spec) = &spec {
        maximum_duration(spec, out);
    }
}

/// The specification's maximum duration stands for the duration only when no activity states one:
/// the activity's own is what the learner follows (and an implausible one must reach the rules).
fn maximum_duration(spec: &Node, out: &mut Builder) {
    if let Some(duration) = spec.get("maximumDuration") {
        out.duration("/participation/duration", &duration);
    }
}

/// A qualification or learning achievement specification: most of the Annex I elements.
fn import_specification(spec: &Node, out: &mut Builder) {
    if let Some(id) = spec.id_node() {
        out.set("/id", id.value.clone(), &id.pointer);
    }
    out.text("/title", spec.get("title"));
    out.text("/description", spec.get("description"));
    for (index, outcome) in spec.all("learningOutcome").iter().enumerate() {
        let path = format!("/learning_outcomes/{index}");
        out.anchor(&path, &outcome.pointer);
        out.text(&format!("{path}/text"), outcome.get("title"));
        for skill in outcome.all("relatedESCOSkill") {
            if let Some(id) = skill.id() {
                out.set(&format!("{path}/esco_skills/-"), json!(id), &skill.pointer);
            }
        }
    }
    if let Some(volume) = spec.get("volumeOfLearning") {
        out.hours(&volume);
    }
    for (index, credit) in spec.all("creditPoint").iter().enumerate() {
        let system = credit
            .get("framework")
            .and_then(|f| f.id().map(CreditSystem::parse));
        let points = credit.get("point").and_then(|p| number(p.value));
        if let (Some(system), Some(points)) = (system, points) {
            let path = format!("/workload/credits/{index}");
            out.set(
                &path,
                json!({ "system": system.name(), "points": points }),
                &credit.pointer,
            );
        }
    }
    if let Some(level) = spec.get("eqfLevel") {
        if let Some(eqf) = level.id().and_then(|id| EqfLevel::parse(id).ok()) {
            out.set("/level/eqf", json!(eqf.get()), &level.pointer);
        }
    }
    if let Some(level) = spec.get("nqfLevel") {
        out.set("/level/nqf", nqf_level(&level), &level.pointer);
    }
    if let Some((code, area)) = spec
        .all("thematicArea")
        .iter()
        .find_map(|area| Some((IscedField::parse(area.id()?).ok()?, area.clone())))
    {
        out.set("/field", json!(code.code()), &area.pointer);
    }
    out.concepts::<Mode>("/participation/modes", &spec.all("mode"));
    if let Some(setting) = spec.get("learningSetting") {
        out.concept::<LearningSetting>("/participation/setting", &setting);
    }
    if let Some(kind) = spec.get("dcType") {
        out.concept::<OpportunityType>("/participation/opportunity_type", &kind);
    }
    for language in spec.all("language") {
        if let Some(tag) = language.id().and_then(language_tag) {
            out.set("/languages/-", json!(tag), &language.pointer);
        }
    }
    if let Some(requirement) = spec.get("entryRequirement") {
        out.text("/prerequisites", requirement.get("noteLiteral"));
    }
    if let Some(url) = spec.get("homepage").and_then(|h| h.get("contentURL")) {
        out.set("/further_information", url.value.clone(), &url.pointer);
    }
}

/// A learning activity specification: the form of participation (Annex I element 10).
fn import_activity_spec(spec: &Node, out: &mut Builder) {
    out.concepts::<Mode>("/participation/modes", &spec.all("mode"));
    if let Some(volume) = spec.get("volumeOfLearning") {
        out.duration("/participation/duration", &volume);
    }
}

fn import_assessment(assessment: &Node, out: &mut Builder) {
    let spec = assessment.get("specifiedBy");
    let sources = [Some(assessment.clone()), spec.clone()];
    for node in sources.iter().flatten() {
        for kind in node.all("dcType") {
            out.concept::<AssessmentType>("/assessment/types/-", &kind);
        }
        if let Some(supervision) = node.get("idVerification") {
            out.concept::<Supervision>("/assessment/supervision", &supervision);
        }
        if let Some(scheme) = node.get("gradingScheme") {
            let text = scheme
                .get("title")
                .or_else(|| scheme.get("description"))
                .and_then(|t| best_text(t.value));
            if let Some(text) = text {
                out.set("/assessment/grading_scheme", json!(text), &scheme.pointer);
            }
        }
    }
    if let Some(spec) = &spec {
        out.text(
            "/assessment/description",
            spec.get("description").or_else(|| spec.get("title")),
        );
    }
}

fn import_issuer(document: &Node, property: &str, out: &mut Builder) {
    for issuer in document.all(property) {
        for location in issuer.all("location") {
            for address in location.all("address") {
                if let Some(code) = address.get("countryCode") {
                    out.concept_country("/countries/-", &code);
                }
            }
            for region in location.all("spatialCode") {
                if let Some(label) = region.get("prefLabel").and_then(|l| best_text(l.value)) {
                    out.set("/regions/-", json!(label), &region.pointer);
                }
            }
        }
    }
}

fn import_awarding_body(body: &Node, index: usize, out: &mut Builder) {
    let path = format!("/awarding_bodies/{index}");
    out.anchor(&path, &body.pointer);
    out.text(
        &format!("{path}/name"),
        body.get("legalName").or_else(|| body.get("prefLabel")),
    );
    if let Some(id) = body.id_node() {
        out.set(&format!("{path}/id"), id.value.clone(), &id.pointer);
    }
    let country = body
        .all("location")
        .iter()
        .flat_map(|l| l.all("address"))
        .find_map(|a| a.get("countryCode"));
    if let Some(country) = country {
        out.concept_country(&format!("{path}/country"), &country);
    }
}

/// Every `Accreditation` anywhere in the document (on the qualification, an organisation, evidence).
fn import_accreditations(document: &Node, out: &mut Builder) {
    let mut found = Vec::new();
    document.find_typed("Accreditation", 0, &mut found);
    let mut seen = Vec::new();
    for accreditation in found {
        let key = accreditation
            .id()
            .map(str::to_string)
            .unwrap_or_else(|| accreditation.pointer.clone());
        if seen.contains(&key) {
            continue;
        }
        seen.push(key);
        let index = seen.len() - 1;
        let path = format!("/quality_assurance/{index}");
        out.anchor(&path, &accreditation.pointer);
        if let Some(kind) = accreditation.get("dcType") {
            out.concept::<QaType>(&format!("{path}/type"), &kind);
        }
        if let Some(agent) = accreditation.get("accreditingAgent") {
            if let Some(name) = agent.get("legalName").and_then(|n| best_text(n.value)) {
                out.set(&format!("{path}/body"), json!(name), &agent.pointer);
            }
            if let Some(id) = agent.id() {
                out.set(&format!("{path}/body_id"), json!(id), &agent.pointer);
            }
            out.set(&format!("{path}/external"), json!(true), &agent.pointer);
        }
        if let Some(id) = accreditation.id_node() {
            out.set(&format!("{path}/reference"), id.value.clone(), &id.pointer);
        }
        for (property, field) in [("issued", "valid_from"), ("expiryDate", "valid_until")] {
            if let Some(date) = accreditation.get(property) {
                out.set(&format!("{path}/{field}"), date.value.clone(), &date.pointer);
            }
        }
    }
}

/// The EU languages of the Publications Office authority table, as BCP 47 tags.
const LANGUAGES: &[(&str, &str)] = &[
    ("BUL", "bg"),
    ("CES", "cs"),
    ("DAN", "da"),
    ("DEU", "de"),
    ("ELL", "el"),
    ("ENG", "en"),
    ("EST", "et"),
    ("FIN", "fi"),
    ("FRA", "fr"),
    ("GLE", "ga"),
    ("HRV", "hr"),
    ("HUN", "hu"),
    ("ISL", "is"),
    ("ITA", "it"),
    ("LAV", "lv"),
    ("LIT", "lt"),
    ("MLT", "mt"),
    ("NLD", "nl"),
    ("NOR", "no"),
    ("POL", "pl"),
    ("POR", "pt"),
    ("RON", "ro"),
    ("SLK", "sk"),
    ("SLV", "sl"),
    ("SPA", "es"),
    ("SWE", "sv"),
    ("TUR", "tr"),
    ("UKR", "uk"),
];

/// `http://publications.europa.eu/resource/authority/language/ENG` → `en`.
fn language_tag(uri: &str) -> Option<&'static str> {
    let code = uri.rsplit('/').next()?;
    LANGUAGES
        .iter()
        .find(|(authority, _)| authority.eq_ignore_ascii_case(code))
        .map(|(_, tag)| *tag)
}

fn nqf_level(level: &Node) -> Value {
    let uri = level.id().unwrap_or_default();
    let label = level
        .get("prefLabel")
        .and_then(|l| best_text(l.value))
        .unwrap_or_default();
    let ireland = microcred_model::level::IE_NFQ_URIS
        .iter()
        .position(|code| uri.ends_with(code));
    let (framework, number) = match ireland {
        Some(position) => ("IE-NFQ".to_string(), (position + 1).to_string()),
        // "RQF Level 6" → framework "RQF", level "6".
        None => match label
            .rsplit_once("Level ")
            .or_else(|| label.rsplit_once("level "))
        {
            Some((framework, number)) if !framework.trim().is_empty() => {
                (framework.trim().to_string(), number.trim().to_string())
            }
            _ => (
                "unknown".to_string(),
                if label.is_empty() {
                    uri.to_string()
                } else {
                    label.clone()
                },
            ),
        },
    };
    json!({ "framework": framework, "level": number, "uri": uri })
}

fn number(value: &Value) -> Option<f64> {
    match value {
        Value::Number(n) => n.as_f64(),
        Value::String(text) => text.trim().parse().ok(),
        _ => None,
    }
}
