//! The file-reading edge: open a path, pick the reader for its format.

use std::path::Path;

use microcred_model::Description;

use crate::error::ReadError;
use crate::format::Format;
use crate::location::{Located, Location};
use crate::value::Reading;

/// Reads one description from a TOML, JSON or ELM file. Spreadsheets hold many: use `rows`.
pub fn read_description(path: &Path) -> Result<Located<Description>, ReadError> {
    read_all(path).into_result()
}

/// Like `read_description`, but reports every invalid value and keeps the valid rest (see `Reading`).
pub fn read_all(path: &Path) -> Reading {
    match read(path) {
        Ok(reading) => reading,
        Err(error) => Reading::failed(error),
    }
}

fn read(path: &Path) -> Result<Reading, ReadError> {
    let file = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|error| cannot_open(&file, &error))?;
    let format = Format::detect(path, &bytes[..bytes.len().min(4096)]);
    if format.is_spreadsheet() {
        return Err(ReadError::fatal(
            Location::file_start(&file),
            "a spreadsheet holds one description per row, not one description",
            "read it with `rows` (the `microcred check` command does)",
        ));
    }
    let text = String::from_utf8(bytes).map_err(|error| {
        let offset = error.utf8_error().valid_up_to();
        let text = String::from_utf8_lossy(error.as_bytes());
        let (line, column) = crate::location::line_column(&text, offset);
        ReadError::fatal(
            Location::Text {
                file: file.clone(),
                line,
                column,
            },
            "the file is not valid UTF-8 text",
            "save the file as UTF-8",
        )
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    Ok(match format {
        Format::Toml => crate::toml_input::parse_toml_all(text, &file),
        // JSON parsing recognises ELM by its content and imports it.
        _ => crate::json_input::parse_json_all(text, &file),
    })
}

pub(crate) fn cannot_open(file: &str, error: &std::io::Error) -> ReadError {
    let fix = match error.kind() {
        std::io::ErrorKind::NotFound => "check the file name and the current directory",
        std::io::ErrorKind::PermissionDenied => "make the file readable",
        _ => "check that the file exists and is readable",
    };
    ReadError::fatal(
        Location::file_start(file),
        format!("cannot read the file: {error}"),
        fix,
    )
}
