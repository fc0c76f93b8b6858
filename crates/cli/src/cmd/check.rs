//! `microcred check`: read descriptions (TOML, JSON, ELM, or each row of a CSV/XLSX spreadsheet), run
//! the compliance rules, and report every finding at the place the author wrote it.
//!
//! Output is streamed entry by entry, so a spreadsheet of any length is checked in constant memory.

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use microcred_authoring::{read_all, rows, Format, Location, ReadError, Reading};
use microcred_rules::{ElementStatus, Profile, Report};
use serde::Serialize;

#[derive(clap::Args)]
pub struct Args {
    /// Rule profile: a built-in name (`microcred profiles` lists them) or a profile file (.toml).
    #[arg(long, short, default_value = "eu")]
    profile: String,
    /// Output: lines for people, or one JSON document for programs.
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    format: OutputFormat,
    /// Description files: .toml, .json, ELM .jsonld, or .csv/.xlsx with one description per row.
    #[arg(required = true)]
    files: Vec<PathBuf>,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum OutputFormat {
    Text,
    Json,
}

/// The result for one description: a file, or one row of a spreadsheet.
#[derive(Serialize)]
struct Entry {
    file: String,
    compliant: bool,
    findings: Vec<OutputFinding>,
    /// Annex I elements 2-11 and whether each is present (empty when the description could not be read).
    elements: Vec<ElementStatus>,
    #[serde(skip)]
    unreadable: bool,
}

#[derive(Serialize)]
struct OutputFinding {
    severity: String,
    element: String,
    rule: String,
    source: String,
    location: String,
    message: String,
    fix: String,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let profile = load_profile(&args.profile)?;
    let stdout = std::io::stdout();
    let mut output = Output::new(BufWriter::new(stdout.lock()), args.format);
    let mut unreadable = false;
    let mut non_compliant = false;
    for path in &args.files {
        for_each_entry(path, &profile, &mut |entry| {
            unreadable |= entry.unreadable;
            non_compliant |= !entry.compliant;
            output.write(&entry)
        })?;
    }
    output.finish()?;
    Ok(if unreadable {
        ExitCode::from(2)
    } else if non_compliant {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn load_profile(name_or_path: &str) -> anyhow::Result<Profile> {
    let path = Path::new(name_or_path);
    let profile = if name_or_path.ends_with(".toml") || path.is_file() {
        Profile::from_file(path)
    } else {
        Profile::builtin(name_or_path)
    };
    profile.with_context(|| format!("cannot use the profile {name_or_path:?}"))
}

/// Checks one file, handing each entry (one, or one per spreadsheet row) to `emit` as it is made.
fn for_each_entry(
    path: &Path,
    profile: &Profile,
    emit: &mut dyn FnMut(Entry) -> std::io::Result<()>,
) -> anyhow::Result<()> {
    let file = path.display().to_string();
    let is_spreadsheet = Format::from_extension(path).is_some_and(Format::is_spreadsheet)
        || (path.is_file() && sniff(path).is_some_and(Format::is_spreadsheet));
    if !is_spreadsheet {
        emit(entry(file, read_all(path), profile))?;
        return Ok(());
    }
    match rows(path) {
        Err(error) => emit(entry(
            file,
            Reading {
                description: None,
                errors: vec![error],
            },
            profile,
        ))?,
        Ok(rows) => {
            let mut count = 0;
            for reading in rows.readings() {
                count += 1;
                let place = match (&reading.description, reading.errors.first()) {
                    (Some(located), _) => located.locations.locate(""),
                    (None, Some(error)) => error.location.clone(),
                    (None, None) => Location::file_start(&file),
                };
                emit(entry(row_label(&place), reading, profile))?;
            }
            if count == 0 {
                let nothing = ReadError::value(
                    Location::file_start(&file),
                    "the spreadsheet has a header row but no description rows",
                    "add one row per micro-credential under the header",
                );
                emit(entry(
                    file,
                    Reading {
                        description: None,
                        errors: vec![nothing],
                    },
                    profile,
                ))?;
            }
        }
    }
    Ok(())
}

fn sniff(path: &Path) -> Option<Format> {
    use std::io::Read;
    let mut head = Vec::new();
    std::fs::File::open(path)
        .ok()?
        .take(8)
        .read_to_end(&mut head)
        .ok()?;
    Some(Format::detect(path, &head))
}

/// "roster.csv row 12" for a row of a spreadsheet.
fn row_label(location: &Location) -> String {
    match location {
        Location::Cell { file, row, .. } => format!("{file} row {row}"),
        other => other.file().to_string(),
    }
}

/// Every invalid value becomes a finding of rule "format"; what could be read is checked by the rules.
fn entry(file: String, reading: Reading, profile: &Profile) -> Entry {
    let unreadable = reading.is_fatal();
    let mut findings: Vec<OutputFinding> = reading.errors.into_iter().map(format_finding).collect();
    let Some(located) = reading.description else {
        return Entry {
            file,
            compliant: false,
            findings,
            elements: Vec::new(),
            unreadable,
        };
    };
    let report: Report = microcred_rules::check(&located.value, profile);
    let compliant = findings.is_empty() && report.compliant();
    findings.extend(report.findings.iter().map(|finding| OutputFinding {
        severity: severity_name(&finding.severity),
        element: finding.element.clone(),
        rule: finding.rule.clone(),
        source: finding.source.clone(),
        location: located.locations.locate(&finding.path).to_string(),
        message: finding.message.clone(),
        fix: finding.fix.clone(),
    }));
    Entry {
        file,
        compliant,
        findings,
        elements: report.elements,
        unreadable,
    }
}

fn format_finding(error: ReadError) -> OutputFinding {
    OutputFinding {
        severity: "error".to_string(),
        element: "description format".to_string(),
        rule: "format".to_string(),
        source: "microcred description format (`microcred schema`, `microcred init`)".to_string(),
        location: error.location.to_string(),
        message: error.message,
        fix: error.fix,
    }
}

fn severity_name(severity: &impl Serialize) -> String {
    match serde_json::to_value(severity) {
        Ok(serde_json::Value::String(name)) => name,
        _ => "error".to_string(),
    }
}

/// Writes entries as they come: text lines, or the `{"files":[...]}` document.
struct Output<W: Write> {
    writer: W,
    format: OutputFormat,
    entries: usize,
}

impl<W: Write> Output<W> {
    fn new(writer: W, format: OutputFormat) -> Self {
        Output {
            writer,
            format,
            entries: 0,
        }
    }

    fn write(&mut self, entry: &Entry) -> std::io::Result<()> {
        match self.format {
            OutputFormat::Json => {
                self.writer
                    .write_all(if self.entries == 0 { b"{\"files\":[" } else { b"," })?;
                serde_json::to_writer(&mut self.writer, entry)?;
            }
            OutputFormat::Text => self.write_text(entry)?,
        }
        self.entries += 1;
        Ok(())
    }

    fn write_text(&mut self, entry: &Entry) -> std::io::Result<()> {
        for finding in &entry.findings {
            writeln!(
                self.writer,
                "{}: {} [{}] {}: {} — fix: {} (source: {})",
                finding.location,
                finding.severity,
                finding.rule,
                finding.element,
                finding.message,
                finding.fix,
                finding.source
            )?;
        }
        let count = |severity: &str| entry.findings.iter().filter(|f| f.severity == severity).count();
        let verdict = if entry.unreadable {
            "cannot be read"
        } else if entry.compliant {
            "compliant"
        } else {
            "NOT compliant"
        };
        write!(
            self.writer,
            "{}: {verdict} ({} errors, {} warnings, {} advice)",
            entry.file,
            count("error"),
            count("warning"),
            count("advice")
        )?;
        if !entry.elements.is_empty() {
            let list = |present: bool| {
                entry
                    .elements
                    .iter()
                    .filter(|e| e.present == present)
                    .map(|e| format!("{} {}", e.number, e.name))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let missing = list(false);
            write!(self.writer, "; Annex I elements present: {}", list(true))?;
            if !missing.is_empty() {
                write!(self.writer, "; missing: {missing}")?;
            }
        }
        writeln!(self.writer)
    }

    fn finish(mut self) -> std::io::Result<()> {
        if self.format == OutputFormat::Json {
            self.writer.write_all(if self.entries == 0 {
                b"{\"files\":[]}\n"
            } else {
                b"]}\n"
            })?;
        }
        self.writer.flush()
    }
}
