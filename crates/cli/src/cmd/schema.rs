//! `microcred schema`: the JSON Schema of the description format, for editors and validators.

use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {}

pub fn run(_args: Args) -> anyhow::Result<ExitCode> {
    println!(
        "{}",
        serde_json::to_string_pretty(&microcred_authoring::json_schema())?
    );
    Ok(ExitCode::SUCCESS)
}
