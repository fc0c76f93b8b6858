//! Reading a roster (CSV in UTF-8, or the first sheet of an XLSX workbook): one learner per row,
//! columns `email` and `name` required, `given_name`, `family_name`, `grade`, `learner_id` optional.
//! A bad row becomes a row error and the rest are read; a file that cannot be a roster at all (no
//! header, a required column missing, not UTF-8) is refused as a whole.

use std::collections::HashMap;

use microcred_store::{JobRow, RowError};
use serde_json::{Map, Value};

use crate::problem::Problem;

const REQUIRED: [&str; 2] = ["email", "name"];
const OPTIONAL: [&str; 4] = ["given_name", "family_name", "grade", "learner_id"];

#[derive(Debug, Default)]
pub struct Roster {
    /// Data rows in the file, good and bad.
    pub total: usize,
    pub rows: Vec<JobRow>,
    pub errors: Vec<RowError>,
}

pub enum Kind {
    Csv,
    Xlsx,
}

pub fn read(kind: Kind, bytes: &[u8]) -> Result<Roster, Problem> {
    let table = match kind {
        Kind::Csv => csv_table(bytes)?,
        Kind::Xlsx => xlsx_table(bytes)?,
    };
    from_table(table)
}

fn refuse(detail: impl Into<String>) -> Problem {
    let detail = detail.into();
    Problem::new(
        axum::http::StatusCode::UNPROCESSABLE_ENTITY,
        "invalid-roster",
        "The roster cannot be read",
        detail,
    )
}

/// Rows of cells; row `i` of the vector is line/row `i + 1` of the file.
type Table = Vec<Vec<String>>;

fn csv_table(bytes: &[u8]) -> Result<Table, Problem> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Err(error) = std::str::from_utf8(bytes) {
        let line = bytes[..error.valid_up_to()]
            .iter()
            .filter(|b| **b == b'\n')
            .count()
            + 1;
        return Err(refuse(format!(
            "line {line} is not UTF-8 text; save the roster as \"CSV UTF-8\" (or upload the .xlsx)"
        ))
        .with_error(format!("#/line/{line}"), "not UTF-8"));
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut table = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| refuse(format!("the CSV is malformed: {e}")))?;
        let line = record
            .position()
            .map(|p| p.line() as usize)
            .unwrap_or(table.len() + 1);
        // Keep line numbers true to the file even across quoted newlines.
        while table.len() + 1 < line {
            table.push(Vec::new());
        }
        table.push(record.iter().map(str::to_string).collect());
    }
    Ok(table)
}

fn xlsx_table(bytes: &[u8]) -> Result<Table, Problem> {
    use calamine::Reader;
    let mut workbook = calamine::Xlsx::new(std::io::Cursor::new(bytes))
        .map_err(|e| refuse(format!("the file is not an XLSX workbook: {e}")))?;
    let range = workbook
        .worksheet_range_at(0)
        .ok_or_else(|| refuse("the workbook has no sheet"))?
        .map_err(|e| refuse(format!("the first sheet cannot be read: {e}")))?;
    let offset = range.start().map(|(row, _)| row as usize).unwrap_or(0);
    let mut table: Table = vec![Vec::new(); offset];
    table.extend(range.rows().map(|r| r.iter().map(|c| c.to_string()).collect()));
    Ok(table)
}

fn normalise_header(text: &str) -> String {
    text.trim().to_lowercase().replace([' ', '-'], "_")
}

fn from_table(table: Table) -> Result<Roster, Problem> {
    let Some(header_at) = table.iter().position(|r| r.iter().any(|c| !c.trim().is_empty())) else {
        return Err(refuse(
            "the roster is empty; the first row names the columns: email, name",
        ));
    };
    let header: Vec<String> = table[header_at].iter().map(|h| normalise_header(h)).collect();
    let column = |name: &str| {
        header
            .iter()
            .position(|h| h == name || (name == "email" && h == "e_mail"))
    };
    let mut problem = None::<Problem>;
    for name in REQUIRED {
        if column(name).is_none() {
            let p = problem.take().unwrap_or_else(|| {
                refuse(format!(
                    "row {} names the columns {:?}; a roster needs the columns email and name",
                    header_at + 1,
                    header
                ))
            });
            problem = Some(p.with_error(format!("#/column/{name}"), format!("add a column named {name}")));
        }
    }
    if let Some(problem) = problem {
        return Err(problem);
    }
    let (email_at, name_at) = (column("email").unwrap_or(0), column("name").unwrap_or(0));
    let optional: Vec<(&str, usize)> = OPTIONAL
        .iter()
        .filter_map(|n| column(n).map(|i| (*n, i)))
        .collect();
    let mut roster = Roster::default();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (index, cells) in table.iter().enumerate().skip(header_at + 1) {
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let row = index + 1;
        roster.total += 1;
        let cell = |at: usize| cells.get(at).map(|c| c.trim()).unwrap_or("");
        let mut error = |column: &str, message: String, fix: &str| {
            roster.errors.push(RowError {
                row: row as i64,
                column: column.to_string(),
                message,
                fix: fix.to_string(),
            })
        };
        let email = cell(email_at).to_lowercase();
        let name = cell(name_at).to_string();
        let mut bad = false;
        if !is_email(&email) {
            error(
                "email",
                format!("{:?} is not an e-mail address", cell(email_at)),
                "write the learner's address, e.g. ana@example.org",
            );
            bad = true;
        } else if let Some(first) = seen.get(&email) {
            error(
                "email",
                format!("{email} is already on row {first}"),
                "remove the duplicate row: a learner gets one credential per description",
            );
            bad = true;
        }
        if name.is_empty() {
            error(
                "name",
                "the learner's name is empty".into(),
                "write the full name as it should appear on the credential",
            );
            bad = true;
        }
        if bad {
            continue;
        }
        seen.insert(email.clone(), row);
        let mut extra = Map::new();
        for (key, at) in &optional {
            let value = cell(*at);
            if !value.is_empty() {
                extra.insert((*key).to_string(), Value::String(value.to_string()));
            }
        }
        roster.rows.push(JobRow {
            row_number: row as i64,
            email,
            name,
            extra: Value::Object(extra).to_string(),
        });
    }
    if roster.total == 0 {
        return Err(refuse("the roster has a header but no learners"));
    }
    Ok(roster)
}

/// A plausible address: one `@`, a local part, a dotted domain, no spaces (delivery proves the rest).
pub fn is_email(text: &str) -> bool {
    let Some((local, domain)) = text.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && text.len() <= 254
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !text
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || "<>,;\"".contains(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn csv(text: &str) -> Result<Roster, Problem> {
        read(Kind::Csv, text.as_bytes())
    }

    #[test]
    fn bad_rows_are_reported_and_the_rest_read() {
        let roster = csv("Email,Name,Grade\nana@example.org,Ana,A\nnot-an-email,Bo,\nana@example.org,Ana Again,\ncy@example.org,,\ndee@example.org,Dee,B\n").unwrap();
        assert_eq!(roster.total, 5);
        assert_eq!(
            roster.rows.iter().map(|r| r.row_number).collect::<Vec<_>>(),
            vec![2, 6]
        );
        let errors: Vec<(i64, &str)> = roster.errors.iter().map(|e| (e.row, e.column.as_str())).collect();
        assert_eq!(errors, vec![(3, "email"), (4, "email"), (5, "name")]);
        assert!(roster.rows[0].extra.contains("\"grade\":\"A\""));
    }

    #[test]
    fn missing_columns_and_bad_encoding_are_refused() {
        let problem = csv("mail,full\nx@y.z,X\n").err().unwrap();
        assert_eq!(problem.errors.len(), 2, "{problem:?}");
        assert_eq!(problem.errors[0].pointer, "#/column/email");
        let problem = read(
            Kind::Csv,
            b"email,name\nana@example.org,Ana\nb@example.org,Jos\xe9\n",
        )
        .err()
        .unwrap();
        assert!(problem.detail.contains("line 3"), "{}", problem.detail);
        assert!(csv("").is_err());
    }

    #[test]
    fn xlsx_rosters_are_read_like_csv() {
        let mut workbook = rust_xlsxwriter::Workbook::new();
        let sheet = workbook.add_worksheet();
        for (row, cells) in [
            ["Email", "Name", "Grade"],
            ["ana@example.org", "Ana", "A"],
            ["bo-at-example", "Bo", ""],
        ]
        .iter()
        .enumerate()
        {
            for (column, text) in cells.iter().enumerate() {
                sheet.write_string(row as u32, column as u16, *text).unwrap();
            }
        }
        let bytes = workbook.save_to_buffer().unwrap();
        let roster = read(Kind::Xlsx, &bytes).unwrap();
        assert_eq!(roster.total, 2);
        assert_eq!(roster.rows[0].email, "ana@example.org");
        assert_eq!(roster.rows[0].row_number, 2);
        assert_eq!(
            (roster.errors[0].row, roster.errors[0].column.as_str()),
            (3, "email")
        );
        assert!(read(Kind::Xlsx, b"PK\x03\x04 not a workbook").is_err());
    }

    #[test]
    fn emails() {
        assert!(is_email("a.b@example.org"));
        for bad in ["", "a", "a@b", "@b.c", "a@@b.c", "a b@c.d", "a@b.c."] {
            assert!(!is_email(bad), "{bad}");
        }
    }
}
