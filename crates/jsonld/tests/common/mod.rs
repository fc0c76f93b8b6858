//! Access to the reference material in `../shared` (next to the repository), which a fresh clone
//! may not have: tests that need it print why they skip. (Each test binary uses a subset.)
#![allow(dead_code)]

use serde_json::Value;
use std::path::PathBuf;

pub fn shared_dir() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!(
            "SKIPPED: reference material not found at {} (it sits next to the repository in CI)",
            dir.display()
        );
        None
    }
}

pub fn read_json(path: &std::path::Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

pub fn read_text(path: &std::path::Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}
