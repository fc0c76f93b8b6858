//! Reading spreadsheets: 10,000 rows of CSV and XLSX, the reading half of `microcred check` (the other
//! half is the rules engine; `docs/benchmark.md` measures the whole command).

use std::path::{Path, PathBuf};

use criterion::{criterion_group, criterion_main, Criterion};

const ROWS: usize = 10_000;

const HEADER: &[&str] = &[
    "id",
    "title_en",
    "countries",
    "awarding_body_name",
    "learning_outcomes",
    "hours",
    "ects",
    "eqf_level",
    "isced_field",
    "assessment_types",
    "modes",
    "setting",
    "duration",
    "qa_type",
    "qa_body",
    "qa_valid_until",
];

fn row(i: usize) -> Vec<String> {
    let ects = 1 + i % 30;
    [
        format!("https://example.org/mc/{i}"),
        format!("Micro-credential {i}"),
        "IRL".into(),
        "University of Zed".into(),
        format!("Explain topic {i} | Apply method {}", i % 7),
        (ects * 27).to_string(),
        ects.to_string(),
        (4 + i % 4).to_string(),
        "0613".into(),
        if i % 50 == 17 {
            "writen exam".into()
        } else {
            "project-work; quiz".into()
        },
        "blended".into(),
        "non-formal".into(),
        format!("P{}W", 4 + i % 12),
        "programme".into(),
        "Quality and Qualifications Ireland".into(),
        "2031-01-01".into(),
    ]
    .to_vec()
}

fn write_csv(path: &Path) {
    let mut writer = csv::Writer::from_path(path).unwrap();
    writer.write_record(HEADER).unwrap();
    for i in 0..ROWS {
        writer.write_record(row(i)).unwrap();
    }
    writer.flush().unwrap();
}

fn write_xlsx(path: &Path) {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    for (column, name) in HEADER.iter().enumerate() {
        sheet.write_string(0, column as u16, *name).unwrap();
    }
    for i in 0..ROWS {
        for (column, cell) in row(i).iter().enumerate() {
            sheet.write_string(i as u32 + 1, column as u16, cell).unwrap();
        }
    }
    workbook.save(path).unwrap();
}

fn read_all(path: &Path) -> usize {
    microcred_authoring::rows(path)
        .unwrap()
        .readings()
        .filter(|r| r.description.is_some())
        .count()
}

fn bench(c: &mut Criterion) {
    let dir: PathBuf = std::env::temp_dir().join(format!("microcred-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (csv, xlsx) = (dir.join("rows.csv"), dir.join("rows.xlsx"));
    write_csv(&csv);
    write_xlsx(&xlsx);
    assert_eq!(read_all(&csv), ROWS);
    let mut group = c.benchmark_group("read 10,000 spreadsheet rows");
    group.sample_size(10);
    group.bench_function("csv", |b| b.iter(|| read_all(&csv)));
    group.bench_function("xlsx", |b| b.iter(|| read_all(&xlsx)));
    group.finish();
    let _ = std::fs::remove_dir_all(&dir);
}

criterion_group!(benches, bench);
criterion_main!(benches);
