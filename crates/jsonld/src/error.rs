//! Errors: each names where in the input (a JSON pointer) and how to fix it.

/// Why a document could not be canonicalized. Pointers are RFC 6901 JSON pointers into the input
/// document (`""` is the whole document).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JsonLdError {
    #[error("unknown JSON-LD context {url:?} at \"{pointer}\": contexts are never fetched; use one of the built-in contexts ({supported}) or an inline context object")]
    UnknownContext {
        url: String,
        pointer: String,
        supported: String,
    },
    #[error("term {term:?} at \"{pointer}\" is not defined by the active @context, so JSON-LD expansion would silently drop it: add a context that defines it, use an absolute IRI as the key, or remove it")]
    UndefinedTerm { term: String, pointer: String },
    #[error("type {value:?} at \"{pointer}\" does not expand to an absolute IRI and would be dropped: use a type defined by the @context or an absolute IRI")]
    InvalidType { value: String, pointer: String },
    #[error("relative IRI {iri:?} at \"{pointer}\": documents are processed without a base IRI, so it would be dropped; use an absolute IRI such as urn:uuid:…, https://… or did:…")]
    RelativeIri { iri: String, pointer: String },
    #[error("protected term {term:?} redefined by the context at \"{pointer}\": a later context may not change a term that an earlier one marked @protected; remove the conflicting context or definition")]
    ProtectedTermRedefinition { term: String, pointer: String },
    #[error("document nested deeper than {limit} levels at \"{pointer}\": flatten the structure")]
    TooDeep { pointer: String, limit: usize },
    #[error("canonicalization work bound exceeded ({what}): the document is too large or has too many indistinguishable blank nodes; give embedded objects an \"id\" or split the document")]
    TooComplex { what: String },
    #[error("invalid JSON-LD at \"{pointer}\": {message}")]
    Invalid { pointer: String, message: String },
}

impl JsonLdError {
    /// Where in the input the problem is, when it has one place.
    pub fn pointer(&self) -> Option<&str> {
        match self {
            JsonLdError::UnknownContext { pointer, .. }
            | JsonLdError::UndefinedTerm { pointer, .. }
            | JsonLdError::InvalidType { pointer, .. }
            | JsonLdError::RelativeIri { pointer, .. }
            | JsonLdError::ProtectedTermRedefinition { pointer, .. }
            | JsonLdError::TooDeep { pointer, .. }
            | JsonLdError::Invalid { pointer, .. } => Some(pointer),
            JsonLdError::TooComplex { .. } => None,
        }
    }
}
