//! microcred-jsonld
