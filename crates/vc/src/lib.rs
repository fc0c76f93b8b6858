//! microcred-vc
