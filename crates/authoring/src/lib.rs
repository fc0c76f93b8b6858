//! microcred-authoring: reading micro-credential descriptions from the formats authors use (TOML,
//! JSON, CSV and XLSX spreadsheets, European Learning Model JSON-LD), with the place of every value so
//! that each problem can be reported as `file:line:column`, a spreadsheet row and column, or a JSON
//! pointer.
//!
//! Reading files is the only I/O here (`read_description`, `read_all`, `rows`); parsing, locating, the
//! ELM mapping, the schema and the template are pure functions of text or `serde_json::Value`.
//!
//! - One description: `read_description(path)` (TOML, JSON or ELM, by extension and content), or from
//!   text `parse_toml`, `parse_json`, `import_elm`. Each returns a `Located<Description>`: the value and
//!   its `Locations`, which turn any JSON pointer into the serialized description (the `path` of a rules
//!   finding) into a `Location` in the author's file; a missing element gets its nearest parent's place.
//! - Every problem at once: the `*_all` variants and `Rows::readings` return a `Reading`: one
//!   `ReadError` per invalid value, and the description without those values, still worth checking.
//! - Spreadsheets: `rows(path)` streams one description per CSV/XLSX row (`docs/spreadsheet-columns.md`).
//! - For authors: `template(profile)` (commented TOML that parses) and `json_schema()`.

// A `ReadError` is large (a location and two sentences) but rare, and its plain public fields are the
// API the CLI and the server read; boxing it would only add indirection.
#![allow(clippy::result_large_err)]

mod elm;
mod error;
mod format;
mod json_input;
mod json_spans;
mod location;
mod read;
mod schema;
mod sheet;
mod template;
mod toml_input;
mod value;

pub use elm::{import_elm, import_elm_all, is_elm};
pub use error::ReadError;
pub use format::Format;
pub use json_input::{parse_json, parse_json_all};
pub use location::{Located, Location, Locations};
pub use read::{read_all, read_description};
pub use schema::json_schema;
pub use sheet::{column_letter, known_headers, rows, Rows};
pub use template::template;
pub use toml_input::{parse_toml, parse_toml_all};
pub use value::Reading;
