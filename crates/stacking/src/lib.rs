//! microcred-stacking
