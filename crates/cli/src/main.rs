//! The `microcred` command: every user-facing operation of the project, one subcommand each.
//!
//! Each subcommand lives in its own module under `cmd/` with its own `Args` and `run`; this file only
//! dispatches. Exit status: 0 success, 1 a negative answer (not compliant, not verified), 2 unusable input.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod cmd;

#[derive(Parser)]
#[command(
    name = "microcred",
    version,
    about = "European micro-credentials: describe, check, quality-assure, register, issue, verify and stack"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check micro-credential descriptions against the EU baseline and a national profile.
    Check(cmd::check::Args),
    /// Compare two versions of a description and say which changes need re-validation.
    Diff(cmd::diff::Args),
    /// Print the JSON Schema of the description format.
    Schema(cmd::schema::Args),
    /// Print a commented TOML template of a description.
    Init(cmd::init::Args),
    /// List the national rule profiles that are built in.
    Profiles(cmd::profiles::Args),
    /// Issuer keys: create, show the public part, make DID documents.
    #[command(subcommand)]
    Keys(cmd::keys::Command),
    /// Sign a credential or presentation with a Data Integrity proof.
    Sign(cmd::sign::Args),
    /// Render a signed credential (Open Badges 3.0 or ELM) from a description for one learner.
    Issue(cmd::issue::Args),
    /// Verify a credential or presentation: named checks, offline unless --online.
    Verify(cmd::verify::Args),
    /// Measure issuing and verifying speed.
    Bench(cmd::bench::Args),
    /// Stacking and recognition of prior learning: evaluate credentials against qualifications.
    #[command(subcommand)]
    Stack(cmd::stack::Command),
    /// Issue to a roster through a running service, with progress and row errors.
    #[command(subcommand)]
    Roster(cmd::roster::Command),
    /// Run the HTTP service.
    Serve(cmd::serve::Args),
    /// Run the HTTP service on an embedded database seeded with demonstration data.
    Demo(cmd::serve::DemoArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Check(args) => cmd::check::run(args),
        Command::Diff(args) => cmd::diff::run(args),
        Command::Schema(args) => cmd::schema::run(args),
        Command::Init(args) => cmd::init::run(args),
        Command::Profiles(args) => cmd::profiles::run(args),
        Command::Keys(command) => cmd::keys::run(command),
        Command::Sign(args) => cmd::sign::run(args),
        Command::Issue(args) => cmd::issue::run(args),
        Command::Verify(args) => cmd::verify::run(args),
        Command::Bench(args) => cmd::bench::run(args),
        Command::Stack(command) => cmd::stack::run(command),
        Command::Roster(command) => cmd::roster::run(command),
        Command::Serve(args) => cmd::serve::run(args),
        Command::Demo(args) => cmd::serve::demo(args),
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::from(2)
        }
    }
}
