//! `microcred sign`: add a Data Integrity proof to a credential or presentation.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use microcred_vc::{Cryptosuite, ProofOptions};

#[derive(clap::Args)]
pub struct Args {
    /// The key file (encrypted or plaintext Multikey).
    #[arg(long)]
    key: PathBuf,
    #[arg(long, default_value = "eddsa-rdfc-2022", value_parser = ["eddsa-rdfc-2022", "eddsa-jcs-2022"])]
    cryptosuite: String,
    /// Verification method id; default: the key's did:key (did:key:z6Mk...#z6Mk...).
    #[arg(long)]
    verification_method: Option<String>,
    /// Proof creation time (RFC 3339); default: now.
    #[arg(long)]
    created: Option<String>,
    /// assertionMethod for credentials, authentication for presentations.
    #[arg(long)]
    proof_purpose: Option<String>,
    #[arg(long)]
    challenge: Option<String>,
    #[arg(long)]
    domain: Option<String>,
    /// The JSON document to sign ("-" for standard input).
    input: PathBuf,
}

pub fn read_json(path: &PathBuf) -> anyhow::Result<serde_json::Value> {
    let text = if path.as_os_str() == "-" {
        std::io::read_to_string(std::io::stdin()).context("cannot read standard input")?
    } else {
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?
    };
    serde_json::from_str(&text).with_context(|| format!("{} is not JSON", path.display()))
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let document = read_json(&args.input)?;
    let pair = super::keys::open_key(&args.key)?;
    let mut options = ProofOptions::new(pair.public());
    options.cryptosuite = args
        .cryptosuite
        .parse::<Cryptosuite>()
        .map_err(anyhow::Error::msg)?;
    if let Some(vm) = args.verification_method {
        options.verification_method = vm;
    }
    if let Some(created) = args.created {
        microcred_vc::verify::parse_datetime(&created).with_context(|| {
            format!("--created '{created}' is not a date-time such as 2025-01-31T12:00:00Z")
        })?;
        options.created = Some(created);
    }
    let is_presentation = microcred_vc::verify::is_presentation(&document);
    options.proof_purpose = args.proof_purpose.unwrap_or_else(|| {
        if is_presentation {
            "authentication"
        } else {
            "assertionMethod"
        }
        .into()
    });
    options.challenge = args.challenge;
    options.domain = args.domain;
    let signed = microcred_vc::sign(&document, &pair, &options)?;
    println!("{}", serde_json::to_string_pretty(&signed)?);
    Ok(ExitCode::SUCCESS)
}
