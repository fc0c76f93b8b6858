//! Reading a description written in JSON (the same keys as TOML), or an ELM JSON-LD document.

use microcred_model::Description;
use serde_json::Value;

use crate::error::ReadError;
use crate::location::{LineIndex, Located, Location, Locations};
use crate::value::{read_value, walk, Reading};

/// Parses a JSON description; an ELM credential or specification is recognised and imported.
pub fn parse_json(text: &str, file: &str) -> Result<Located<Description>, ReadError> {
    parse_json_all(text, file).into_result()
}

/// Like `parse_json`, but reports every invalid value and keeps the valid rest (see `Reading`).
pub fn parse_json_all(text: &str, file: &str) -> Reading {
    let root = || Location::Pointer {
        file: file.to_string(),
        pointer: String::new(),
    };
    let value: Value = match serde_json::from_str(text) {
        Ok(value) => value,
        Err(error) => return Reading::failed(ReadError::fatal(
            Location::Text {
                file: file.to_string(),
                line: error.line(),
                column: error.column().max(1),
            },
            format!("JSON syntax error: {error}"),
            "correct the JSON syntax at this place (keys and strings need double quotes, no trailing commas)",
        )),
    };
    if crate::elm::is_elm(&value) {
        return crate::elm::import_elm_all(&value, file);
    }
    if value.get("@context").is_some() {
        // JSON-LD that is not ELM (an Open Badges credential, say) is not a description: one clear error
        // instead of one "unknown key" per property.
        return Reading::failed(ReadError::value(
            root(),
            "this JSON-LD document is not a European Learning Model credential, learning specification or qualification",
            "give an ELM v3 document (its @context names data.europa.eu/snb/model), or a description in the microcred format (see `microcred init`)",
        ));
    }
    if !value.is_object() {
        return Reading::failed(ReadError::value(
            root(),
            "a description must be a JSON object",
            "write the description as { \"title\": ..., \"countries\": [...], ... } (see `microcred init`)",
        ));
    }
    let locations = text_locations(text, file).unwrap_or_else(|| {
        let mut locations = Locations::new(root());
        walk(&value, &mut String::new(), &mut |pointer| {
            locations.insert(
                pointer,
                Location::Pointer {
                    file: file.to_string(),
                    pointer: pointer.to_string(),
                },
            )
        });
        locations
    });
    read_value(value, locations)
}

/// `file:line:column` of every value and key of a hand-written JSON description.
fn text_locations(text: &str, file: &str) -> Option<Locations> {
    let lines = LineIndex::new(text);
    let at = |offset: usize| {
        let (line, column) = lines.position(offset);
        Location::Text {
            file: file.to_string(),
            line,
            column,
        }
    };
    let mut locations = Locations::new(Location::file_start(file));
    for span in crate::json_spans::spans(text)? {
        if let Some(key) = span.key {
            locations.insert_key(span.pointer.clone(), at(key));
        }
        locations.insert(span.pointer, at(span.value));
    }
    Some(locations)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn other_json_ld_is_one_clear_error() {
        let text = r#"{"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential", "OpenBadgeCredential"]}"#;
        let reading = parse_json_all(text, "badge.json");
        assert_eq!(reading.errors.len(), 1);
        assert!(reading.errors[0]
            .message
            .contains("not a European Learning Model"));
    }

    #[test]
    fn model_errors_have_line_and_column() {
        let text = "{\n  \"title\": \"Data\",\n  \"workload\": { \"hours\": \"forty\" },\n  \"titel\": 1\n}";
        let reading = parse_json_all(text, "d.json");
        let places: Vec<String> = reading.errors.iter().map(|e| e.location.to_string()).collect();
        assert_eq!(places, ["d.json:3:26", "d.json:4:3"]);
        let located = reading.description.unwrap();
        assert_eq!(located.locations.locate("/title/en").to_string(), "d.json:2:12");
    }

    #[test]
    fn syntax_error_has_line_and_column() {
        let error = parse_json("{\n  \"title\": \"x\",\n}", "d.json").unwrap_err();
        assert!(error.fatal);
        assert_eq!(error.location.to_string(), "d.json:3:1");
    }
}
