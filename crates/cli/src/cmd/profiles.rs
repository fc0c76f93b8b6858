//! `microcred profiles`: the built-in rule profiles, or the rules of one profile. Given a profile file,
//! it validates it (errors name the file and line), which is how a new country profile is tried out.
//!
//! Exit status: 0 listed, 2 the named profile is unknown or invalid.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Context;
use microcred_rules::{Profile, Severity};
use serde::Serialize;

#[derive(clap::Args)]
pub struct Args {
    /// Show the rules of one profile: a built-in name or a profile file (.toml), which is validated.
    profile: Option<String>,
    /// Output: lines for people, or JSON for programs.
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    format: OutputFormat,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum OutputFormat {
    Text,
    Json,
}

#[derive(Serialize)]
struct Summary<'a> {
    name: &'a str,
    /// ISO 3166-1 alpha-3 code, absent for the EU baseline.
    country: Option<&'a str>,
    title: &'a str,
    description: &'a str,
    /// Rules of the profile itself (the EU baseline's rules always apply as well).
    rules: usize,
    /// Change-impact rules of the profile.
    change_rules: usize,
    origin: &'a str,
}

#[derive(Serialize)]
struct RuleOut<'a> {
    id: &'a str,
    kind: &'a str,
    severity: Severity,
    message: &'a str,
    fix: &'a str,
    source: &'a str,
    evidence: Option<&'a str>,
    replaces: &'a [String],
    line: usize,
}

#[derive(Serialize)]
struct ChangeOut<'a> {
    id: &'a str,
    path: &'a str,
    policy: &'a str,
    reason: &'a str,
    source: &'a str,
}

#[derive(Serialize)]
struct Detail<'a> {
    #[serde(flatten)]
    summary: Summary<'a>,
    rule_list: Vec<RuleOut<'a>>,
    change_list: Vec<ChangeOut<'a>>,
}

fn summary(profile: &Profile) -> Summary<'_> {
    Summary {
        name: &profile.name,
        country: profile.country.as_deref(),
        title: &profile.title,
        description: &profile.description,
        rules: profile.rule_count(),
        change_rules: profile.changes.len(),
        origin: &profile.origin,
    }
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
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match &args.profile {
        None => list(&mut out, args.format)?,
        Some(name) => {
            let profile = Profile::load(name).with_context(|| format!("cannot use the profile {name:?}"))?;
            show(&mut out, &profile, args.format)?;
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn list(out: &mut impl Write, format: OutputFormat) -> anyhow::Result<()> {
    let profiles = Profile::all_builtin();
    match format {
        OutputFormat::Json => {
            let summaries: Vec<Summary> = profiles.iter().map(summary).collect();
            serde_json::to_writer_pretty(&mut *out, &summaries)?;
            writeln!(out)?;
        }
        OutputFormat::Text => {
            let width = profiles.iter().map(|p| p.name.len()).max().unwrap_or(0);
            for p in &profiles {
                let country = p.country.as_deref().unwrap_or("EU");
                let rules = if p.is_baseline() {
                    format!("{} rules, always applied", p.rule_count())
                } else {
                    let n = p.rule_count();
                    format!("{n} rule{} + EU baseline", if n == 1 { "" } else { "s" })
                };
                writeln!(out, "{:<width$}  {country}  {}  ({rules})", p.name, p.title)?;
                writeln!(out, "{:<width$}       {}", "", p.description)?;
            }
            writeln!(out)?;
            writeln!(
                out,
                "Use one with `microcred check --profile NAME`; show its rules with `microcred profiles NAME`; \
                 a profile file (see crates/rules/profiles/TEMPLATE.md) works wherever a name does."
            )?;
        }
    }
    Ok(())
}

fn show(out: &mut impl Write, profile: &Profile, format: OutputFormat) -> anyhow::Result<()> {
    let policy = |p: microcred_rules::Policy| match p {
        microcred_rules::Policy::Revalidate => "revalidate",
        microcred_rules::Policy::Provider => "provider",
        microcred_rules::Policy::Free => "free",
    };
    match format {
        OutputFormat::Json => {
            let detail = Detail {
                summary: summary(profile),
                rule_list: profile
                    .rules
                    .iter()
                    .map(|r| RuleOut {
                        id: &r.id,
                        kind: r.kind_name(),
                        severity: r.severity,
                        message: &r.message,
                        fix: &r.fix,
                        source: &r.source,
                        evidence: r.evidence.as_deref(),
                        replaces: &r.replaces,
                        line: r.line,
                    })
                    .collect(),
                change_list: profile
                    .changes
                    .iter()
                    .map(|c| ChangeOut {
                        id: &c.id,
                        path: &c.path,
                        policy: policy(c.policy),
                        reason: &c.reason,
                        source: &c.source,
                    })
                    .collect(),
            };
            serde_json::to_writer_pretty(&mut *out, &detail)?;
            writeln!(out)?;
        }
        OutputFormat::Text => {
            writeln!(out, "{} ({}): {}", profile.name, profile.origin, profile.title)?;
            writeln!(out, "{}", profile.description)?;
            for r in &profile.rules {
                let severity = match r.severity {
                    Severity::Error => "error",
                    Severity::Warning => "warning",
                    Severity::Advice => "advice",
                };
                let evidence = r
                    .evidence
                    .as_deref()
                    .map(|e| format!(" [{e}]"))
                    .unwrap_or_default();
                writeln!(out)?;
                writeln!(out, "{} ({}, {severity})", r.id, r.kind_name())?;
                writeln!(out, "  {}", r.message)?;
                writeln!(out, "  source: {}{evidence}", r.source)?;
                if !r.replaces.is_empty() {
                    writeln!(out, "  replaces: {}", r.replaces.join(", "))?;
                }
            }
            if !profile.changes.is_empty() {
                writeln!(out)?;
                writeln!(out, "Change impact:")?;
                for c in &profile.changes {
                    writeln!(out, "  {:<34} {:<10} {}", c.path, policy(c.policy), c.reason)?;
                }
            }
        }
    }
    Ok(())
}
