//! Reads every row of a spreadsheet and reports the count and time: the reading half of `check`.
//!
//!     cargo run --release -p microcred-authoring --example read_rows -- big.csv

fn main() {
    let path = std::env::args()
        .nth(1)
        .expect("usage: read_rows FILE.csv|FILE.xlsx");
    let start = std::time::Instant::now();
    let rows = microcred_authoring::rows(std::path::Path::new(&path)).unwrap_or_else(|e| panic!("{e}"));
    let (mut read, mut errors) = (0, 0);
    for reading in rows.readings() {
        read += 1;
        errors += reading.errors.len();
    }
    eprintln!("{read} rows, {errors} invalid values, in {:?}", start.elapsed());
}
