//! microcred-store
