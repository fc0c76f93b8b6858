use std::process::ExitCode;

#[derive(clap::Subcommand)]
pub enum Command {
    /// Evaluate a learner's credentials against a qualification.
    Evaluate {},
}

pub fn run(_command: Command) -> anyhow::Result<ExitCode> {
    anyhow::bail!("not implemented yet")
}
