//! The two canonical forms the EdDSA suites hash: RDFC-1.0 N-Quads (via `microcred-jsonld`, with
//! built-in pinned contexts and JSON-LD safe mode) and JCS (RFC 8785).

use serde_json::Value;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Canonicalization {
    /// RDF Dataset Canonicalization 1.0 of the JSON-LD document.
    Rdfc,
    /// JSON Canonicalization Scheme (RFC 8785).
    Jcs,
}

/// Why a document could not be put in canonical form; for JSON-LD errors `pointer` says where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct CanonError {
    pub message: String,
    /// JSON pointer into the document that was canonicalized, when known.
    pub pointer: Option<String>,
}

pub fn canonicalize(value: &Value, how: Canonicalization) -> Result<String, CanonError> {
    match how {
        Canonicalization::Jcs => jcs(value),
        Canonicalization::Rdfc => rdfc(value),
    }
}

pub fn jcs(value: &Value) -> Result<String, CanonError> {
    jcs_of(value)
}

/// JCS of anything serializable (lets callers skip members without copying the document).
pub fn jcs_of<T: serde::Serialize + ?Sized>(value: &T) -> Result<String, CanonError> {
    serde_jcs::to_string(value).map_err(|e| CanonError {
        message: format!("JSON canonicalization (RFC 8785) failed: {e}"),
        pointer: None,
    })
}

pub fn rdfc(value: &Value) -> Result<String, CanonError> {
    microcred_jsonld::canonicalize(value).map_err(|e| CanonError {
        pointer: e.pointer().map(str::to_string),
        message: e.to_string(),
    })
}
