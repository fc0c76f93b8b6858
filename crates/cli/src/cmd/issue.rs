//! `microcred issue`: render a description for one learner as an Open Badges 3.0 credential signed with
//! a Data Integrity proof, or as an ELM credential sealed with JAdES when the issuer has an X.509
//! certificate (else written unsigned, and said so).
//!
//! Rendering and sealing are pure functions of `microcred-vc`; this module only reads files, makes the
//! credential id, time and salt, and writes the result. Key material is never printed.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context};
use microcred_model::{Country, Date, Description};
use microcred_vc::render::{self, IssuerProfile, Learner, NationalId, RenderOptions};
use microcred_vc::{Cryptosuite, ProofOptions};
use serde::Deserialize;
use serde_json::Value;

#[derive(clap::Args)]
pub struct Args {
    /// The micro-credential description (TOML, JSON or ELM JSON-LD).
    #[arg(long)]
    description: PathBuf,
    /// The learner: a full name, or a TOML/JSON file with name, given_name, family_name, email, id,
    /// national_id, national_id_country, date_of_birth.
    #[arg(long)]
    learner: String,
    /// The learner's email (hashed with a random salt in OB 3.0).
    #[arg(long)]
    learner_email: Option<String>,
    /// The learner's DID or another URI.
    #[arg(long)]
    learner_id: Option<String>,
    /// The issuer's signing key file (encrypted with MICROCRED_KEY_PASSPHRASE, or plaintext Multikey
    /// JSON). Needed for --format ob3.
    #[arg(long)]
    key: Option<PathBuf>,
    #[arg(long, default_value = "ob3", value_parser = ["ob3", "elm"])]
    format: String,
    #[arg(long, default_value = "eddsa-rdfc-2022", value_parser = ["eddsa-rdfc-2022", "eddsa-jcs-2022"])]
    cryptosuite: String,
    /// The issuer's DID or URL; default: the key's did:key (OB 3.0) or the first awarding body's id.
    #[arg(long)]
    issuer_id: Option<String>,
    /// The issuer's name; default: the first awarding body's name.
    #[arg(long)]
    issuer_name: Option<String>,
    /// X.509 certificate chain (PEM, leaf first) to seal an ELM credential with JAdES.
    #[arg(long, requires = "certificate_key")]
    certificate: Option<PathBuf>,
    /// The certificate's private key (PEM, RSA or EC P-256, unencrypted).
    #[arg(long, requires = "certificate")]
    certificate_key: Option<PathBuf>,
    /// The grade or result the learner achieved.
    #[arg(long)]
    grade: Option<String>,
    /// Language the texts are taken in first (BCP 47).
    #[arg(long, default_value = "en")]
    language: String,
    /// End of validity (RFC 3339), if the credential expires.
    #[arg(long)]
    valid_until: Option<String>,
    /// OB 3.0: put the microcred extension context in the credential itself rather than its URL, for
    /// verifiers that cannot load https://w3id.org/microcred/v1.
    #[arg(long)]
    inline_extension_context: bool,
    /// Write the credential here instead of standard output.
    #[arg(long)]
    out: Option<PathBuf>,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let description = read_description(&args.description)?;
    warn_missing_elements(&description);
    let learner = learner(&args)?;
    let mut options = RenderOptions::new(
        render::new_credential_id().context("no randomness for the credential id")?,
        chrono::Utc::now(),
        render::new_salt().context("no randomness for the identity salt")?,
    );
    options.language = args.language.clone();
    options.grade = args.grade.clone();
    options.inline_extension_context = args.inline_extension_context;
    if let Some(until) = &args.valid_until {
        let parsed = microcred_vc::verify::parse_datetime(until).with_context(|| {
            format!("--valid-until '{until}' is not a date-time such as 2030-12-31T23:59:59Z")
        })?;
        options.valid_until = Some(parsed);
    }
    let credential = match args.format.as_str() {
        "elm" => issue_elm(&args, &description, &learner, &options)?,
        _ => issue_open_badge(&args, &description, &learner, &options)?,
    };
    let text = serde_json::to_string_pretty(&credential)? + "\n";
    match &args.out {
        Some(path) => {
            std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))?
        }
        None => print!("{text}"),
    }
    Ok(ExitCode::SUCCESS)
}

fn issue_open_badge(
    args: &Args,
    description: &Description,
    learner: &Learner,
    options: &RenderOptions,
) -> anyhow::Result<Value> {
    let Some(key_path) = &args.key else {
        bail!("an Open Badges 3.0 credential is signed: give the issuer's key file with --key (make one with `microcred keys new`)");
    };
    let pair = super::keys::open_key(key_path)?;
    let mut proof = ProofOptions::new(pair.public());
    proof.cryptosuite = args
        .cryptosuite
        .parse::<Cryptosuite>()
        .map_err(anyhow::Error::msg)?;
    let issuer_id = args.issuer_id.clone().unwrap_or_else(|| pair.public().did_key());
    if issuer_id.starts_with("did:web:") {
        // The key as `microcred keys` publishes it in the did:web document.
        proof.verification_method = format!("{issuer_id}#{}", pair.public().to_multibase());
    }
    let issuer = issuer_profile(args, description, issuer_id);
    let unsigned = render::open_badge(description, learner, &issuer, options);
    microcred_vc::sign(&unsigned, &pair, &proof).context("the credential could not be signed")
}

fn issue_elm(
    args: &Args,
    description: &Description,
    learner: &Learner,
    options: &RenderOptions,
) -> anyhow::Result<Value> {
    let default_id = description
        .awarding_bodies
        .first()
        .and_then(|b| b.id.clone())
        .unwrap_or_default();
    let issuer = issuer_profile(args, description, args.issuer_id.clone().unwrap_or(default_id));
    let unsigned = render::elm(description, learner, &issuer, options);
    let (Some(certificate), Some(key)) = (&args.certificate, &args.certificate_key) else {
        eprintln!("ELM credential is unsigned: no X.509 certificate given (--certificate)");
        return Ok(unsigned);
    };
    let chain = std::fs::read_to_string(certificate)
        .with_context(|| format!("cannot read the certificate {}", certificate.display()))?;
    let key_pem = std::fs::read_to_string(key)
        .with_context(|| format!("cannot read the certificate key {}", key.display()))?;
    let sealed = microcred_vc::jades::seal(&unsigned, &chain, &key_pem);
    drop(key_pem);
    sealed.context("the ELM credential could not be sealed")
}

fn issuer_profile(args: &Args, description: &Description, id: String) -> IssuerProfile {
    let first_body = description.awarding_bodies.first();
    let name = args
        .issuer_name
        .clone()
        .or_else(|| first_body.and_then(|b| b.name.best("en")).map(str::to_string))
        .unwrap_or_else(|| "(issuer name not given)".into());
    IssuerProfile {
        id,
        name,
        country: first_body
            .and_then(|b| b.country)
            .or_else(|| description.countries.first().copied()),
        url: None,
        email: None,
    }
}

/// Issuing stays the provider's decision, but a credential lacking an Annex I element should not leave
/// unnoticed: each missing one is named on standard error.
fn warn_missing_elements(description: &Description) {
    let report = microcred_rules::check(description, microcred_rules::Profile::baseline());
    for element in report.elements.iter().filter(|e| !e.present) {
        eprintln!(
            "warning: the description lacks Annex I element {} ({}), so the credential does not carry it; see `microcred check`",
            element.number, element.name
        );
    }
}

fn read_description(path: &Path) -> anyhow::Result<Description> {
    microcred_authoring::read_description(path)
        .map(|located| located.value)
        .map_err(|e| anyhow::anyhow!("{e}"))
        .with_context(|| format!("cannot read the description {}", path.display()))
}

/// What a learner file may hold.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LearnerFile {
    name: String,
    given_name: Option<String>,
    family_name: Option<String>,
    email: Option<String>,
    id: Option<String>,
    national_id: Option<String>,
    national_id_country: Option<String>,
    date_of_birth: Option<String>,
}

fn learner(args: &Args) -> anyhow::Result<Learner> {
    let path = Path::new(&args.learner);
    let is_file = path.is_file() && matches!(extension(path).as_str(), "toml" | "json");
    let mut learner = if is_file {
        learner_file(path)?
    } else {
        Learner {
            name: args.learner.clone(),
            ..Learner::default()
        }
    };
    if learner.name.trim().is_empty() {
        bail!("the learner's name is empty: give --learner \"Full Name\" or a learner file with `name`");
    }
    if let Some(email) = &args.learner_email {
        learner.email = Some(email.clone());
    }
    if let Some(id) = &args.learner_id {
        learner.id = Some(id.clone());
    }
    if let Some(id) = &learner.id {
        if !id.contains(':') || id.contains(char::is_whitespace) {
            bail!("the learner id '{id}' is not a DID or URI (e.g. did:key:z6Mk... or urn:...)");
        }
    }
    Ok(learner)
}

fn extension(path: &Path) -> String {
    path.extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default()
        .to_ascii_lowercase()
}

fn learner_file(path: &Path) -> anyhow::Result<Learner> {
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let file: LearnerFile = if extension(path) == "toml" {
        toml::from_str(&text).with_context(|| format!("{} is not a learner file", path.display()))?
    } else {
        serde_json::from_str(&text).with_context(|| format!("{} is not a learner file", path.display()))?
    };
    let country = file
        .national_id_country
        .as_deref()
        .map(Country::parse)
        .transpose()
        .with_context(|| format!("{}: national_id_country", path.display()))?;
    let date_of_birth = file
        .date_of_birth
        .as_deref()
        .map(Date::parse)
        .transpose()
        .map_err(anyhow::Error::msg)
        .with_context(|| format!("{}: date_of_birth", path.display()))?;
    Ok(Learner {
        name: file.name,
        given_name: file.given_name,
        family_name: file.family_name,
        email: file.email,
        id: file.id,
        national_id: file.national_id.map(|value| NationalId { value, country }),
        date_of_birth,
    })
}
