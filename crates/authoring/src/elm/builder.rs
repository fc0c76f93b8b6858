//! Building the description's JSON from ELM values, keeping for each value the pointer it came from.

use microcred_model::{Concept, Country, XsdDuration};
use serde_json::{json, Map, Value};

use super::node::Node;
use crate::location::{Location, Locations};

/// Builds the description's JSON while recording where each value came from.
pub(super) struct Builder<'f> {
    pub(super) file: &'f str,
    pub(super) json: Map<String, Value>,
    pub(super) locations: Locations,
}

impl Builder<'_> {
    pub(super) fn location(&self, pointer: &str) -> Location {
        Location::Pointer {
            file: self.file.to_string(),
            pointer: pointer.to_string(),
        }
    }

    /// Records where a container (an outcome, an awarding body) starts, without setting a value.
    pub(super) fn anchor(&mut self, path: &str, source: &str) {
        let location = self.location(source);
        self.locations.insert(path, location);
    }

    /// Sets the value at `path` (a JSON pointer; a final `-` appends to an array) unless one is set.
    pub(super) fn set(&mut self, path: &str, value: Value, source: &str) {
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
    pub(super) fn text(&mut self, path: &str, node: Option<Node>) {
        let Some(node) = node else { return };
        let texts = lang_map(node.value);
        if !texts.is_empty() {
            self.set(path, Value::Object(texts), &node.pointer);
        }
    }

    pub(super) fn hours(&mut self, node: &Node) {
        let Some(text) = node.value.as_str() else { return };
        if let Ok(duration) = XsdDuration::parse(text) {
            if duration.is_time_only() {
                self.set("/workload/hours", json!(duration.calendar_hours()), &node.pointer);
            }
        }
    }

    pub(super) fn duration(&mut self, path: &str, node: &Node) {
        if let Some(text) = node.value.as_str() {
            // Kept as written even when malformed: the model then reports it at this place.
            self.set(path, json!(text), &node.pointer);
        }
    }

    /// A concept of one of the model's vocabularies, recognised by URI or by its English label
    /// ("artefact assessment" is the label of the concept keyed "artefact").
    pub(super) fn concept<C: Concept>(&mut self, path: &str, node: &Node) {
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

    pub(super) fn concepts<C: Concept>(&mut self, path: &str, nodes: &[Node]) {
        for node in nodes {
            self.concept::<C>(&format!("{path}/-"), node);
        }
    }

    pub(super) fn concept_country(&mut self, path: &str, node: &Node) {
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

pub(super) fn best_text(value: &Value) -> Option<String> {
    let texts = lang_map(value);
    texts
        .get("en")
        .or_else(|| texts.values().next())
        .and_then(Value::as_str)
        .map(str::to_string)
}
