//! microcred-server
