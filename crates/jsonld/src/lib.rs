//! microcred-jsonld: JSON-LD credentials to canonical N-Quads (RDFC-1.0), safely and fast.
//!
//! * Contexts are built in and pinned ([`contexts`]); an unknown context URL is an error, nothing is
//!   ever fetched.
//! * Expansion runs in "safe mode": anything JSON-LD would silently drop (undefined term, relative
//!   IRI, non-IRI type, ...) is an error with a JSON pointer ([`JsonLdError::pointer`]).
//! * Work is bounded: nesting depth, number of values and quads, uncached context processing, and
//!   the RDFC-1.0 Hash N-Degree Quads steps ([`Limits`]).
//! * Processed contexts (including type- and property-scoped ones) are cached per thread, so a
//!   verifier pays for `credentials/v2` + Open Badges once.
//!
//! Pipeline: `expand` (JSON-LD 1.1 expansion to a typed tree) → `to_rdf` (quads) → `rdfc`
//! (canonical labels, sorted N-Quads).

mod context;
pub mod contexts;
mod error;
mod expand;
mod iri;
mod jcs;
mod path;
mod rdf;
mod rdfc;
mod term_definition;
mod to_rdf;

pub use error::JsonLdError;

use serde_json::Value;

/// Bounds on the work one call may do. The defaults admit any realistic credential (and 10 MB
/// documents of ordinary shape) while stopping hostile ones in milliseconds.
#[derive(Clone, Debug)]
pub struct Limits {
    /// Maximum JSON pointer depth (object keys plus array indices) that is walked. Real credentials
    /// stay under 20; 100 keeps the recursion within ~0.5 MiB of stack even in unoptimised builds.
    pub max_depth: usize,
    /// Maximum number of JSON values (and context term definitions) processed.
    pub max_values: usize,
    /// Maximum number of RDF statements produced.
    pub max_quads: usize,
    /// Maximum number of `@context` processings not served from the cache.
    pub max_context_processing: usize,
    /// RDFC-1.0 Hash N-Degree Quads budget: `base + per_blank_node × blank nodes` steps.
    pub rdfc_base_steps: usize,
    pub rdfc_steps_per_blank_node: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_depth: 100,
            max_values: 2_000_000,
            max_quads: 1_000_000,
            max_context_processing: 10_000,
            rdfc_base_steps: 10_000,
            rdfc_steps_per_blank_node: 32,
        }
    }
}

/// RDFC-1.0 canonical N-Quads (each line ends "\n", lines sorted) of the JSON-LD document.
pub fn canonicalize(document: &Value) -> Result<String, JsonLdError> {
    canonicalize_with_limits(document, &Limits::default())
}

/// [`canonicalize`] with explicit work bounds.
pub fn canonicalize_with_limits(document: &Value, limits: &Limits) -> Result<String, JsonLdError> {
    let mut work = context::Work {
        limits,
        contexts_processed: 0,
        values: 0,
        validating_scoped: false,
    };
    let expanded = expand::Expander { work: &mut work }.expand_document(document)?;
    let mut builder = to_rdf::RdfBuilder::new(limits.max_quads);
    builder.add_default_graph(&expanded)?;
    drop(expanded);
    rdfc::canonicalize(
        builder.quads,
        builder.blank_nodes,
        rdfc::Budget {
            base: limits.rdfc_base_steps,
            per_blank_node: limits.rdfc_steps_per_blank_node,
        },
    )
}
