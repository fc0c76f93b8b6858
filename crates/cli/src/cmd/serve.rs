use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {}

#[derive(clap::Args)]
pub struct DemoArgs {}

pub fn run(_args: Args) -> anyhow::Result<ExitCode> {
    anyhow::bail!("not implemented yet")
}

pub fn demo(_args: DemoArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("not implemented yet")
}
