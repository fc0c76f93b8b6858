//! Turning a JSON value into a `Description`, with model errors placed by JSON pointer. JSON files,
//! spreadsheet rows and ELM imports all build a `serde_json::Value` first and come through here.

use microcred_model::Description;
use serde_json::Value;

use crate::error::ReadError;
use crate::location::{escape_segment, Locations};

/// Deserializes `value`; a model error is placed with `locations` at the offending value's pointer.
pub(crate) fn to_description(value: Value, locations: &Locations) -> Result<Description, ReadError> {
    serde_path_to_error::deserialize::<_, Description>(value).map_err(|error| {
        let pointer = pointer_of(error.path());
        let location = locations.locate(&pointer);
        ReadError::from_serde(location, &error.path().to_string(), &error.inner().to_string())
    })
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
