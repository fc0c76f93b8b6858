//! Spreadsheets (CSV and XLSX): one description per row, read as a stream so that memory stays the
//! same whatever the number of rows.

mod layout;
mod xlsx;

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

use microcred_model::Description;

use crate::error::ReadError;
use crate::format::Format;
use crate::location::{Located, Location};
use crate::value::{read_value, Reading};

pub use layout::{column_letter, known_headers, Layout};

/// The descriptions of a CSV or XLSX file, one per non-empty row after the header row. Opening fails
/// (fatally) when the file cannot be read or its header names an unknown column; each row is then
/// `Ok` or a non-fatal `ReadError` placed at its row and column.
pub fn rows(path: &Path) -> Result<Rows, ReadError> {
    let file = path.display().to_string();
    let handle = File::open(path).map_err(|error| crate::read::cannot_open(&file, &error))?;
    let mut head = Vec::with_capacity(4096);
    handle
        .take(4096)
        .read_to_end(&mut head)
        .map_err(|error| crate::read::cannot_open(&file, &error))?;
    let source = match Format::detect(path, &head) {
        Format::Xlsx => Source::Xlsx(xlsx::XlsxRows::open(path, &file)?),
        Format::Csv => Source::Csv(csv_reader(path, &file, &head)?),
        other => {
            return Err(ReadError::fatal(
                Location::file_start(&file),
                format!("{other:?} is not a spreadsheet format"),
                "give a .csv or .xlsx file, or read the file with `read_description`",
            ))
        }
    };
    let mut rows = Rows {
        file,
        source,
        layout: None,
        row: 0,
    };
    rows.read_header()?;
    Ok(rows)
}

/// A stream of the descriptions of a spreadsheet; see `rows`.
pub struct Rows {
    file: String,
    source: Source,
    layout: Option<Layout>,
    /// 1-based number of the last row read, as a spreadsheet shows it.
    row: usize,
}

enum Source {
    Csv(csv::Reader<BufReader<File>>),
    Xlsx(xlsx::XlsxRows),
}

impl Rows {
    fn next_cells(&mut self) -> Option<Result<(usize, Vec<String>), ReadError>> {
        match &mut self.source {
            Source::Csv(reader) => {
                let mut record = csv::StringRecord::new();
                match reader.read_record(&mut record) {
                    Ok(false) => None,
                    Ok(true) => {
                        self.row += 1;
                        Some(Ok((self.row, record.iter().map(str::to_string).collect())))
                    }
                    Err(error) => {
                        let line = error
                            .position()
                            .map(|p| p.line() as usize)
                            .unwrap_or(self.row + 1);
                        self.row += 1;
                        Some(Err(ReadError::fatal(
                            Location::Text { file: self.file.clone(), line, column: 1 },
                            format!("cannot read this CSV line: {error}"),
                            "save the file as UTF-8 CSV; quote cells that contain the separator or line breaks",
                        )))
                    }
                }
            }
            Source::Xlsx(reader) => {
                let next = reader.next()?;
                Some(next.map(|(row, cells)| {
                    self.row = row;
                    (row, cells)
                }))
            }
        }
    }

    fn read_header(&mut self) -> Result<(), ReadError> {
        loop {
            match self.next_cells() {
                None => {
                    return Err(ReadError::fatal(
                        Location::file_start(&self.file),
                        "the spreadsheet is empty: it has no header row",
                        "put the column names in the first row (see docs/spreadsheet-columns.md)",
                    ))
                }
                Some(Err(error)) => return Err(error),
                Some(Ok((_, cells))) if cells.iter().all(|c| c.trim().is_empty()) => continue,
                Some(Ok((row, cells))) => {
                    self.layout = Some(Layout::from_headers(&self.file, row, &cells)?);
                    return Ok(());
                }
            }
        }
    }
}

impl Rows {
    /// The next row, reporting every invalid cell and keeping the valid rest (see `Reading`).
    pub fn next_reading(&mut self) -> Option<Reading> {
        loop {
            let (row, cells) = match self.next_cells()? {
                Ok(next) => next,
                Err(error) => return Some(Reading::failed(error)),
            };
            if cells.iter().all(|c| c.trim().is_empty()) {
                continue;
            }
            let layout = self.layout.as_ref()?;
            let (value, locations) = layout.row_value(row, &cells);
            return Some(read_value(value, locations));
        }
    }

    /// The rows as `Reading`s: every invalid cell of a row, and the row without them.
    pub fn readings(mut self) -> impl Iterator<Item = Reading> {
        std::iter::from_fn(move || self.next_reading())
    }
}

impl Iterator for Rows {
    type Item = Result<Located<Description>, ReadError>;

    fn next(&mut self) -> Option<Self::Item> {
        self.next_reading().map(Reading::into_result)
    }
}

/// A CSV reader; the separator is `,` unless the header line has more `;` (a European spreadsheet
/// export) or tabs.
fn csv_reader(path: &Path, file: &str, head: &[u8]) -> Result<csv::Reader<BufReader<File>>, ReadError> {
    let first_line = head.split(|b| *b == b'\n').next().unwrap_or_default();
    let count = |byte: u8| first_line.iter().filter(|b| **b == byte).count();
    let delimiter = [b',', b';', b'\t']
        .into_iter()
        .max_by_key(|b| count(*b))
        .unwrap_or(b',');
    let delimiter = if count(delimiter) == 0 { b',' } else { delimiter };
    let handle = File::open(path).map_err(|error| crate::read::cannot_open(file, &error))?;
    Ok(csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(BufReader::new(handle)))
}
