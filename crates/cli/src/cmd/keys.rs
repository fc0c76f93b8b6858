use std::process::ExitCode;

#[derive(clap::Subcommand)]
pub enum Command {
    /// Create a new Ed25519 issuer key.
    New {},
}

pub fn run(_command: Command) -> anyhow::Result<ExitCode> {
    anyhow::bail!("not implemented yet")
}
