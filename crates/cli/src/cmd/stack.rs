//! `microcred stack`: stacking and recognition of prior learning.
//!
//! `evaluate` verifies the learner's credentials (offline, with the vc crate), evaluates them against a
//! qualification and says, per requirement, what counts and what is missing. It only recommends:
//! `decide` records what the awarding body decided, and `award` builds (and with `--key`, signs) the
//! larger credential for an awarded decision. Exit status of `evaluate`: 0 complete, 1 incomplete.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context};
use chrono::{DateTime, Utc};
use serde_json::Value;

use microcred_model::{Date, Description};
use microcred_stacking::{
    award_credential, builtin, evaluate, held_from_ob3, parse_qualification, Award, Decision, Evaluation,
    HeldCredential, Organisation, Outcome, Qualification, RequirementResult, UseStatus, Verification,
};
use microcred_vc::trust::TrustList;
use microcred_vc::{CheckStatus, ProofOptions, VerifyContext};

#[derive(clap::Subcommand)]
pub enum Command {
    /// Evaluate a learner's credentials against a qualification (a recommendation, not an award).
    Evaluate(EvaluateArgs),
    /// List the built-in qualifications.
    List,
    /// Record the awarding body's decision on an evaluation (prints the decision as JSON).
    Decide(DecideArgs),
    /// Build the larger credential for an awarded decision; signed with --key, else unsigned.
    Award(AwardArgs),
}

#[derive(clap::Args)]
pub struct EvaluateArgs {
    /// A qualification file (TOML or JSON) or the name of a built-in one (see `microcred stack list`).
    #[arg(long)]
    qualification: String,
    /// Credential files: OB 3.0 credentials (verified here, offline), or JSON summaries
    /// (HeldCredential, with their verification outcome); a file may hold a JSON array of either.
    #[arg(long, num_args = 1.., required = true)]
    credentials: Vec<PathBuf>,
    /// Published micro-credential descriptions (TOML or JSON) to suggest what would close a gap.
    #[arg(long, num_args = 1..)]
    catalogue: Vec<PathBuf>,
    /// A signed trust list of accredited issuers (for `issuers = "accredited"`).
    #[arg(long)]
    trust_list: Option<PathBuf>,
    /// The day of evaluation (YYYY-MM-DD); default: today (UTC).
    #[arg(long)]
    today: Option<String>,
    #[arg(long, default_value = "text", value_parser = ["text", "json"])]
    format: String,
}

#[derive(clap::Args)]
pub struct DecideArgs {
    /// The evaluation, as printed by `microcred stack evaluate --format json`.
    #[arg(long)]
    evaluation: PathBuf,
    #[arg(long, value_parser = ["awarded", "refused", "deferred"])]
    outcome: String,
    /// Who decides (a person or board of the awarding body).
    #[arg(long)]
    by: String,
    /// The learner's id (DID or URI): the subject of the awarded credential.
    #[arg(long)]
    learner: String,
    /// Why (repeatable).
    #[arg(long = "reason", required = true)]
    reasons: Vec<String>,
    /// When (RFC 3339); default: now.
    #[arg(long)]
    at: Option<String>,
}

#[derive(clap::Args)]
pub struct AwardArgs {
    /// The decision, as printed by `microcred stack decide`.
    #[arg(long)]
    decision: PathBuf,
    /// The qualification file or built-in name the decision is about.
    #[arg(long)]
    qualification: String,
    /// Sign with this key file; the issuer becomes the key's did:key unless --issuer-id is given.
    #[arg(long)]
    key: Option<PathBuf>,
    #[arg(long)]
    issuer_id: Option<String>,
    /// Default: the qualification's awarding body.
    #[arg(long)]
    issuer_name: Option<String>,
    /// Default: a new urn:uuid.
    #[arg(long)]
    credential_id: Option<String>,
}

pub fn run(command: Command) -> anyhow::Result<ExitCode> {
    match command {
        Command::List => list(),
        Command::Evaluate(args) => run_evaluate(args),
        Command::Decide(args) => decide(args),
        Command::Award(args) => award(args),
    }
}

fn list() -> anyhow::Result<ExitCode> {
    for b in builtin::ALL {
        let q = b.parse()?;
        println!(
            "{}\n    {}\n    decided by: {}\n    source: {}\n",
            b.name, q.title, q.awarding_body.name, q.source
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// A built-in name, else a file.
fn load_qualification(name_or_file: &str) -> anyhow::Result<Qualification> {
    if let Some(b) = builtin::find(name_or_file) {
        return Ok(b.parse()?);
    }
    let path = Path::new(name_or_file);
    if !path.exists() {
        let names: Vec<&str> = builtin::ALL.iter().map(|b| b.name).collect();
        bail!(
            "{name_or_file} is neither a file nor a built-in qualification; built in: {}",
            names.join(", ")
        );
    }
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    Ok(parse_qualification(&path.display().to_string(), &text)?)
}

fn read_json(path: &Path) -> anyhow::Result<Value> {
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    serde_json::from_str(&text).with_context(|| format!("{} is not JSON", path.display()))
}

fn run_evaluate(args: EvaluateArgs) -> anyhow::Result<ExitCode> {
    let qualification = load_qualification(&args.qualification)?;
    let today = match &args.today {
        Some(text) => Date::parse(text).map_err(anyhow::Error::msg).context("--today")?,
        None => Date(Utc::now().date_naive()),
    };
    let mut context = VerifyContext::new();
    if let Some(path) = &args.trust_list {
        context.trust_list = Some(read_trust_list(path, &context)?);
    }
    let mut held = Vec::new();
    for path in &args.credentials {
        held.extend(read_credentials(path, &context)?);
    }
    let catalogue = args
        .catalogue
        .iter()
        .map(|p| read_description(p))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let evaluation = evaluate(&qualification, &held, &catalogue, today);
    if args.format == "json" {
        println!("{}", serde_json::to_string_pretty(&evaluation)?);
    } else {
        print!("{}", explain(&evaluation, &held));
    }
    Ok(if evaluation.complete {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn read_trust_list(path: &Path, context: &VerifyContext) -> anyhow::Result<TrustList> {
    let document = read_json(path)?;
    let report = microcred_vc::verify::verify_without_trust(&document, context);
    if !report.verified {
        let problems: Vec<&str> = report
            .checks
            .iter()
            .filter(|c| c.status != CheckStatus::Ok)
            .map(|c| c.message.as_str())
            .collect();
        bail!(
            "the trust list {} does not verify: {}",
            path.display(),
            problems.join("; ")
        );
    }
    TrustList::from_credential(&document).with_context(|| format!("in {}", path.display()))
}

/// Every credential in a file: OB 3.0 credentials are verified here; summaries are taken as given.
fn read_credentials(path: &Path, context: &VerifyContext) -> anyhow::Result<Vec<HeldCredential>> {
    let document = read_json(path)?;
    let items = match document {
        Value::Array(items) => items,
        single => vec![single],
    };
    let mut held = Vec::new();
    for (index, item) in items.iter().enumerate() {
        let place = if items.len() == 1 {
            path.display().to_string()
        } else {
            format!("{}[{index}]", path.display())
        };
        if item.get("verification").is_some() {
            let summary: HeldCredential = serde_json::from_value(item.clone())
                .with_context(|| format!("{place} is not a credential summary (HeldCredential)"))?;
            held.push(summary);
        } else if item.get("credentialSubject").is_some() {
            held.push(verified(item, context).with_context(|| format!("in {place}"))?);
        } else {
            bail!("{place} is neither a credential (no credentialSubject) nor a summary (no verification)");
        }
    }
    Ok(held)
}

/// Verifies with the vc crate and summarises; a credential that does not verify is kept, excluded with
/// the reason, so that the report says why it did not count.
fn verified(credential: &Value, context: &VerifyContext) -> anyhow::Result<HeldCredential> {
    let report = microcred_vc::verify(credential, context);
    // When nothing failed but an essential check could not be made, that is the reason.
    let any_failed = report.checks.iter().any(|c| c.status == CheckStatus::Failed);
    let reasons = report
        .checks
        .iter()
        .filter(|c| {
            c.status == CheckStatus::Failed || (!any_failed && c.status == CheckStatus::CouldNotCheck)
        })
        .map(|c| c.message.as_str());
    let verification = Verification::from_outcome(report.verified, reasons);
    let mut held = held_from_ob3(credential, verification)?;
    held.issuer_accredited = match report.status_of("issuer-trust") {
        Some(CheckStatus::Ok) => Some(true),
        Some(CheckStatus::Failed) => Some(false),
        _ => None,
    };
    Ok(held)
}

fn read_description(path: &Path) -> anyhow::Result<Description> {
    let located = microcred_authoring::read_description(path).map_err(|e| anyhow::anyhow!("{e}"))?;
    if located.value.id.is_none() {
        bail!(
            "{}: the description has no id, so it cannot be suggested; add id = \"...\"",
            path.display()
        );
    }
    Ok(located.value)
}

/// The evaluation in sentences.
fn explain(e: &Evaluation, held: &[HeldCredential]) -> String {
    let title_of = |id: &str| {
        held.iter()
            .find(|h| h.id == id)
            .map_or(id.to_string(), |h| format!("{:?} ({id})", h.title))
    };
    let mut out = String::new();
    let met = e.requirements.iter().filter(|r| r.met).count();
    out += &format!(
        "Qualification: {} ({})\n",
        e.qualification.title, e.qualification.id
    );
    out += &format!(
        "Evaluated on {}: {} ({met} of {} requirements met)\n",
        e.evaluated_on,
        if e.complete {
            "all requirements met"
        } else {
            "not complete"
        },
        e.requirements.len()
    );
    out += &format!(
        "This is a recommendation: {} decides whether to award; stacking gives no automatic right.\n\n",
        e.qualification.awarding_body.name
    );
    fn requirement(r: &RequirementResult, depth: usize, out: &mut String, title_of: &dyn Fn(&str) -> String) {
        let pad = "  ".repeat(depth);
        let by: Vec<String> = r.counted.iter().map(|c| title_of(&c.credential)).collect();
        let state = if r.met { "met" } else { "NOT met" };
        *out += &format!("{pad}Requirement '{}' ({}): {state}\n", r.name, r.rule);
        if !by.is_empty() {
            *out += &format!("{pad}  counted: {}\n", by.join(", "));
        }
        for c in r.counted.iter().filter(|c| c.equivalence.is_some()) {
            *out += &format!(
                "{pad}  {} counts by equivalence: {}\n",
                c.credential,
                c.equivalence.as_deref().unwrap_or("")
            );
        }
        if let Some(t) = &r.credits {
            *out += &format!(
                "{pad}  credits: {} of {} {} required\n",
                t.held, t.required, t.system
            );
        }
        if !r.met && !r.missing.is_empty() {
            let missing: Vec<String> = r
                .missing
                .iter()
                .map(|m| format!("{:?} ({})", m.title, m.id))
                .collect();
            let how_many = if r.credits.is_none() && r.still_needed as usize != r.missing.len() {
                format!(" ({} more needed)", r.still_needed)
            } else {
                String::new()
            };
            let label = if r.credits.is_some() {
                "could come from"
            } else {
                "missing"
            };
            *out += &format!("{pad}  {label}{how_many}: {}\n", missing.join(", "));
        }
        for n in &r.not_counted {
            *out += &format!("{pad}  not counted: {}: {}\n", n.credential, n.reason);
        }
        for nested in &r.requirements {
            requirement(nested, depth + 1, out, title_of);
        }
    }
    for r in &e.requirements {
        requirement(r, 0, &mut out, &title_of);
    }
    out += "\nCredentials offered:\n";
    for c in &e.credentials {
        let status = match &c.status {
            UseStatus::Counted { requirements } => format!("counted for {}", requirements.join("; ")),
            UseStatus::NotUsed { reason } => format!("not used: {reason}"),
            UseStatus::Excluded { reason } => format!("EXCLUDED: {reason}"),
            UseStatus::Duplicate { of } => format!("duplicate of {of}, counted once"),
        };
        out += &format!("  {} {:?}: {status}\n", c.id, c.title);
    }
    if !e.suggestions.is_empty() {
        out += "\nPublished micro-credentials that would close the gap:\n";
        for s in &e.suggestions {
            let how = match &s.matched_by {
                microcred_stacking::MatchedBy::Identifier => "named by the qualification".to_string(),
                microcred_stacking::MatchedBy::Skills { shared } => {
                    format!("shares {} ESCO skill(s)", shared.len())
                }
                microcred_stacking::MatchedBy::LearningOutcomes { similarity } => {
                    format!("learning outcomes alike ({:.0}%)", similarity * 100.0)
                }
            };
            out += &format!(
                "  for {}: {:?} ({}), {how}\n",
                s.component, s.title, s.micro_credential
            );
        }
    }
    out
}

fn parse_time(text: &str, flag: &str) -> anyhow::Result<DateTime<Utc>> {
    microcred_vc::verify::parse_datetime(text)
        .with_context(|| format!("{flag} '{text}' is not a date-time such as 2026-01-31T12:00:00Z"))
}

fn decide(args: DecideArgs) -> anyhow::Result<ExitCode> {
    let evaluation: Evaluation = serde_json::from_value(read_json(&args.evaluation)?).with_context(|| {
        format!(
            "{} is not an evaluation (write one with `microcred stack evaluate --format json`)",
            args.evaluation.display()
        )
    })?;
    let outcome = match args.outcome.as_str() {
        "awarded" => Outcome::Awarded,
        "refused" => Outcome::Refused,
        _ => Outcome::Deferred,
    };
    if outcome == Outcome::Awarded && !evaluation.complete {
        eprintln!(
            "warning: the evaluation is not complete (unmet: {}); `microcred stack award` will refuse this decision",
            evaluation.unmet().join("; ")
        );
    }
    let decided_at = match &args.at {
        Some(text) => parse_time(text, "--at")?,
        None => Utc::now(),
    };
    let decision = Decision {
        qualification: evaluation.qualification.id.clone(),
        learner: args.learner,
        decided_by: args.by,
        decided_at,
        outcome,
        reasons: args.reasons,
        evaluation,
    };
    println!("{}", serde_json::to_string_pretty(&decision)?);
    Ok(ExitCode::SUCCESS)
}

fn award(args: AwardArgs) -> anyhow::Result<ExitCode> {
    let decision: Decision = serde_json::from_value(read_json(&args.decision)?).with_context(|| {
        format!(
            "{} is not a decision (write one with `microcred stack decide`)",
            args.decision.display()
        )
    })?;
    let qualification = load_qualification(&args.qualification)?;
    let key = args.key.as_deref().map(super::keys::open_key).transpose()?;
    let issuer_id = args
        .issuer_id
        .or_else(|| key.as_ref().map(|k| k.public().did_key()))
        .unwrap_or_else(|| qualification.awarding_body.id.clone());
    let issuer_name = args
        .issuer_name
        .unwrap_or_else(|| qualification.awarding_body.name.clone());
    let credential_id = match args.credential_id {
        Some(id) => id,
        None => microcred_vc::render::new_credential_id().context("cannot make a credential id")?,
    };
    let award = Award {
        credential_id,
        issuer: Some(Organisation {
            id: issuer_id,
            name: issuer_name,
        }),
        issued_at: Utc::now(),
    };
    let credential = award_credential(&decision, &qualification, &award)?;
    let output = match &key {
        Some(key) => microcred_vc::sign(&credential, key, &ProofOptions::new(key.public()))?,
        None => credential,
    };
    println!("{}", serde_json::to_string_pretty(&output)?);
    Ok(ExitCode::SUCCESS)
}
