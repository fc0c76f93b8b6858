//! XLSX rows, streamed: calamine's cell reader walks the sheet's XML without building the whole grid.
//! Its reader borrows the workbook, so it runs on a thread that sends rows through a small bounded
//! channel: memory holds a few rows, whatever the sheet's length.

use std::path::Path;
use std::sync::mpsc::{sync_channel, Receiver};

use calamine::{open_workbook, DataRef, Reader, Xlsx};

use crate::error::ReadError;
use crate::location::Location;

/// Rows of cells as text, with their 1-based row numbers.
pub struct XlsxRows {
    receiver: Receiver<Result<(usize, Vec<String>), ReadError>>,
}

impl XlsxRows {
    pub fn open(path: &Path, file: &str) -> Result<XlsxRows, ReadError> {
        let unreadable = |message: String| {
            ReadError::fatal(
                Location::file_start(file),
                message,
                "save the workbook again as .xlsx (Excel 2007+)",
            )
        };
        let mut workbook: Xlsx<_> =
            open_workbook(path).map_err(|error| unreadable(format!("cannot open the workbook: {error}")))?;
        let sheet = workbook
            .sheet_names()
            .first()
            .cloned()
            .ok_or_else(|| unreadable("the workbook has no sheet".to_string()))?;
        let (sender, receiver) = sync_channel(64);
        let file = file.to_string();
        std::thread::spawn(move || {
            let mut reader = match workbook.worksheet_cells_reader(&sheet) {
                Ok(reader) => reader,
                Err(error) => {
                    let _ = sender.send(Err(ReadError::fatal(
                        Location::file_start(&file),
                        format!("cannot read the sheet {sheet:?}: {error}"),
                        "save the workbook again as .xlsx",
                    )));
                    return;
                }
            };
            let mut row: Option<(u32, Vec<String>)> = None;
            loop {
                let cell = match reader.next_cell() {
                    Ok(Some(cell)) => cell,
                    Ok(None) => break,
                    Err(error) => {
                        let _ = sender.send(Err(ReadError::fatal(
                            Location::file_start(&file),
                            format!("cannot read the sheet {sheet:?}: {error}"),
                            "save the workbook again as .xlsx",
                        )));
                        return;
                    }
                };
                let (cell_row, cell_column) = cell.get_position();
                if row.as_ref().is_some_and(|(r, _)| *r != cell_row) {
                    let (r, cells) = row.take().unwrap_or_default();
                    // The receiver hung up: the caller stopped reading.
                    if sender.send(Ok((r as usize + 1, cells))).is_err() {
                        return;
                    }
                }
                let (_, cells) = row.get_or_insert_with(|| (cell_row, Vec::new()));
                let column = cell_column as usize;
                if cells.len() <= column {
                    cells.resize(column + 1, String::new());
                }
                cells[column] = text(cell.get_value());
            }
            if let Some((r, cells)) = row {
                let _ = sender.send(Ok((r as usize + 1, cells)));
            }
        });
        Ok(XlsxRows { receiver })
    }
}

impl Iterator for XlsxRows {
    type Item = Result<(usize, Vec<String>), ReadError>;

    fn next(&mut self) -> Option<Self::Item> {
        self.receiver.recv().ok()
    }
}

/// A cell as the text an author would have typed.
fn text(value: &DataRef) -> String {
    match value {
        DataRef::Int(n) => n.to_string(),
        DataRef::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        DataRef::Float(f) => f.to_string(),
        DataRef::String(s) => s.clone(),
        DataRef::SharedString(s) => s.to_string(),
        DataRef::Bool(b) => b.to_string(),
        DataRef::DateTime(date) => excel_date(date.as_f64()),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
        DataRef::Error(error) => format!("#{error:?}"),
        DataRef::Empty => String::new(),
    }
}

/// An Excel serial date (days since 1899-12-30) as YYYY-MM-DD.
fn excel_date(serial: f64) -> String {
    let epoch = chrono::NaiveDate::from_ymd_opt(1899, 12, 30).unwrap_or_default();
    epoch
        .checked_add_days(chrono::Days::new(serial.max(0.0) as u64))
        .map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_else(|| serial.to_string())
}
