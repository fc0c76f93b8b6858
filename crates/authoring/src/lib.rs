//! microcred-authoring
