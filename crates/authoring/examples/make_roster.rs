//! Writes a spreadsheet of N generated micro-credential descriptions, for trying `microcred check` on
//! large files and measuring it (the row count does not change the memory used).
//!
//!     cargo run --release -p microcred-authoring --example make_roster -- 10000 big.csv
//!     cargo run --release -p microcred-authoring --example make_roster -- 10000 big.xlsx
//!     cargo run -p microcred-authoring --example make_roster -- --from examples/roster.csv examples/roster.xlsx

use std::io::Write;

/// A header row and the rows under it.
type Sheet = (Vec<String>, Vec<Vec<String>>);
type Fallible<T> = Result<T, Box<dyn std::error::Error>>;

fn main() -> Fallible<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (header, rows): Sheet = match args.as_slice() {
        [flag, source, _] if flag == "--from" => read_csv(source)?,
        [count, _] => generated(count.parse()?),
        _ => {
            return Err(
                "usage: make_roster ROWS OUT.csv|OUT.xlsx, or make_roster --from IN.csv OUT.xlsx".into(),
            )
        }
    };
    let out = args.last().expect("an output path");
    if out.ends_with(".xlsx") {
        write_xlsx(out, &header, &rows)?;
    } else {
        let mut writer = csv::Writer::from_path(out)?;
        writer.write_record(&header)?;
        for row in &rows {
            writer.write_record(row)?;
        }
        writer.flush()?;
    }
    writeln!(std::io::stderr(), "wrote {} rows to {out}", rows.len())?;
    Ok(())
}

const HEADER: &[&str] = &[
    "id",
    "title_en",
    "countries",
    "awarding_body_name",
    "awarding_body_country",
    "learning_outcomes",
    "hours",
    "ects",
    "eqf_level",
    "nqf_framework",
    "nqf_level",
    "isced_field",
    "assessment_types",
    "grading_scheme",
    "supervision",
    "modes",
    "setting",
    "duration",
    "qa_type",
    "qa_body",
    "qa_reference",
    "qa_valid_until",
    "labour_market_need",
    "target_learners",
    "stand_alone",
    "review_date",
];

/// Varied rows: sizes, levels, modes and assessment change with the row number, and every 50th row
/// has a problem (credits out of range, a misspelt vocabulary value, a malformed duration).
fn generated(count: usize) -> Sheet {
    let modes = ["online", "blended", "presential", "blended; work-based"];
    let assessments = [
        "project-work; quiz",
        "written-exam",
        "practical",
        "portfolio; oral-exam",
    ];
    let rows = (0..count)
        .map(|i| {
            let ects = 1 + i % 30;
            let eqf = 4 + i % 4;
            let assessment = if i % 50 == 17 {
                "writen exam"
            } else {
                assessments[i % 4]
            };
            let duration = if i % 50 == 33 {
                "ten weeks".to_string()
            } else {
                format!("P{}W", 4 + i % 12)
            };
            let ects_cell = if i % 50 == 42 {
                "45".to_string()
            } else {
                ects.to_string()
            };
            [
                format!("https://example.org/mc/{i}"),
                format!("Micro-credential number {i}"),
                "IRL".into(),
                "University of Zed".into(),
                "IRL".into(),
                format!("Explain topic {i} | Apply method {} in practice", i % 7),
                (ects * 27).to_string(),
                ects_cell,
                eqf.to_string(),
                "IE-NFQ".into(),
                (eqf + 2).to_string(),
                "0613".into(),
                assessment.into(),
                "pass/fail".into(),
                "supervised-with-id".into(),
                modes[i % 4].into(),
                "non-formal".into(),
                duration,
                "programme".into(),
                "Quality and Qualifications Ireland".into(),
                format!("VAL-2026-{i}"),
                "2031-01-01".into(),
                "Regional employers' survey 2025".into(),
                "Adults in work".into(),
                "yes".into(),
                "2027-06-01".into(),
            ]
            .to_vec()
        })
        .collect();
    (HEADER.iter().map(|h| h.to_string()).collect(), rows)
}

fn read_csv(path: &str) -> Fallible<Sheet> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_path(path)?;
    let mut records = reader.records();
    let header = records
        .next()
        .ok_or("empty CSV")??
        .iter()
        .map(str::to_string)
        .collect();
    let rows = records
        .map(|r| r.map(|r| r.iter().map(str::to_string).collect()))
        .collect::<Result<_, _>>()?;
    Ok((header, rows))
}

/// Columns a person types numbers into; a spreadsheet stores them as number cells (and drops the
/// leading zero of an ISCED code such as 0613, which the reader restores).
const NUMERIC: &[&str] = &[
    "hours",
    "ects",
    "eqf_level",
    "nqf_level",
    "isced_field",
    "credits_points",
];

fn write_xlsx(path: &str, header: &[String], rows: &[Vec<String>]) -> Fallible<()> {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    for (column, name) in header.iter().enumerate() {
        sheet.write_string(0, column as u16, name)?;
    }
    for (index, row) in rows.iter().enumerate() {
        for (column, cell) in row.iter().enumerate() {
            let (r, c) = (index as u32 + 1, column as u16);
            let numeric = header
                .get(column)
                .is_some_and(|name| NUMERIC.contains(&name.as_str()));
            match cell.parse::<f64>() {
                Ok(number) if numeric => sheet.write_number(r, c, number)?,
                _ if cell.is_empty() => sheet,
                _ => sheet.write_string(r, c, cell)?,
            };
        }
    }
    workbook.save(path)?;
    Ok(())
}
