//! One module per subcommand. Each owns its `Args` and a `run` returning the exit code.

pub mod bench;
pub mod check;
pub mod diff;
pub mod init;
pub mod issue;
pub mod keys;
pub mod profiles;
pub mod roster;
pub mod schema;
pub mod serve;
pub mod sign;
pub mod stack;
pub mod verify;
