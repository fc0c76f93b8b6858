//! Import of European Learning Model (ELM v3) JSON-LD: a European Digital Credential, or a learning
//! specification / qualification on its own, mapped onto the description's Annex I elements.
//!
//! ELM documents nest entities freely (an object, an array of objects, or an id referring to an object
//! defined elsewhere), so every property is read through `Node::all`, which accepts the three shapes.
//! Whatever is not understood is ignored: an import never fails because of an unknown structure. Every
//! value taken keeps the JSON pointer it came from, so findings point into the ELM file.

use std::collections::HashMap;

use microcred_model::{
    AssessmentType, Concept, Country, CreditSystem, Description, EqfLevel, IscedField, LearningSetting, Mode,
    OpportunityType, QaType, Supervision, XsdDuration,
};
use serde_json::{json, Map, Value};

use crate::error::ReadError;
use crate::location::{escape_segment, Located, Location, Locations};
use crate::value::{read_value, Reading};

/// Deeper than any real ELM document; bounds the walk over untrusted input.
const MAX_DEPTH: usize = 24;

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

/// A value of the ELM document with its pointer; ids referring to objects defined elsewhere resolve.
#[derive(Clone)]
struct Node<'a> {
    value: &'a Value,
    pointer: String,
    index: &'a HashMap<&'a str, (&'a Value, String)>,
}

impl<'a> Node<'a> {
    /// The property, or the first of its values when it holds several.
    fn get(&self, property: &str) -> Option<Node<'a>> {
        self.all(property).into_iter().next()
    }

    /// The object's own `id` property, never resolved (it is the object's name, not a reference).
    fn id_node(&self) -> Option<Node<'a>> {
        let value = self.value.get("id").filter(|id| id.is_string())?;
        Some(Node {
            value,
            pointer: format!("{}/id", self.pointer),
            index: self.index,
        })
    }

    /// The property's values: one object, an array, or ids of objects defined elsewhere.
    fn all(&self, property: &str) -> Vec<Node<'a>> {
        let Some(value) = self.value.get(property) else {
            return Vec::new();
        };
        let pointer = format!("{}/{}", self.pointer, escape_segment(property));
        match value {
            Value::Array(items) => items
                .iter()
                .enumerate()
                .map(|(i, item)| self.resolve(item, format!("{pointer}/{i}")))
                .collect(),
            single => vec![self.resolve(single, pointer)],
        }
    }

    fn resolve(&self, value: &'a Value, pointer: String) -> Node<'a> {
        if let Value::String(id) = value {
            if let Some((target, target_pointer)) = self.index.get(id.as_str()) {
                return Node {
                    value: target,
                    pointer: target_pointer.clone(),
                    index: self.index,
                };
            }
        }
        Node {
            value,
            pointer,
            index: self.index,
        }
    }

    /// The `id` of an object, or the string itself for a bare reference.
    fn id(&self) -> Option<&'a str> {
        match self.value {
            Value::String(text) => Some(text),
            other => other.get("id").and_then(Value::as_str),
        }
    }

    fn has_type(&self, wanted: &str) -> bool {
        strings(self.value.get("type")).iter().any(|t| t == wanted)
    }

    fn find_typed(&self, wanted: &str, depth: usize, found: &mut Vec<Node<'a>>) {
        if depth > MAX_DEPTH {
            return;
        }
        if self.has_type(wanted) {
            found.push(self.clone());
        }
        match self.value {
            Value::Object(map) => {
                for (key, child) in map {
                    let pointer = format!("{}/{}", self.pointer, escape_segment(key));
                    Node {
                        value: child,
                        pointer,
                        index: self.index,
                    }
                    .find_typed(wanted, depth + 1, found);
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter().enumerate() {
                    let pointer = format!("{}/{i}", self.pointer);
                    Node {
                        value: child,
                        pointer,
                        index: self.index,
                    }
                    .find_typed(wanted, depth + 1, found);
                }
            }
            _ => {}
        }
    }
}

/// Objects that carry an `id` and more than a type, by id: the targets of references.
fn index_ids(root: &Value) -> HashMap<&str, (&Value, String)> {
    fn visit<'a>(
        value: &'a Value,
        pointer: String,
        depth: usize,
        index: &mut HashMap<&'a str, (&'a Value, String)>,
    ) {
        if depth > MAX_DEPTH {
            return;
        }
        match value {
            Value::Object(map) => {
                if let Some(id) = map.get("id").and_then(Value::as_str) {
                    let substantial = map.keys().any(|k| k != "id" && k != "type");
                    if substantial {
                        index.entry(id).or_insert((value, pointer.clone()));
                    }
                }
                for (key, child) in map {
                    visit(
                        child,
                        format!("{pointer}/{}", escape_segment(key)),
                        depth + 1,
                        index,
                    );
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter().enumerate() {
                    visit(child, format!("{pointer}/{i}"), depth + 1, index);
                }
            }
            _ => {}
        }
    }
    let mut index = HashMap::new();
    visit(root, String::new(), 0, &mut index);
    index
}

/// Builds the description's JSON while recording where each value came from.
struct Builder<'f> {
    file: &'f str,
    json: Map<String, Value>,
    locations: Locations,
}

impl Builder<'_> {
    fn location(&self, pointer: &str) -> Location {
        Location::Pointer {
            file: self.file.to_string(),
            pointer: pointer.to_string(),
        }
    }

    /// Records where a container (an outcome, an awarding body) starts, without setting a value.
    fn anchor(&mut self, path: &str, source: &str) {
        let location = self.location(source);
        self.locations.insert(path, location);
    }

    /// Sets the value at `path` (a JSON pointer; a final `-` appends to an array) unless one is set.
    fn set(&mut self, path: &str, value: Value, source: &str) {
        let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
        let Some(final_path) = insert(&mut self.json, &segments, value, "") else {
            return;
        };
        let location = self.location(source);
        for (cut, _) in final_path.match_indices('/').skip(1) {
            self.locations.insert(&final_path[..cut], location.clone());
        }
        self.locations.insert(final_path, location);
    }

    /// A multilingual text: ELM writes `{ "en": "..." }` (or `{"@language", "@value"}` pairs).
    fn text(&mut self, path: &str, node: Option<Node>) {
        let Some(node) = node else { return };
        let texts = lang_map(node.value);
        if !texts.is_empty() {
            self.set(path, Value::Object(texts), &node.pointer);
        }
    }

    fn hours(&mut self, node: &Node) {
        let Some(text) = node.value.as_str() else { return };
        if let Ok(duration) = XsdDuration::parse(text) {
            if duration.is_time_only() {
                self.set("/workload/hours", json!(duration.calendar_hours()), &node.pointer);
            }
        }
    }

    fn duration(&mut self, path: &str, node: &Node) {
        if let Some(text) = node.value.as_str() {
            // Kept as written even when malformed: the model then reports it at this place.
            self.set(path, json!(text), &node.pointer);
        }
    }

    /// A concept of one of the model's vocabularies, recognised by URI or by its English label
    /// ("artefact assessment" is the label of the concept keyed "artefact").
    fn concept<C: Concept>(&mut self, path: &str, node: &Node) {
        let label = node.get("prefLabel").and_then(|l| best_text(l.value));
        let candidates = node
            .id()
            .into_iter()
            .map(str::to_string)
            .chain(label.clone())
            .chain(
                label
                    .as_deref()
                    .and_then(|l| l.strip_suffix(" assessment"))
                    .map(str::to_string),
            );
        for candidate in candidates {
            if let Ok(concept) = C::parse(&candidate) {
                self.set(path, json!(concept.key()), &node.pointer);
                return;
            }
        }
    }

    fn concepts<C: Concept>(&mut self, path: &str, nodes: &[Node]) {
        for node in nodes {
            self.concept::<C>(&format!("{path}/-"), node);
        }
    }

    fn concept_country(&mut self, path: &str, node: &Node) {
        if let Some(country) = node.id().and_then(|id| Country::parse(id).ok()) {
            self.set(path, json!(country.alpha3()), &node.pointer);
        }
    }
}

/// Inserts `value` at `segments` unless a value is there already (the first source found wins, and an
/// array never receives the same value twice). Returns the pointer where it went.
fn insert(map: &mut Map<String, Value>, segments: &[&str], value: Value, prefix: &str) -> Option<String> {
    let (first, rest) = segments.split_first()?;
    let path = format!("{prefix}/{first}");
    if rest.is_empty() {
        if map.contains_key(*first) {
            return None;
        }
        map.insert(first.to_string(), value);
        return Some(path);
    }
    let child = map.entry(first.to_string()).or_insert_with(|| {
        if rest[0] == "-" || rest[0].parse::<usize>().is_ok() {
            Value::Array(Vec::new())
        } else {
            Value::Object(Map::new())
        }
    });
    insert_value(child, rest, value, &path)
}

fn insert_value(target: &mut Value, segments: &[&str], value: Value, prefix: &str) -> Option<String> {
    match target {
        Value::Object(map) => insert(map, segments, value, prefix),
        Value::Array(items) => {
            let (first, rest) = segments.split_first()?;
            let index = if *first == "-" {
                if rest.is_empty() && items.contains(&value) {
                    return None;
                }
                items.len()
            } else {
                first.parse::<usize>().ok()?
            };
            if index > items.len() {
                return None;
            }
            let path = format!("{prefix}/{index}");
            if rest.is_empty() {
                if index < items.len() {
                    return None;
                }
                items.push(value);
                return Some(path);
            }
            if index == items.len() {
                items.push(Value::Object(Map::new()));
            }
            insert_value(&mut items[index], rest, value, &path)
        }
        _ => None,
    }
}

fn lang_map(value: &Value) -> Map<String, Value> {
    let mut texts = Map::new();
    match value {
        Value::String(text) => {
            texts.insert("en".into(), json!(text));
        }
        Value::Object(map) if map.contains_key("@value") => {
            let language = map.get("@language").and_then(Value::as_str).unwrap_or("en");
            if let Some(text) = map.get("@value").and_then(Value::as_str) {
                texts.insert(language.to_string(), json!(text));
            }
        }
        Value::Object(map) => {
            for (language, text) in map {
                let text = text.as_str().or_else(|| text.as_array()?.first()?.as_str());
                if let (true, Some(text)) = (microcred_model::is_language_tag(language), text) {
                    texts.insert(language.clone(), json!(text));
                }
            }
        }
        Value::Array(items) => {
            for item in items {
                for (language, text) in lang_map(item) {
                    texts.entry(language).or_insert(text);
                }
            }
        }
        _ => {}
    }
    texts
}

fn best_text(value: &Value) -> Option<String> {
    let texts = lang_map(value);
    texts
        .get("en")
        .or_else(|| texts.values().next())
        .and_then(Value::as_str)
        .map(str::to_string)
}

fn number(value: &Value) -> Option<f64> {
    match value {
        Value::Number(n) => n.as_f64(),
        Value::String(text) => text.trim().parse().ok(),
        _ => None,
    }
}

fn strings(value: Option<&Value>) -> Vec<String> {
    match value {
        Some(Value::String(text)) => vec![text.clone()],
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect(),
        _ => Vec::new(),
    }
}
