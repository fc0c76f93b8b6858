//! `microcred keys`: create an issuer key, show its public part, make a did:web document.
//!
//! Key files are encrypted by default (see `microcred_vc::keyfile` for the format); the passphrase comes
//! from `MICROCRED_KEY_PASSPHRASE` or a prompt. The secret key is never printed: `--plaintext` writes a
//! Multikey JSON file, and only to the file named with `--out`.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context};
use microcred_vc::keyfile::{self, KdfParams, Zeroizing};
use microcred_vc::{did, SigningKeyPair};

pub const PASSPHRASE_ENV: &str = "MICROCRED_KEY_PASSPHRASE";

#[derive(clap::Subcommand)]
pub enum Command {
    /// Create a new Ed25519 issuer key (encrypted with a passphrase unless --plaintext).
    New {
        /// Where to write the key file; without it the encrypted key file goes to standard output.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Write an unencrypted Multikey JSON file (needs --out; keep that file private).
        #[arg(long, requires = "out")]
        plaintext: bool,
    },
    /// Print the did:key and public Multikey of a key file (no passphrase needed).
    Public { keyfile: PathBuf },
    /// Print a did:web DID document (did.json) for an issuer domain and this key.
    DidWeb {
        /// The issuer's domain, e.g. `credentials.example.edu` (publish at https://DOMAIN/.well-known/did.json).
        #[arg(long)]
        domain: String,
        keyfile: PathBuf,
    },
}

/// The passphrase from the environment, else asked on the terminal (twice when creating a key).
pub fn passphrase(confirm: bool) -> anyhow::Result<Zeroizing<String>> {
    if let Ok(p) = std::env::var(PASSPHRASE_ENV) {
        return Ok(Zeroizing::new(p));
    }
    let first = Zeroizing::new(
        rpassword::prompt_password("Key passphrase: ")
            .with_context(|| format!("cannot read a passphrase from the terminal; set {PASSPHRASE_ENV}"))?,
    );
    if confirm {
        let again = Zeroizing::new(rpassword::prompt_password("Repeat the passphrase: ")?);
        if *again != *first {
            bail!("the two passphrases differ");
        }
        if first.chars().count() < 8 {
            bail!("the passphrase is too short: use at least 8 characters");
        }
    }
    Ok(first)
}

/// Reads a key file, asking for the passphrase only if it is encrypted.
pub fn open_key(path: &Path) -> anyhow::Result<SigningKeyPair> {
    let text = Zeroizing::new(
        std::fs::read_to_string(path)
            .with_context(|| format!("cannot read the key file {}", path.display()))?,
    );
    let mut asked = None;
    let pair = keyfile::open(&text, || match passphrase(false) {
        Ok(p) => Some(p),
        Err(e) => {
            asked = Some(e);
            None
        }
    });
    match (pair, asked) {
        (Ok(pair), _) => Ok(pair),
        (Err(_), Some(e)) => Err(e),
        (Err(e), None) => Err(e).with_context(|| format!("cannot open the key file {}", path.display())),
    }
}

fn write_new_file(path: &Path, contents: &str) -> anyhow::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path).with_context(|| {
        format!(
            "cannot create {} (an existing key file is never overwritten)",
            path.display()
        )
    })?;
    file.write_all(contents.as_bytes())?;
    file.write_all(b"\n")?;
    Ok(())
}

pub fn run(command: Command) -> anyhow::Result<ExitCode> {
    match command {
        Command::New { out, plaintext } => {
            let pair = SigningKeyPair::generate()?;
            let text = if plaintext {
                pair.to_multikey_json()
            } else {
                let pass = passphrase(true)?;
                Zeroizing::new(keyfile::encrypt(&pair, &pass, KdfParams::default())?)
            };
            match out {
                Some(path) => {
                    write_new_file(&path, &text)?;
                    eprintln!(
                        "wrote {} key {}",
                        if plaintext { "plaintext" } else { "encrypted" },
                        path.display()
                    );
                }
                None => println!("{}", text.as_str()),
            }
            eprintln!("{}", pair.public().did_key());
        }
        Command::Public { keyfile: path } => {
            let text =
                std::fs::read_to_string(&path).with_context(|| format!("cannot read {}", path.display()))?;
            let public =
                keyfile::public_key(&text).with_context(|| format!("cannot read {}", path.display()))?;
            let vm = public.did_key_verification_method();
            let multikey = microcred_vc::keys::public_multikey_json(&public, &vm, &public.did_key());
            println!("{}", public.did_key());
            println!("{}", serde_json::to_string_pretty(&multikey)?);
        }
        Command::DidWeb {
            domain,
            keyfile: path,
        } => {
            let text =
                std::fs::read_to_string(&path).with_context(|| format!("cannot read {}", path.display()))?;
            let public =
                keyfile::public_key(&text).with_context(|| format!("cannot read {}", path.display()))?;
            let document = did::did_web_document(&domain, &public)?;
            let url = did::did_web_url(document["id"].as_str().unwrap_or_default())?;
            eprintln!("publish this at {url}");
            println!("{}", serde_json::to_string_pretty(&document)?);
        }
    }
    Ok(ExitCode::SUCCESS)
}
