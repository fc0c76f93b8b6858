//! Byte-exact agreement with the JavaScript reference implementation on documents that exercise
//! the JSON-LD features credentials use (see tests/golden/README.md).

use microcred_jsonld::canonicalize;
use std::path::Path;

#[test]
fn golden_documents_match_the_reference_implementation() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
    let mut count = 0;
    for entry in std::fs::read_dir(&dir).unwrap().flatten() {
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "jsonld") {
            continue;
        }
        let document: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let expected = std::fs::read_to_string(path.with_extension("nq")).unwrap();
        let actual = canonicalize(&document).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert_eq!(actual, expected, "{}", path.display());
        count += 1;
    }
    assert!(count >= 10, "only {count} golden documents");
}
