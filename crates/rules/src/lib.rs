//! microcred-rules
