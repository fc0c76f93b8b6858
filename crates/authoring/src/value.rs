//! Turning a JSON value into a `Description`, with model errors placed by JSON pointer. TOML and JSON
//! files, spreadsheet rows and ELM imports all build a `serde_json::Value` first and come through here.
//!
//! Reading is lenient: each invalid value is reported, left out, and the rest read again, so an author
//! sees every problem of a file at once and the rules still check what is valid.

use std::collections::HashMap;

use microcred_model::Description;
use serde_json::Value;

use crate::error::ReadError;
use crate::location::{escape_segment, Located, Locations};

/// More errors than this in one description are not worth listing one by one.
const MAX_ERRORS: usize = 50;

/// What could be read from one description: the description without its invalid values (absent when
/// nothing valid remains or the structure itself is wrong), and one error per invalid value.
#[derive(Debug, Clone)]
pub struct Reading {
    pub description: Option<Located<Description>>,
    pub errors: Vec<ReadError>,
}

impl Reading {
    pub(crate) fn failed(error: ReadError) -> Self {
        Reading {
            description: None,
            errors: vec![error],
        }
    }

    /// The description when it was read without any error, else the first error.
    pub fn into_result(self) -> Result<Located<Description>, ReadError> {
        match (self.errors.into_iter().next(), self.description) {
            (None, Some(description)) => Ok(description),
            (Some(error), _) => Err(error),
            // Unreachable by construction; kept total rather than panicking on input.
            (None, None) => Err(ReadError::fatal(
                crate::Location::file_start(""),
                "nothing could be read",
                "check the file",
            )),
        }
    }

    /// True when a file could not be parsed at all (syntax, unreadable file).
    pub fn is_fatal(&self) -> bool {
        self.errors.iter().any(|e| e.fatal)
    }
}

/// Deserializes `value`, leaving out and reporting each invalid value (placed with `locations`).
pub(crate) fn read_value(mut value: Value, locations: Locations) -> Reading {
    let mut errors = Vec::new();
    let mut removed = Removals::default();
    while errors.len() < MAX_ERRORS {
        let error = match serde_path_to_error::deserialize::<_, Description>(&value) {
            Ok(description) => {
                return Reading {
                    description: Some(Located {
                        value: description,
                        locations,
                    }),
                    errors,
                };
            }
            Err(error) => error,
        };
        let pointer = pointer_of(error.path());
        let message = error.inner().to_string();
        // An unknown key is reported by serde at its table; the culprit is the key itself.
        let mut shown_path = error.path().to_string();
        let key = unknown_key(&message);
        // serde_path_to_error ends the path of an unknown key with the key itself, or stops at its table.
        let culprit = match key {
            Some(key) if !pointer.ends_with(&format!("/{}", escape_segment(key))) => {
                format!("{pointer}/{}", escape_segment(key))
            }
            Some(_) => {
                shown_path = shown_path
                    .rsplit_once('.')
                    .map(|(parent, _)| parent.to_string())
                    .unwrap_or_default();
                pointer
            }
            None => pointer,
        };
        let original = removed.original(&culprit);
        let exact = if key.is_some() {
            locations.key(&original)
        } else {
            locations.exact(&original)
        };
        let location = exact.cloned().unwrap_or_else(|| locations.locate(&original));
        errors.push(ReadError::from_serde(location, &shown_path, &message));
        if culprit.is_empty() || !removed.remove(&mut value, &culprit) {
            break;
        }
    }
    Reading {
        description: None,
        errors,
    }
}

fn unknown_key(message: &str) -> Option<&str> {
    message.strip_prefix("unknown field `")?.split('`').next()
}

/// Array elements removed so far, by the original pointer of their array, so that later errors
/// (whose indices count only the remaining elements) are placed where the author wrote them.
#[derive(Default)]
struct Removals(HashMap<String, Vec<usize>>);

impl Removals {
    /// The pointer in the document as written of a pointer into the value as it is now.
    fn original(&self, current: &str) -> String {
        let mut original = String::new();
        for segment in current.split('/').skip(1) {
            let mapped = match (self.0.get(&original), segment.parse::<usize>()) {
                (Some(gone), Ok(index)) => (0..)
                    .filter(|i| !gone.contains(i))
                    .nth(index)
                    .unwrap_or(index)
                    .to_string(),
                _ => segment.to_string(),
            };
            original.push('/');
            original.push_str(&mapped);
        }
        original
    }

    /// Removes the value at `current`; false when there is nothing there to remove.
    fn remove(&mut self, value: &mut Value, current: &str) -> bool {
        let Some((parent, last)) = current.rsplit_once('/') else {
            return false;
        };
        let last = last.replace("~1", "/").replace("~0", "~");
        let original_parent = self.original(parent);
        match value.pointer_mut(parent) {
            Some(Value::Object(map)) => map.remove(&last).is_some(),
            Some(Value::Array(items)) => match last.parse::<usize>() {
                Ok(index) if index < items.len() => {
                    items.remove(index);
                    let original_index: Option<usize> = self
                        .original(current)
                        .rsplit('/')
                        .next()
                        .and_then(|i| i.parse().ok());
                    self.0.entry(original_parent).or_default().extend(original_index);
                    true
                }
                _ => false,
            },
            _ => false,
        }
    }
}

/// The JSON pointer of a serde path (`workload.credits[0].points` → `/workload/credits/0/points`).
pub(crate) fn pointer_of(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut pointer = String::new();
    for segment in path.iter() {
        match segment {
            Segment::Seq { index } => pointer.push_str(&format!("/{index}")),
            Segment::Map { key } => pointer.push_str(&format!("/{}", escape_segment(key))),
            Segment::Enum { variant } => pointer.push_str(&format!("/{}", escape_segment(variant))),
            Segment::Unknown => break,
        }
    }
    pointer
}

/// Calls `visit` with the pointer of every node of `value`, parents before children.
pub(crate) fn walk(value: &Value, pointer: &mut String, visit: &mut impl FnMut(&str)) {
    visit(pointer);
    let length = pointer.len();
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                pointer.push('/');
                pointer.push_str(&escape_segment(key));
                walk(child, pointer, visit);
                pointer.truncate(length);
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                pointer.push_str(&format!("/{index}"));
                walk(child, pointer, visit);
                pointer.truncate(length);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::location::Location;
    use serde_json::json;

    fn at(pointer: &str) -> Location {
        Location::Pointer {
            file: "d.json".into(),
            pointer: pointer.into(),
        }
    }

    fn locations(value: &Value) -> Locations {
        let mut locations = Locations::new(at(""));
        walk(value, &mut String::new(), &mut |p| locations.insert(p, at(p)));
        locations
    }

    #[test]
    fn reports_every_invalid_value_and_keeps_the_rest() {
        let value = json!({
            "title": "Data",
            "titel": "typo",
            "assessment": { "types": ["quiz", "writen exam", "oral exam", "orale"] },
            "workload": { "hours": "forty" },
        });
        let reading = read_value(value.clone(), locations(&value));
        let places: Vec<String> = reading.errors.iter().map(|e| e.location.to_string()).collect();
        assert_eq!(
            places,
            [
                "d.json#/titel",
                "d.json#/workload/hours",
                "d.json#/assessment/types/1",
                "d.json#/assessment/types/3"
            ]
        );
        let description = reading.description.unwrap().value;
        assert_eq!(description.title.best("en"), Some("Data"));
        assert_eq!(description.assessment.types.len(), 2, "quiz and oral exam remain");
        assert_eq!(description.workload.hours, None);
    }

    #[test]
    fn a_wrong_structure_leaves_no_description() {
        let value = json!(42);
        let reading = read_value(value.clone(), locations(&value));
        assert!(reading.description.is_none());
        assert_eq!(reading.errors.len(), 1);
    }
}
