//! microcred-model
