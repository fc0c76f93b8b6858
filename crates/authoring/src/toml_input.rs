//! Reading a description written in TOML, the format authors write by hand.

use microcred_model::Description;
use toml_edit::{ImDocument, Item, Table, Value};

use crate::error::ReadError;
use crate::location::{escape_segment, line_column, Located, Location, Locations};
use crate::value::{read_value, Reading};

/// Parses a TOML description. A syntax error is fatal and points at the offending line and column; a
/// model error (wrong type, unknown value) points at the offending value.
pub fn parse_toml(text: &str, file: &str) -> Result<Located<Description>, ReadError> {
    parse_toml_all(text, file).into_result()
}

/// Like `parse_toml`, but reports every invalid value and keeps the valid rest (see `Reading`).
pub fn parse_toml_all(text: &str, file: &str) -> Reading {
    let at = |offset: usize| {
        let (line, column) = line_column(text, offset);
        Location::Text {
            file: file.to_string(),
            line,
            column,
        }
    };
    let syntax_error = |message: &str, offset: Option<usize>| {
        Reading::failed(ReadError::fatal(
            offset.map(at).unwrap_or_else(|| Location::file_start(file)),
            format!("TOML syntax error: {}", message.trim()),
            "correct the TOML syntax at this place (strings need quotes, tables are written [name])",
        ))
    };
    let document = match ImDocument::parse(text) {
        Ok(document) => document,
        Err(error) => return syntax_error(error.message(), error.span().map(|s| s.start)),
    };
    let mut locations = Locations::new(Location::file_start(file));
    record_table(document.as_table(), "", &at, &mut locations);
    // The same text as a JSON value (TOML dates become one-entry maps, which the model reads).
    match toml::from_str::<serde_json::Value>(text) {
        Ok(value) => read_value(value, locations),
        Err(error) => syntax_error(error.message(), error.span().map(|s| s.start)),
    }
}

fn record_table(table: &Table, path: &str, at: &impl Fn(usize) -> Location, locations: &mut Locations) {
    for (key, item) in table.iter() {
        let child = format!("{path}/{}", escape_segment(key));
        let key_start = table.key(key).and_then(|k| k.span()).map(|span| span.start);
        if let Some(start) = key_start {
            locations.insert_key(&child, at(start));
        }
        record_item(item, &child, key_start, at, locations);
    }
}

fn record_item(
    item: &Item,
    path: &str,
    key_start: Option<usize>,
    at: &impl Fn(usize) -> Location,
    locations: &mut Locations,
) {
    match item {
        Item::None => {}
        Item::Value(value) => record_value(value, path, key_start, at, locations),
        Item::Table(table) => {
            // A header `[workload]` has a span; an implicit parent of `[workload.credits]` only a key.
            if let Some(start) = table.span().map(|s| s.start).or(key_start) {
                locations.insert(path, at(start));
            }
            record_table(table, path, at, locations);
        }
        Item::ArrayOfTables(array) => {
            if let Some(start) = key_start.or(array.span().map(|s| s.start)) {
                locations.insert(path, at(start));
            }
            for (index, table) in array.iter().enumerate() {
                let element = format!("{path}/{index}");
                if let Some(span) = table.span() {
                    locations.insert(&element, at(span.start));
                }
                record_table(table, &element, at, locations);
            }
        }
    }
}

fn record_value(
    value: &Value,
    path: &str,
    key_start: Option<usize>,
    at: &impl Fn(usize) -> Location,
    locations: &mut Locations,
) {
    // A scalar is best shown at the value itself; a container at its key, so that a finding about a
    // missing member points to the line that names the container.
    let value_start = value.span().map(|s| s.start);
    let scalar = !matches!(value, Value::Array(_) | Value::InlineTable(_));
    let start = if scalar {
        value_start.or(key_start)
    } else {
        key_start.or(value_start)
    };
    if let Some(start) = start {
        locations.insert(path, at(start));
    }
    match value {
        Value::Array(array) => {
            for (index, element) in array.iter().enumerate() {
                record_value(element, &format!("{path}/{index}"), None, at, locations);
            }
        }
        Value::InlineTable(table) => {
            for (key, element) in table.iter() {
                let key_start = table.key(key).and_then(|k| k.span()).map(|s| s.start);
                if let Some(start) = key_start {
                    locations.insert_key(format!("{path}/{}", escape_segment(key)), at(start));
                }
                record_value(
                    element,
                    &format!("{path}/{}", escape_segment(key)),
                    key_start,
                    at,
                    locations,
                );
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"title = { en = "Data literacy" }
countries = ["IRL"]

[workload]
hours = 125

[[workload.credits]]
system = "ECTS"
points = 5
"#;

    fn line_of(location: Location) -> (usize, usize) {
        match location {
            Location::Text { line, column, .. } => (line, column),
            other => panic!("expected a text location, got {other}"),
        }
    }

    #[test]
    fn locates_values_tables_and_missing_members() {
        let located = parse_toml(GOOD, "a.toml").unwrap();
        assert_eq!(located.value.workload.ects(), Some(5.0));
        let at = |path: &str| line_of(located.locations.locate(path));
        assert_eq!(at("/title/en"), (1, 16));
        assert_eq!(at("/countries/0"), (2, 14));
        assert_eq!(at("/workload/hours"), (5, 9));
        assert_eq!(at("/workload/credits/0/points"), (9, 10));
        assert_eq!(at("/workload/credits/0/hours_per_credit"), (7, 1));
        assert_eq!(at("/quality_assurance"), (1, 1));
    }

    #[test]
    fn syntax_error_is_fatal_with_line_and_column() {
        let error = parse_toml("title = \"x\"\ncountries = [IRL]\n", "b.toml").unwrap_err();
        assert!(error.fatal);
        assert_eq!(line_of(error.location), (2, 14));
        assert!(
            error.message.starts_with("TOML syntax error"),
            "{}",
            error.message
        );
    }
}
