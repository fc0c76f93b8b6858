//! Reading a description written in JSON (the same keys as TOML), or an ELM JSON-LD document.

use microcred_model::Description;
use serde_json::Value;

use crate::error::ReadError;
use crate::location::{Located, Location, Locations};
use crate::value::{to_description, walk};

/// Parses a JSON description; an ELM credential or specification is recognised and imported.
pub fn parse_json(text: &str, file: &str) -> Result<Located<Description>, ReadError> {
    let value: Value =
        serde_json::from_str(text).map_err(|error| {
            ReadError::fatal(
            Location::Text { file: file.to_string(), line: error.line(), column: error.column().max(1) },
            format!("JSON syntax error: {error}"),
            "correct the JSON syntax at this place (keys and strings need double quotes, no trailing commas)",
        )
        })?;
    if crate::elm::is_elm(&value) {
        return crate::elm::import_elm(&value, file);
    }
    if !value.is_object() {
        return Err(ReadError::value(
            Location::Pointer {
                file: file.to_string(),
                pointer: String::new(),
            },
            "a description must be a JSON object",
            "write the description as { \"title\": ..., \"countries\": [...], ... } (see `microcred init`)",
        ));
    }
    let mut locations = Locations::new(Location::Pointer {
        file: file.to_string(),
        pointer: String::new(),
    });
    walk(&value, &mut String::new(), &mut |pointer| {
        locations.insert(
            pointer,
            Location::Pointer {
                file: file.to_string(),
                pointer: pointer.to_string(),
            },
        )
    });
    let description = to_description(value, &locations)?;
    Ok(Located {
        value: description,
        locations,
    })
}
