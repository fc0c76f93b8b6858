//! Shared helpers: the reference files live in ../shared (CI has them there); tests skip without them.

#![allow(dead_code)]

use std::path::PathBuf;

use serde_json::Value;

/// `shared/` beside the repository, or `None` (and a printed reason) when it is absent.
pub fn shared() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared");
    if dir.join("vectors").is_dir() {
        Some(dir)
    } else {
        eprintln!(
            "skipped: {} is absent (reference vectors and fixtures live there)",
            dir.display()
        );
        None
    }
}

pub fn read_text(path: &std::path::Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

pub fn read_json(path: &std::path::Path) -> Value {
    serde_json::from_str(&read_text(path)).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
