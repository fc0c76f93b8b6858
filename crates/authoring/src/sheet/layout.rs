//! The column layout of spreadsheets: one micro-credential per row, one element (or part) per column.
//! The layout is documented for authors in `docs/spreadsheet-columns.md`; keep the two in step.

use serde_json::{json, Map, Value};

use crate::error::ReadError;
use crate::location::{Location, Locations};

/// How the cells of a column become parts of the description.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    /// A text taken as written.
    Text,
    /// A number (or, if not one, the text, so that the model says what is wrong with it).
    Number,
    /// true/false, yes/no, 1/0.
    Bool,
    /// Several values separated by `;`.
    List,
    /// A text in the column's language (`title_fr`; `title` alone is English).
    LangText,
    /// Learning outcomes separated by `|` or a line break, in the column's language.
    Outcomes,
    /// ESCO skill URIs of each outcome: groups separated by `|` in outcome order, `;` inside a group.
    OutcomeSkills,
    /// A part of each awarding body: values separated by `;`, one per body, in the same order.
    Body,
    /// A part of each awarding body, in the column's language.
    BodyLangText,
    /// Credits in ECTS.
    Ects,
    /// An ISCED-F code; spreadsheets drop the leading zero of numeric cells (0613 → 613), so it is
    /// restored when only the padded code exists.
    Isced,
    /// The system, points and hours per credit of a second credit entry (`credits_*`).
    Credit,
}

/// The known columns: header, kind, and the JSON pointer of the description they fill.
const COLUMNS: &[(&str, Kind, &str)] = &[
    ("id", Kind::Text, "/id"),
    ("version", Kind::Text, "/version"),
    ("review_date", Kind::Text, "/review_date"),
    ("title", Kind::LangText, "/title"),
    ("description", Kind::LangText, "/description"),
    ("languages", Kind::List, "/languages"),
    ("countries", Kind::List, "/countries"),
    ("regions", Kind::List, "/regions"),
    ("awarding_body_name", Kind::BodyLangText, "name"),
    ("awarding_body_id", Kind::Body, "id"),
    ("awarding_body_country", Kind::Body, "country"),
    ("learning_outcomes", Kind::Outcomes, "/learning_outcomes"),
    ("esco_skills", Kind::OutcomeSkills, "/learning_outcomes"),
    ("hours", Kind::Number, "/workload/hours"),
    ("ects", Kind::Ects, "/workload/credits"),
    ("credits_system", Kind::Credit, "system"),
    ("credits_points", Kind::Credit, "points"),
    ("credits_hours_per_credit", Kind::Credit, "hours_per_credit"),
    ("eqf_level", Kind::Number, "/level/eqf"),
    ("nqf_framework", Kind::Text, "/level/nqf/framework"),
    ("nqf_level", Kind::Text, "/level/nqf/level"),
    ("nqf_uri", Kind::Text, "/level/nqf/uri"),
    ("cycle", Kind::Text, "/level/cycle"),
    ("isced_field", Kind::Isced, "/field"),
    ("assessment_types", Kind::List, "/assessment/types"),
    ("grading_scheme", Kind::Text, "/assessment/grading_scheme"),
    ("supervision", Kind::Text, "/assessment/supervision"),
    (
        "assessment_description",
        Kind::LangText,
        "/assessment/description",
    ),
    ("modes", Kind::List, "/participation/modes"),
    ("setting", Kind::Text, "/participation/setting"),
    ("opportunity_type", Kind::Text, "/participation/opportunity_type"),
    ("duration", Kind::Text, "/participation/duration"),
    ("qa_type", Kind::Text, "/quality_assurance/0/type"),
    ("qa_body", Kind::Text, "/quality_assurance/0/body"),
    ("qa_body_id", Kind::Text, "/quality_assurance/0/body_id"),
    ("qa_reference", Kind::Text, "/quality_assurance/0/reference"),
    ("qa_valid_from", Kind::Text, "/quality_assurance/0/valid_from"),
    ("qa_valid_until", Kind::Text, "/quality_assurance/0/valid_until"),
    ("qa_external", Kind::Bool, "/quality_assurance/0/external"),
    (
        "labour_market_need",
        Kind::LangText,
        "/relevance/labour_market_need",
    ),
    ("target_learners", Kind::LangText, "/relevance/target_learners"),
    ("occupations", Kind::List, "/relevance/occupations"),
    (
        "employer_involvement",
        Kind::LangText,
        "/relevance/employer_involvement",
    ),
    ("prerequisites", Kind::LangText, "/prerequisites"),
    ("stand_alone", Kind::Bool, "/stackability/stand_alone"),
    ("towards", Kind::List, "/stackability/towards"),
    ("further_information", Kind::Text, "/further_information"),
];

/// The headers authors may write, for error messages and the documentation.
pub fn known_headers() -> impl Iterator<Item = &'static str> {
    COLUMNS.iter().map(|(header, _, _)| *header)
}

#[derive(Debug, Clone)]
struct Column {
    header: String,
    letter: String,
    kind: Kind,
    target: &'static str,
    /// For language columns (`title_fr`): the language.
    language: String,
    /// The path a missing value of this column would have (its element, for a missing-element finding).
    anchor: String,
}

/// The columns of one spreadsheet, from its header row.
#[derive(Debug, Clone)]
pub struct Layout {
    file: String,
    columns: Vec<Option<Column>>,
}

impl Layout {
    /// Reads the header row (row `row`, 1-based). An unknown or repeated header is an error naming it.
    pub fn from_headers(file: &str, row: usize, headers: &[String]) -> Result<Layout, ReadError> {
        let mut columns = Vec::with_capacity(headers.len());
        let mut seen: Vec<String> = Vec::new();
        for (index, raw) in headers.iter().enumerate() {
            let header = normalise_header(raw);
            let cell = || Location::Cell {
                file: file.to_string(),
                row,
                column: raw.trim().to_string(),
                column_letter: column_letter(index),
            };
            if header.is_empty() {
                columns.push(None);
                continue;
            }
            if seen.contains(&header) {
                return Err(ReadError::fatal(
                    cell(),
                    format!("the column {:?} appears twice", raw.trim()),
                    "keep one column of each name (a second language is a column such as title_fr)",
                ));
            }
            seen.push(header.clone());
            let column = parse_header(&header).ok_or_else(|| {
                let fix = match nearest_header(&header) {
                    Some(near) => format!(
                        "did you mean {near:?}? (the columns are listed in docs/spreadsheet-columns.md)"
                    ),
                    None => format!("use one of: {}", known_headers().collect::<Vec<_>>().join(", ")),
                };
                ReadError::fatal(cell(), format!("unknown column {:?}", raw.trim()), fix)
            })?;
            columns.push(Some(Column {
                header: raw.trim().to_string(),
                letter: column_letter(index),
                ..column
            }));
        }
        Ok(Layout {
            file: file.to_string(),
            columns,
        })
    }

    /// Turns the cells of one row (row `row`, 1-based) into the description's JSON, recording the
    /// cell of every value, and, for a missing element, the column where it would be written.
    pub fn row_value(&self, row: usize, cells: &[String]) -> (Value, Locations) {
        let mut out = RowBuilder {
            json: Map::new(),
            locations: Locations::new(Location::Cell {
                file: self.file.clone(),
                row,
                column: String::new(),
                column_letter: String::new(),
            }),
        };
        let has_ects = self.columns.iter().zip(cells).any(|(column, cell)| {
            column.as_ref().is_some_and(|c| c.kind == Kind::Ects) && !cell.trim().is_empty()
        });
        for (index, column) in self.columns.iter().enumerate() {
            let (Some(column), Some(cell)) = (column, cells.get(index)) else {
                continue;
            };
            let cell = cell.trim();
            if cell.is_empty() {
                continue;
            }
            let location = self.cell(row, column);
            out.fill(column, cell, &location, has_ects);
        }
        // Where a value that is absent would be written, so that "element missing" names its column.
        for column in self.columns.iter().flatten() {
            if out.locations.exact(&column.anchor).is_none() {
                let location = self.cell(row, column);
                out.locations_with_parents(&column.anchor, &location);
            }
        }
        (Value::Object(out.json), out.locations)
    }

    fn cell(&self, row: usize, column: &Column) -> Location {
        Location::Cell {
            file: self.file.clone(),
            row,
            column: column.header.clone(),
            column_letter: column.letter.clone(),
        }
    }
}

struct RowBuilder {
    json: Map<String, Value>,
    locations: Locations,
}

impl RowBuilder {
    fn fill(&mut self, column: &Column, cell: &str, location: &Location, has_ects: bool) {
        match column.kind {
            Kind::Text => self.set(column.target, json!(cell), location),
            Kind::Number => self.set(column.target, number(cell), location),
            Kind::Isced => self.set(column.target, json!(isced(cell)), location),
            Kind::Bool => self.set(column.target, boolean(cell), location),
            Kind::List => {
                for (index, item) in split(cell, &[';']).enumerate() {
                    self.set(&format!("{}/{index}", column.target), json!(item), location);
                }
            }
            Kind::LangText => self.set(
                &format!("{}/{}", column.target, column.language),
                json!(cell),
                location,
            ),
            Kind::Outcomes => {
                for (index, item) in split(cell, &['|', '\n']).enumerate() {
                    self.set(
                        &format!("/learning_outcomes/{index}/text/{}", column.language),
                        json!(item),
                        location,
                    );
                }
            }
            Kind::OutcomeSkills => {
                for (outcome, group) in cell.split('|').enumerate() {
                    for (index, skill) in split(group, &[';']).enumerate() {
                        let path = format!("/learning_outcomes/{outcome}/esco_skills/{index}");
                        self.set(&path, json!(skill), location);
                    }
                }
            }
            Kind::Body | Kind::BodyLangText => {
                for (index, item) in split(cell, &[';']).enumerate() {
                    let path = match column.kind {
                        Kind::Body => format!("/awarding_bodies/{index}/{}", column.target),
                        _ => format!("/awarding_bodies/{index}/{}/{}", column.target, column.language),
                    };
                    self.set(&path, json!(item), location);
                }
            }
            Kind::Ects => {
                self.set("/workload/credits/0/system", json!("ECTS"), location);
                self.set("/workload/credits/0/points", number(cell), location);
            }
            Kind::Credit => {
                // The `credits_*` columns describe the entry after the ECTS one, when there is one.
                let index = usize::from(has_ects);
                let value = if column.target == "system" {
                    json!(cell)
                } else {
                    number(cell)
                };
                self.set(
                    &format!("/workload/credits/{index}/{}", column.target),
                    value,
                    location,
                );
            }
        }
    }

    fn set(&mut self, pointer: &str, value: Value, location: &Location) {
        let segments: Vec<&str> = pointer.trim_start_matches('/').split('/').collect();
        put(&mut self.json, &segments, value);
        self.locations_with_parents(pointer, location);
    }

    fn locations_with_parents(&mut self, pointer: &str, location: &Location) {
        self.locations.insert_ref(pointer, location);
        let mut path = pointer;
        while let Some(cut) = path.rfind('/') {
            path = &path[..cut];
            if path.is_empty() {
                break;
            }
            self.locations.insert_ref(path, location);
        }
    }
}

/// Sets `value` at `segments`, creating objects and arrays (a numeric segment means an array).
fn put(map: &mut Map<String, Value>, segments: &[&str], value: Value) {
    let Some((first, rest)) = segments.split_first() else {
        return;
    };
    if rest.is_empty() {
        map.insert(first.to_string(), value);
        return;
    }
    let is_index = rest[0].parse::<usize>().is_ok();
    let child = map.entry(first.to_string()).or_insert_with(|| {
        if is_index {
            Value::Array(Vec::new())
        } else {
            Value::Object(Map::new())
        }
    });
    put_value(child, rest, value);
}

fn put_value(target: &mut Value, segments: &[&str], value: Value) {
    match target {
        Value::Object(map) => put(map, segments, value),
        Value::Array(items) => {
            let Some((first, rest)) = segments.split_first() else {
                return;
            };
            let Ok(index) = first.parse::<usize>() else { return };
            while items.len() <= index {
                items.push(if rest.is_empty() {
                    Value::Null
                } else {
                    Value::Object(Map::new())
                });
            }
            if rest.is_empty() {
                items[index] = value;
            } else {
                put_value(&mut items[index], rest, value);
            }
        }
        _ => {}
    }
}

fn split<'a>(cell: &'a str, separators: &'a [char]) -> impl Iterator<Item = &'a str> {
    cell.split(separators)
        .map(str::trim)
        .filter(|item| !item.is_empty())
}

/// A number when the cell holds one (a decimal comma accepted); otherwise the text, which the model
/// then rejects with a message naming what it expected.
fn number(cell: &str) -> Value {
    let normalised = cell.replace(',', ".");
    if let Ok(whole) = normalised.parse::<i64>() {
        return json!(whole);
    }
    match normalised.parse::<f64>() {
        Ok(value) if value.is_finite() => json!(value),
        _ => json!(cell),
    }
}

fn isced(cell: &str) -> String {
    // A number cell never starts with 0, and no valid code without its 0 is also valid with it
    // (10 → 010, 101 → 0101 do not exist), so padding can only repair. Parsing the padded code
    // first also avoids the invalid code's costly "did you mean" search on every row.
    let lost_zero = !cell.starts_with('0')
        && (1..=3).contains(&cell.len())
        && cell.chars().all(|c| c.is_ascii_digit())
        && microcred_model::IscedField::parse(&format!("0{cell}")).is_ok();
    if lost_zero {
        format!("0{cell}")
    } else {
        cell.to_string()
    }
}

fn boolean(cell: &str) -> Value {
    match cell.to_ascii_lowercase().as_str() {
        "true" | "yes" | "y" | "1" | "x" => json!(true),
        "false" | "no" | "n" | "0" => json!(false),
        _ => json!(cell),
    }
}

fn normalise_header(raw: &str) -> String {
    raw.trim()
        .trim_start_matches('\u{feff}')
        .to_lowercase()
        .replace([' ', '-'], "_")
}

fn parse_header(header: &str) -> Option<Column> {
    let column = |kind, target: &'static str, language: &str| Column {
        header: header.to_string(),
        letter: String::new(),
        kind,
        target,
        language: language.to_string(),
        anchor: match kind {
            Kind::LangText => format!("{target}/{language}"),
            Kind::Body | Kind::BodyLangText => "/awarding_bodies".to_string(),
            Kind::Credit => "/workload/credits".to_string(),
            _ => target.to_string(),
        },
    };
    if let Some((_, kind, target)) = COLUMNS.iter().find(|(name, _, _)| *name == header) {
        return Some(column(*kind, target, "en"));
    }
    // A language variant: `title_fr`, `learning_outcomes_de`, `awarding_body_name_pt-br`.
    let (base, language) = header.rsplit_once('_')?;
    let (_, kind, target) = COLUMNS.iter().find(|(name, _, _)| *name == base)?;
    let translatable = matches!(kind, Kind::LangText | Kind::Outcomes | Kind::BodyLangText);
    (translatable && microcred_model::is_language_tag(language)).then(|| column(*kind, target, language))
}

fn nearest_header(header: &str) -> Option<&'static str> {
    known_headers()
        .map(|known| (strsim::jaro_winkler(header, known), known))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, known)| known)
}

/// Spreadsheet column letters: 0 → A, 25 → Z, 26 → AA.
pub fn column_letter(index: usize) -> String {
    let mut letters = Vec::new();
    let mut n = index + 1;
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(b'A' + rem as u8);
        n = (n - 1) / 26;
    }
    letters.reverse();
    String::from_utf8(letters).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|c| c.to_string()).collect()
    }

    #[test]
    fn isced_codes_get_back_the_zero_a_spreadsheet_dropped() {
        assert_eq!(isced("613"), "0613");
        assert_eq!(isced("61"), "061");
        assert_eq!(isced("6"), "06");
        assert_eq!(isced("101"), "101");
        assert_eq!(isced("0613"), "0613");
        assert_eq!(isced("law"), "law");
    }

    #[test]
    fn every_column_is_documented() {
        let doc = include_str!("../../docs/spreadsheet-columns.md");
        for header in known_headers() {
            assert!(
                doc.contains(&format!("`{header}`")),
                "{header} is not in docs/spreadsheet-columns.md"
            );
        }
    }

    #[test]
    fn letters() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(27), "AB");
    }

    #[test]
    fn unknown_header_suggests_the_nearest() {
        let error = Layout::from_headers("r.csv", 1, &strings(&["id", "eqf_levle"])).unwrap_err();
        assert!(error.fatal);
        assert_eq!(error.location.to_string(), "r.csv row 1, column B (eqf_levle)");
        assert!(error.fix.contains("\"eqf_level\""), "{}", error.fix);
    }

    #[test]
    fn language_columns_and_lists() {
        let layout = Layout::from_headers(
            "r.csv",
            1,
            &strings(&["title", "title_fr", "countries", "learning_outcomes"]),
        )
        .unwrap();
        let (value, locations) = layout.row_value(2, &strings(&["Data", "Données", "IRL; FRA", "a | b"]));
        assert_eq!(value["title"], json!({"en": "Data", "fr": "Données"}));
        assert_eq!(value["countries"], json!(["IRL", "FRA"]));
        assert_eq!(value["learning_outcomes"][1]["text"]["en"], json!("b"));
        assert_eq!(
            locations.locate("/countries/1").to_string(),
            "r.csv row 2, column C (countries)"
        );
        assert_eq!(
            locations.locate("/title/fr").to_string(),
            "r.csv row 2, column B (title_fr)"
        );
        assert_eq!(locations.locate("/quality_assurance").to_string(), "r.csv row 2");
    }
}
