//! `microcred roster upload`: send a roster (CSV or XLSX) to a running service, follow the issuing
//! job with a progress bar, then list the rows that were not issued with how to fix them.
//! Exit status: 0 every row issued, 1 some rows not issued, 2 the upload was refused.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{bail, Context};
use serde_json::Value;

#[derive(clap::Subcommand)]
pub enum Command {
    /// Upload a roster and follow its issuing job.
    Upload(UploadArgs),
}

#[derive(clap::Args)]
pub struct UploadArgs {
    /// The service, e.g. https://credentials.example.org
    #[arg(long)]
    server: String,
    /// An API token with the credentials:issue scope (or MICROCRED_TOKEN).
    #[arg(long, env = "MICROCRED_TOKEN", hide_env_values = true)]
    token: String,
    /// The published description to issue.
    #[arg(long)]
    description: String,
    /// ob3 (Open Badges 3.0, default) or elm (European Learning Model).
    #[arg(long)]
    format: Option<String>,
    /// The roster: .csv (UTF-8) or .xlsx; columns email, name, optional given_name, family_name,
    /// grade, learner_id.
    file: PathBuf,
}

pub fn run(command: Command) -> anyhow::Result<ExitCode> {
    match command {
        Command::Upload(args) => upload(args),
    }
}

fn get(url: &str, token: &str) -> anyhow::Result<Value> {
    let response = ureq::get(url)
        .set("Authorization", &format!("Bearer {token}"))
        .timeout(Duration::from_secs(30))
        .call()
        .with_context(|| format!("GET {url}"))?;
    Ok(serde_json::from_str(&response.into_string()?)?)
}

fn print_problem(problem: &Value) {
    eprintln!(
        "{}",
        problem["detail"]
            .as_str()
            .unwrap_or("the service refused the roster")
    );
    for error in problem["errors"].as_array().into_iter().flatten() {
        eprintln!(
            "  {}: {}",
            error["pointer"].as_str().unwrap_or(""),
            error["detail"].as_str().unwrap_or("")
        );
    }
}

fn upload(args: UploadArgs) -> anyhow::Result<ExitCode> {
    let bytes = std::fs::read(&args.file).with_context(|| format!("cannot read {}", args.file.display()))?;
    let is_xlsx = args
        .file
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
    let content_type = if is_xlsx {
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    } else {
        "text/csv"
    };
    let base = args.server.trim_end_matches('/');
    let mut url = format!("{base}/api/descriptions/{}/rosters", args.description);
    if let Some(format) = &args.format {
        url.push_str(&format!("?format={format}"));
    }
    let sent = ureq::post(&url)
        .set("Authorization", &format!("Bearer {}", args.token))
        .set("Content-Type", content_type)
        .timeout(Duration::from_secs(300))
        .send_bytes(&bytes);
    let job: Value = match sent {
        Ok(response) => serde_json::from_str(&response.into_string()?)?,
        Err(ureq::Error::Status(status, response)) => {
            let problem: Value = response
                .into_string()
                .ok()
                .and_then(|t| serde_json::from_str(&t).ok())
                .unwrap_or_default();
            eprintln!("the upload was refused ({status}):");
            print_problem(&problem);
            return Ok(ExitCode::from(2));
        }
        Err(error) => bail!("cannot reach {base}: {error}"),
    };
    let id = job["id"]
        .as_str()
        .context("the service answered without a job id")?
        .to_string();
    let total = job["total"].as_u64().unwrap_or(0);
    let bar = indicatif::ProgressBar::new(total);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} rows  {per_sec}  {msg}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let job = loop {
        let job = get(&format!("{base}/api/jobs/{id}"), &args.token)?;
        let (done, failed) = (
            job["done"].as_u64().unwrap_or(0),
            job["failed"].as_u64().unwrap_or(0),
        );
        bar.set_position(done + failed);
        bar.set_message(format!("{failed} not issued"));
        if matches!(job["state"].as_str(), Some("done" | "failed")) {
            break job;
        }
        std::thread::sleep(Duration::from_millis(250));
    };
    bar.finish();
    println!(
        "job {id}: {} issued, {} not issued ({})",
        job["done"],
        job["failed"],
        job["state"].as_str().unwrap_or("")
    );
    if let Some(message) = job["message"].as_str() {
        println!("  {message}");
    }
    let errors = get(&format!("{base}/api/jobs/{id}/errors"), &args.token)?;
    for error in errors["errors"].as_array().into_iter().flatten() {
        println!(
            "row {}, column {}: {} (fix: {})",
            error["row"],
            error["column"].as_str().unwrap_or(""),
            error["message"].as_str().unwrap_or(""),
            error["fix"].as_str().unwrap_or("")
        );
    }
    let clean = job["state"] == "done" && job["failed"].as_u64() == Some(0);
    Ok(if clean {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
