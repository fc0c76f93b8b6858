//! Where a value sits in the file an author wrote: a line and column of a text file, a cell of a
//! spreadsheet, or a JSON pointer into a JSON-LD document.

use std::collections::HashMap;
use std::fmt;

use serde::Serialize;

/// A place in an input file, printed the way editors and spreadsheets show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Location {
    /// 1-based line and column (columns count characters, not bytes).
    Text {
        file: String,
        line: usize,
        column: usize,
    },
    /// 1-based row as a spreadsheet shows it; `column` is the header name, empty for the whole row.
    Cell {
        file: String,
        row: usize,
        column: String,
        column_letter: String,
    },
    /// A JSON pointer into the file, for documents whose layout is not the author's own (ELM).
    Pointer { file: String, pointer: String },
}

impl Location {
    /// The start of a file, where a problem with no better place is reported.
    pub fn file_start(file: &str) -> Location {
        Location::Text {
            file: file.to_string(),
            line: 1,
            column: 1,
        }
    }

    pub fn file(&self) -> &str {
        match self {
            Location::Text { file, .. } | Location::Cell { file, .. } | Location::Pointer { file, .. } => {
                file
            }
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Text { file, line, column } => write!(f, "{file}:{line}:{column}"),
            Location::Cell {
                file, row, column, ..
            } if column.is_empty() => write!(f, "{file} row {row}"),
            Location::Cell {
                file,
                row,
                column,
                column_letter,
            } => {
                write!(f, "{file} row {row}, column {column_letter} ({column})")
            }
            Location::Pointer { file, pointer } => write!(f, "{file}#{pointer}"),
        }
    }
}

/// The locations of the values of one description, keyed by JSON pointer into the serialized
/// `Description` (the paths the rules engine reports).
///
/// Many paths share one place (a cell holds a list; a table header stands for its missing members), so
/// each distinct place is stored once and paths refer to it: a spreadsheet row costs a few dozen
/// entries, not a copy of its cell per path.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Locations {
    fallback: Option<Location>,
    places: Vec<Location>,
    by_path: HashMap<String, usize>,
    /// Where the key of a member was written, when it differs from its value (TOML `key = value`).
    keys: HashMap<String, usize>,
}

impl Locations {
    /// An empty map whose every lookup answers `fallback` (the file start, a row, the document root).
    pub fn new(fallback: Location) -> Self {
        Locations {
            fallback: Some(fallback),
            ..Locations::default()
        }
    }

    /// Records where the value at `model_path` was written; the first record of a path wins.
    pub fn insert(&mut self, model_path: impl Into<String>, location: Location) {
        let path = model_path.into();
        if !self.by_path.contains_key(&path) {
            let place = self.place(&location);
            self.by_path.insert(path, place);
        }
    }

    /// Like `insert`, allocating only when the path is new.
    pub(crate) fn insert_ref(&mut self, model_path: &str, location: &Location) {
        if !self.by_path.contains_key(model_path) {
            let place = self.place(location);
            self.by_path.insert(model_path.to_string(), place);
        }
    }

    /// The index of `location` among the places, added when it differs from the last one.
    fn place(&mut self, location: &Location) -> usize {
        if self.places.last() != Some(location) {
            self.places.push(location.clone());
        }
        self.places.len() - 1
    }

    /// Where the value at `model_path` was written. A path with no value of its own (a missing
    /// element, or a plain-string title read as `/title/en`) gets its nearest recorded parent's
    /// location, so a finding about a missing element points into the section it belongs to.
    pub fn locate(&self, model_path: &str) -> Location {
        let mut path = model_path.trim_end_matches('/');
        loop {
            if let Some(location) = self.exact(path) {
                return location.clone();
            }
            match path.rfind('/') {
                Some(cut) => path = &path[..cut],
                None => break,
            }
        }
        self.fallback.clone().unwrap_or_else(|| Location::file_start(""))
    }

    /// Records where the key of the member at `model_path` was written.
    pub fn insert_key(&mut self, model_path: impl Into<String>, location: Location) {
        let path = model_path.into();
        if !self.keys.contains_key(&path) {
            let place = self.place(&location);
            self.keys.insert(path, place);
        }
    }

    /// Where the key of the member at `model_path` was written, else where its value was.
    pub fn key(&self, model_path: &str) -> Option<&Location> {
        self.keys
            .get(model_path)
            .and_then(|&i| self.places.get(i))
            .or_else(|| self.exact(model_path))
    }

    /// Where exactly the value at `model_path` was written, if it was recorded.
    pub fn exact(&self, model_path: &str) -> Option<&Location> {
        self.by_path.get(model_path).and_then(|&i| self.places.get(i))
    }

    /// The number of recorded paths.
    pub fn len(&self) -> usize {
        self.by_path.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_path.is_empty()
    }
}

/// A value together with where its parts were written.
#[derive(Debug, Clone, PartialEq)]
pub struct Located<T> {
    pub value: T,
    pub locations: Locations,
}

/// Escapes one JSON pointer segment (RFC 6901).
pub fn escape_segment(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

/// Line starts of a text, for turning many byte offsets into lines and columns without rescanning.
pub(crate) struct LineIndex<'t> {
    text: &'t str,
    starts: Vec<usize>,
}

impl<'t> LineIndex<'t> {
    pub(crate) fn new(text: &'t str) -> Self {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        LineIndex { text, starts }
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub(crate) fn position(&self, offset: usize) -> (usize, usize) {
        let line = self.starts.partition_point(|&start| start <= offset).max(1);
        let start = self.starts[line - 1];
        let column = self
            .text
            .get(start..offset)
            .map(|s| s.chars().count())
            .unwrap_or(0)
            + 1;
        (line, column)
    }
}

/// 1-based line and column (in characters) of a byte offset in `text`.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
    (line, before[line_start..].chars().count() + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(line: usize) -> Location {
        Location::Text {
            file: "a.toml".into(),
            line,
            column: 1,
        }
    }

    #[test]
    fn missing_paths_fall_back_to_the_nearest_parent() {
        let mut locations = Locations::new(text(1));
        locations.insert("/workload", text(7));
        locations.insert("/workload/credits/0/points", text(9));
        assert_eq!(locations.locate("/workload/credits/0/points"), text(9));
        assert_eq!(locations.locate("/workload/hours"), text(7));
        assert_eq!(locations.locate("/quality_assurance"), text(1));
        assert_eq!(locations.locate(""), text(1));
    }

    #[test]
    fn displays_like_editors_and_spreadsheets() {
        assert_eq!(text(3).to_string(), "a.toml:3:1");
        let cell = Location::Cell {
            file: "r.csv".into(),
            row: 12,
            column: "eqf_level".into(),
            column_letter: "C".into(),
        };
        assert_eq!(cell.to_string(), "r.csv row 12, column C (eqf_level)");
        let pointer = Location::Pointer {
            file: "x.jsonld".into(),
            pointer: "/issuer".into(),
        };
        assert_eq!(pointer.to_string(), "x.jsonld#/issuer");
    }

    #[test]
    fn line_column_counts_characters() {
        let text = "a = 1\nb = \"é\" x";
        assert_eq!(line_column(text, 0), (1, 1));
        assert_eq!(line_column(text, 6), (2, 1));
        assert_eq!(line_column(text, text.find('x').unwrap()), (2, 9));
    }
}
