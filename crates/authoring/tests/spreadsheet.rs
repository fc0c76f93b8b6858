//! CSV and XLSX: one description per row, errors at their row and column.

#![allow(clippy::result_large_err)] // ReadError is large by design (see the crate root).

use std::path::{Path, PathBuf};

use microcred_authoring::{rows, Location};
use microcred_model::AssessmentType;

fn example(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples").join(name)
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("microcred-sheet-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

#[test]
fn example_csv_reads_row_by_row_with_a_bad_cell_placed() {
    let all: Vec<_> = rows(&example("roster.csv")).unwrap().collect();
    assert_eq!(all.len(), 3);
    let first = all[0].as_ref().unwrap();
    assert_eq!(first.value.title.best("ga"), Some("Litearthacht sonraí"));
    assert_eq!(first.value.learning_outcomes.len(), 2);
    assert_eq!(first.value.learning_outcomes[0].esco_skills.len(), 1);
    assert_eq!(first.value.workload.ects(), Some(5.0));
    assert_eq!(
        first.value.assessment.types,
        [AssessmentType::ProjectWork, AssessmentType::Quiz]
    );
    assert_eq!(
        first.locations.locate("/level/eqf").to_string(),
        format!("{} row 2, column L (eqf_level)", example("roster.csv").display())
    );
    let error = all[2].as_ref().unwrap_err();
    assert!(!error.fatal);
    match &error.location {
        Location::Cell {
            row,
            column,
            column_letter,
            ..
        } => {
            assert_eq!(
                (*row, column.as_str(), column_letter.as_str()),
                (4, "assessment_types", "P")
            );
        }
        other => panic!("expected a cell, got {other}"),
    }
    assert_eq!(
        error.message,
        "assessment.types[1]: unknown assessment type \"writen exam\""
    );
    assert!(error.fix.starts_with("write \"written-exam\""), "{}", error.fix);
}

#[test]
fn example_xlsx_holds_the_same_descriptions_as_the_csv() {
    let csv: Vec<_> = rows(&example("roster.csv"))
        .unwrap()
        .map(|r| r.map(|l| l.value))
        .collect();
    let xlsx: Vec<_> = rows(&example("roster.xlsx"))
        .unwrap()
        .map(|r| r.map(|l| l.value))
        .collect();
    assert_eq!(csv.len(), xlsx.len());
    for (a, b) in csv.iter().zip(&xlsx) {
        match (a, b) {
            (Ok(a), Ok(b)) => assert_eq!(a, b),
            (Err(a), Err(b)) => assert_eq!(a.message, b.message),
            _ => panic!("CSV and XLSX disagree: {a:?} / {b:?}"),
        }
    }
}

#[test]
fn xlsx_cells_of_every_type_are_read_and_bad_ones_placed() {
    let path = scratch("types.xlsx");
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    let header = [
        "title",
        "eqf_level",
        "ects",
        "isced_field",
        "review_date",
        "stand_alone",
        "duration",
    ];
    for (column, name) in header.iter().enumerate() {
        sheet.write_string(0, column as u16, *name).unwrap();
    }
    // Row 2: numbers as number cells, a real date cell, a boolean cell, a leading zero lost.
    sheet.write_string(1, 0, "Data literacy").unwrap();
    sheet.write_number(1, 1, 6).unwrap();
    sheet.write_number(1, 2, 7.5).unwrap();
    sheet.write_number(1, 3, 613).unwrap();
    let date = rust_xlsxwriter::ExcelDateTime::from_ymd(2027, 6, 1).unwrap();
    let format = rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd");
    sheet.write_datetime_with_format(1, 4, &date, &format).unwrap();
    sheet.write_boolean(1, 5, false).unwrap();
    sheet.write_string(1, 6, "P10W").unwrap();
    // Row 3 is empty and skipped; row 4 has a bad duration in column G.
    sheet.write_string(3, 0, "Cloud").unwrap();
    sheet.write_string(3, 6, "ten weeks").unwrap();
    workbook.save(&path).unwrap();

    let all: Vec<_> = rows(&path).unwrap().collect();
    assert_eq!(all.len(), 2);
    let first = &all[0].as_ref().unwrap().value;
    assert_eq!(first.level.eqf.map(|l| l.get()), Some(6));
    assert_eq!(first.workload.ects(), Some(7.5));
    assert_eq!(first.field.as_ref().map(|f| f.code()), Some("0613"));
    assert_eq!(
        first.review_date.map(|d| d.to_string()).as_deref(),
        Some("2027-06-01")
    );
    assert_eq!(first.stackability.as_ref().map(|s| s.stand_alone), Some(false));
    let error = all[1].as_ref().unwrap_err();
    assert_eq!(
        error.location.to_string(),
        format!("{} row 4, column G (duration)", path.display())
    );
    assert!(
        error.message.contains("\"ten weeks\" is not an xsd:duration"),
        "{}",
        error.message
    );
}

#[test]
fn reading_can_stop_early() {
    let path = scratch("early.xlsx");
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.write_string(0, 0, "title").unwrap();
    for row in 1..=500 {
        sheet.write_string(row, 0, format!("Row {row}")).unwrap();
    }
    workbook.save(&path).unwrap();
    let mut stream = rows(&path).unwrap();
    assert_eq!(
        stream.next().unwrap().unwrap().value.title.best("en"),
        Some("Row 1")
    );
    drop(stream); // the reading thread ends when nobody listens
    assert_eq!(rows(&path).unwrap().count(), 500);
}

#[test]
fn semicolon_separated_csv_and_an_empty_file() {
    let path = scratch("semicolon.csv");
    std::fs::write(&path, "title;ects;countries\nData;7,5;IRL\n").unwrap();
    let first = rows(&path).unwrap().next().unwrap().unwrap().value;
    assert_eq!(first.workload.ects(), Some(7.5));
    let empty = scratch("empty.csv");
    std::fs::write(&empty, "").unwrap();
    let error = rows(&empty).err().expect("an empty file has no header");
    assert!(
        error.fatal && error.message.contains("no header row"),
        "{}",
        error.message
    );
}
