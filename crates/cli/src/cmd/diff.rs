//! `microcred diff OLD NEW`: what changed between two versions of a description, and which changes need
//! re-validation under a profile's change-impact policy (crate `microcred-rules`).
//!
//! Exit status: 0 nothing needs re-validation, 1 something does, 2 a file or the profile is unusable.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use microcred_authoring::{read_description, Located};
use microcred_model::Description;
use microcred_rules::{Change, ChangeReport, Profile};
use serde::Serialize;
use serde_json::Value;

#[derive(clap::Args)]
pub struct Args {
    /// The earlier version of the description (.toml, .json or ELM .jsonld).
    old: PathBuf,
    /// The new version.
    new: PathBuf,
    /// Change-impact policy: a built-in profile name (`microcred profiles` lists them) or a profile
    /// file (.toml). The EU baseline's defaults apply where the profile says nothing.
    #[arg(long, short, default_value = "eu")]
    profile: String,
    /// Output: lines for people, or one JSON document for programs.
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    format: OutputFormat,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum OutputFormat {
    Text,
    Json,
}

/// The JSON output: the engine's report, with where each change sits in the files.
#[derive(Serialize)]
struct Output<'a> {
    old: String,
    new: String,
    profile: &'a str,
    requires_revalidation: bool,
    changes: Vec<OutputChange<'a>>,
}

#[derive(Serialize)]
struct OutputChange<'a> {
    #[serde(flatten)]
    change: &'a Change,
    /// Where the changed value is written: in the new file, or in the old one for a removal.
    location: String,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    match run_inner(args) {
        // Output piped into a program that stopped reading (`| head`) is not an error.
        Err(error) if is_broken_pipe(&error) => Ok(ExitCode::SUCCESS),
        other => other,
    }
}

fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
            || cause
                .downcast_ref::<serde_json::Error>()
                .is_some_and(|e| e.io_error_kind() == Some(std::io::ErrorKind::BrokenPipe))
    })
}

fn run_inner(args: Args) -> anyhow::Result<ExitCode> {
    let profile =
        Profile::load(&args.profile).with_context(|| format!("cannot use the profile {:?}", args.profile))?;
    let (Some(old), Some(new)) = (read(&args.old), read(&args.new)) else {
        return Ok(ExitCode::from(2));
    };
    let report = microcred_rules::diff(&old.value, &new.value, &profile);
    let located: Vec<OutputChange> = report
        .changes
        .iter()
        .map(|change| {
            let location = if change.after.is_some() {
                new.locations.locate(&change.path)
            } else {
                old.locations.locate(&change.path)
            };
            OutputChange {
                change,
                location: location.to_string(),
            }
        })
        .collect();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match args.format {
        OutputFormat::Json => {
            let output = Output {
                old: args.old.display().to_string(),
                new: args.new.display().to_string(),
                profile: &report.profile,
                requires_revalidation: report.requires_revalidation,
                changes: located,
            };
            serde_json::to_writer_pretty(&mut out, &output)?;
            writeln!(out)?;
        }
        OutputFormat::Text => write_text(&mut out, &args.old, &args.new, &profile, &report, &located)?,
    }
    out.flush()?;
    Ok(if report.requires_revalidation {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Reads a description, printing why it cannot be read.
fn read(path: &Path) -> Option<Located<Description>> {
    match read_description(path) {
        Ok(located) => Some(located),
        Err(error) => {
            eprintln!("error: {}: {}", error.location, error.message);
            if !error.fix.is_empty() {
                eprintln!("  fix: {}", error.fix);
            }
            None
        }
    }
}

fn write_text(
    out: &mut impl Write,
    old: &Path,
    new: &Path,
    profile: &Profile,
    report: &ChangeReport,
    changes: &[OutputChange],
) -> std::io::Result<()> {
    writeln!(
        out,
        "{} -> {} (profile {}: {})",
        old.display(),
        new.display(),
        profile.name,
        profile.title
    )?;
    if changes.is_empty() {
        writeln!(out, "No changes.")?;
        return Ok(());
    }
    for OutputChange { change, location } in changes {
        let verdict = if change.requires_revalidation {
            "RE-VALIDATE"
        } else {
            "no re-validation"
        };
        writeln!(out)?;
        writeln!(out, "{verdict}: {} ({})", change.element, change.path)?;
        writeln!(out, "  at:     {location}")?;
        writeln!(out, "  before: {}", show(change.before.as_ref()))?;
        writeln!(out, "  after:  {}", show(change.after.as_ref()))?;
        writeln!(out, "  why:    {}", change.reason)?;
        writeln!(out, "  rule:   {} ({})", change.rule, change.source)?;
    }
    let needing = changes.iter().filter(|c| c.change.requires_revalidation).count();
    writeln!(out)?;
    writeln!(
        out,
        "{} change{}, {} needing re-validation.{}",
        changes.len(),
        if changes.len() == 1 { "" } else { "s" },
        needing,
        if report.requires_revalidation {
            " Submit the new version for re-validation before issuing it."
        } else {
            " The new version can be issued under the existing validation."
        }
    )
}

/// A value on one line, shortened when long.
fn show(value: Option<&Value>) -> String {
    let Some(value) = value else {
        return "(absent)".into();
    };
    let text = match value {
        Value::String(s) => format!("{s:?}"),
        other => other.to_string(),
    };
    if text.chars().count() > 100 {
        format!("{}...", text.chars().take(97).collect::<String>())
    } else {
        text
    }
}
