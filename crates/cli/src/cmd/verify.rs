//! `microcred verify`: named checks on a credential or presentation. Offline unless `--online`.
//! Exit status: 0 verified, 1 not verified, 2 unreadable input.

use std::collections::HashMap;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{bail, Context};
use microcred_vc::trust::TrustList;
use microcred_vc::{CheckStatus, PublicKey, Resolution, Resolver, VerificationReport, VerifyContext};
use serde_json::Value;

use super::sign::read_json;

#[derive(Clone, Copy, clap::ValueEnum)]
enum Format {
    Text,
    Json,
}

#[derive(clap::Args)]
pub struct Args {
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
    /// A known key: VERIFICATION_METHOD=z6Mk... (e.g. for https key URLs). Repeatable.
    #[arg(long = "key", value_name = "VM=MULTIBASE")]
    keys: Vec<String>,
    /// A DID document (did.json) to use instead of fetching it. Repeatable.
    #[arg(long = "did-document", value_name = "FILE")]
    did_documents: Vec<PathBuf>,
    /// A status list credential: FILE (known by its id) or URL=FILE. Repeatable.
    #[arg(long = "status-list", value_name = "[URL=]FILE")]
    status_lists: Vec<String>,
    /// A signed trust list of accredited issuers.
    #[arg(long)]
    trust_list: Option<PathBuf>,
    /// Fetch did:web documents and status lists over HTTPS.
    #[arg(long)]
    online: bool,
    /// The challenge a presentation must carry.
    #[arg(long)]
    challenge: Option<String>,
    /// The domain a presentation must carry.
    #[arg(long)]
    domain: Option<String>,
    /// Verify as of this time (RFC 3339) instead of now.
    #[arg(long, hide = true)]
    now: Option<String>,
    /// The credential or presentation ("-" for standard input).
    file: PathBuf,
}

/// Fetches did:web documents and status lists with a small blocking HTTPS client.
struct OnlineResolver {
    agent: ureq::Agent,
}

impl OnlineResolver {
    fn new() -> Self {
        let agent = ureq::AgentBuilder::new()
            .timeout(std::time::Duration::from_secs(15))
            .redirects(3)
            .user_agent(concat!("microcred/", env!("CARGO_PKG_VERSION")))
            .build();
        OnlineResolver { agent }
    }

    fn get_json(&self, url: &str) -> Resolution {
        if !url.starts_with("https://") {
            return Resolution::Unavailable(format!("{url} is not an https URL, so it was not fetched"));
        }
        const MAX_BYTES: u64 = 5 * 1024 * 1024;
        let response = match self
            .agent
            .get(url)
            .set("Accept", "application/json, application/ld+json")
            .call()
        {
            Ok(r) => r,
            Err(ureq::Error::Status(code, _)) => {
                return Resolution::Unavailable(format!("{url} answered HTTP {code}"))
            }
            Err(e) => return Resolution::Unavailable(format!("{url} could not be fetched: {e}")),
        };
        let mut body = String::new();
        if let Err(e) = std::io::Read::read_to_string(
            &mut std::io::Read::take(response.into_reader(), MAX_BYTES),
            &mut body,
        ) {
            return Resolution::Unavailable(format!("{url}: {e}"));
        }
        match serde_json::from_str(&body) {
            Ok(value) => Resolution::Found(value),
            Err(e) => Resolution::Unavailable(format!("{url} did not return JSON: {e}")),
        }
    }
}

impl Resolver for OnlineResolver {
    fn status_list(&self, url: &str) -> Resolution {
        self.get_json(url)
    }
    fn did_document(&self, did: &str) -> Resolution {
        match microcred_vc::did::did_web_url(did) {
            Ok(url) => self.get_json(&url),
            Err(_) => Resolution::Unavailable(format!("{did}: only did:key and did:web can be resolved")),
        }
    }
}

fn build_context<'a>(args: &Args, resolver: Option<&'a dyn Resolver>) -> anyhow::Result<VerifyContext<'a>> {
    let mut ctx = VerifyContext {
        resolver,
        challenge: args.challenge.clone(),
        domain: args.domain.clone(),
        ..VerifyContext::default()
    };
    if let Some(now) = &args.now {
        ctx.now = microcred_vc::verify::parse_datetime(now)
            .with_context(|| format!("--now '{now}' is not a date-time"))?;
    }
    for spec in &args.keys {
        let (vm, multibase) = spec
            .rsplit_once('=')
            .with_context(|| format!("--key '{spec}' must be VM=z6Mk..."))?;
        let key = PublicKey::from_multibase(multibase).with_context(|| format!("--key '{spec}'"))?;
        ctx.keys.insert(vm.to_string(), key);
    }
    for path in &args.did_documents {
        let doc = read_json(path)?;
        let id = doc
            .get("id")
            .and_then(Value::as_str)
            .with_context(|| format!("{} has no \"id\"", path.display()))?;
        ctx.did_documents.insert(id.to_string(), doc);
    }
    let mut lists = HashMap::new();
    for spec in &args.status_lists {
        let (url, path) = match spec.split_once('=') {
            Some((url, path)) if url.contains("://") => (Some(url.to_string()), PathBuf::from(path)),
            _ => (None, PathBuf::from(spec)),
        };
        let list = read_json(&path)?;
        let url = match url {
            Some(url) => url,
            None => list
                .get("id")
                .and_then(Value::as_str)
                .with_context(|| {
                    format!(
                        "{} has no \"id\"; give it as URL={}",
                        path.display(),
                        path.display()
                    )
                })?
                .to_string(),
        };
        lists.insert(url, list);
    }
    ctx.status_lists = lists;
    if let Some(path) = &args.trust_list {
        let list = read_json(path)?;
        let report = microcred_vc::verify::verify_without_trust(&list, &ctx);
        if !report.verified {
            let why: Vec<String> = report
                .checks
                .iter()
                .filter(|c| {
                    c.status != CheckStatus::Ok
                        && (c.check == "format" || c.check == "proof" || c.check == "validity-period")
                })
                .map(|c| c.message.clone())
                .collect();
            bail!(
                "the trust list {} cannot be used: {}",
                path.display(),
                why.join("; ")
            );
        }
        ctx.trust_list = Some(
            TrustList::from_credential(&list).with_context(|| format!("trust list {}", path.display()))?,
        );
    }
    Ok(ctx)
}

fn print_text(report: &VerificationReport) {
    println!(
        "{}",
        if report.verified {
            "verified"
        } else {
            "NOT VERIFIED"
        }
    );
    for check in &report.checks {
        let status = match check.status {
            CheckStatus::Ok => "ok",
            CheckStatus::Failed => "FAILED",
            CheckStatus::CouldNotCheck => "could not check",
        };
        println!("  {:<16} {:<16} {}", check.check, status, check.message);
    }
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let document = read_json(&args.file)?;
    let online = args.online.then(OnlineResolver::new);
    let ctx = build_context(&args, online.as_ref().map(|r| r as &dyn Resolver))?;
    let report = microcred_vc::verify(&document, &ctx);
    match args.format {
        Format::Text => print_text(&report),
        Format::Json => println!("{}", serde_json::to_string_pretty(&report)?),
    }
    Ok(if report.verified {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
