//! Verification as a list of named checks: `format`, `proof` (one per proof), `validity-period`,
//! `status`, `issuer-trust`, and `holder-binding` for presentations. Each ends `ok`, `failed` or
//! `could-not-check` with a sentence. Nothing here touches the network: what needs it comes from the
//! [`VerifyContext`] (given documents, or a [`Resolver`] the caller plugs in), else `could-not-check`.

mod checks;
mod format;
mod holder;
mod proofs;
mod status;
mod validity;

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::keys::PublicKey;
use crate::trust::TrustList;

pub use checks::{Check, CheckStatus, VerificationReport};
pub use validity::parse_datetime;

/// What a resolver found for a URL or DID.
#[derive(Debug, Clone, PartialEq)]
pub enum Resolution {
    Found(Value),
    /// Could not be had (offline, network error, not found): the check becomes `could-not-check` with
    /// this reason.
    Unavailable(String),
}

/// Fetches what a verification needs from outside: the CLI's `--online` mode fetches over HTTPS, the
/// server reads its own database.
pub trait Resolver {
    fn status_list(&self, url: &str) -> Resolution;
    fn did_document(&self, did: &str) -> Resolution;
}

/// Everything a verification may use besides the document.
pub struct VerifyContext<'a> {
    /// Known public keys by verification method id (e.g. an https key URL, or a did:web key).
    pub keys: HashMap<String, PublicKey>,
    /// DID documents by DID.
    pub did_documents: HashMap<String, Value>,
    /// Status list credentials by URL.
    pub status_lists: HashMap<String, Value>,
    /// Accredited issuers; `None` makes `issuer-trust` `could-not-check`.
    pub trust_list: Option<TrustList>,
    pub now: DateTime<Utc>,
    /// Expected presentation challenge and domain.
    pub challenge: Option<String>,
    pub domain: Option<String>,
    pub resolver: Option<&'a dyn Resolver>,
}

impl Default for VerifyContext<'_> {
    fn default() -> Self {
        VerifyContext {
            keys: HashMap::new(),
            did_documents: HashMap::new(),
            status_lists: HashMap::new(),
            trust_list: None,
            now: Utc::now(),
            challenge: None,
            domain: None,
            resolver: None,
        }
    }
}

impl VerifyContext<'_> {
    pub fn new() -> Self {
        Self::default()
    }

    fn status_list(&self, url: &str) -> Resolution {
        if let Some(list) = self.status_lists.get(url) {
            return Resolution::Found(list.clone());
        }
        match self.resolver {
            Some(resolver) => resolver.status_list(url),
            None => Resolution::Unavailable(format!(
                "the status list {url} is on the network and verification is offline (use --online, or give the list with --status-list)"
            )),
        }
    }

    fn did_document(&self, did: &str) -> Resolution {
        if let Some(doc) = self.did_documents.get(did) {
            return Resolution::Found(doc.clone());
        }
        match self.resolver {
            Some(resolver) => resolver.did_document(did),
            None => Resolution::Unavailable(format!(
                "the DID document of {did} is on the network and verification is offline (use --online, or give it with --did-document)"
            )),
        }
    }
}

/// Whether the document is a credential or a presentation, from its `type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) enum Kind {
    Credential,
    Presentation,
}

pub(crate) fn types_of(document: &Value) -> Vec<&str> {
    match document.get("type") {
        Some(Value::String(s)) => vec![s.as_str()],
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
        _ => vec![],
    }
}

/// Is this document a presentation (its `type` includes VerifiablePresentation)?
pub fn is_presentation(document: &Value) -> bool {
    types_of(document).contains(&"VerifiablePresentation")
}

/// Verifies a credential or presentation. Never panics on hostile input; never uses the network.
pub fn verify(document: &Value, ctx: &VerifyContext) -> VerificationReport {
    if let Some(pointer) = crate::depth::too_deep(document, crate::depth::MAX_DEPTH) {
        let message = format!(
            "the document is nested deeper than {} levels (at {pointer}); no credential needs that, so it was not processed",
            crate::depth::MAX_DEPTH
        );
        return VerificationReport::from_checks(vec![Check::failed("format", message)]);
    }
    let kind = if types_of(document).contains(&"VerifiablePresentation") {
        Kind::Presentation
    } else {
        Kind::Credential
    };
    let mut checks = Vec::new();
    match kind {
        Kind::Credential => verify_credential(document, ctx, &mut checks, true),
        Kind::Presentation => holder::verify_presentation(document, ctx, &mut checks),
    }
    VerificationReport::from_checks(checks)
}

/// The checks of a credential except `issuer-trust`: for documents such as trust lists themselves.
pub fn verify_without_trust(document: &Value, ctx: &VerifyContext) -> VerificationReport {
    if let Some(pointer) = crate::depth::too_deep(document, crate::depth::MAX_DEPTH) {
        let message = format!("the document is nested too deeply (at {pointer})");
        return VerificationReport::from_checks(vec![Check::failed("format", message)]);
    }
    let mut checks = Vec::new();
    verify_credential(document, ctx, &mut checks, true);
    checks.retain(|c| c.check != "issuer-trust");
    VerificationReport::from_checks(checks)
}

/// The checks of one credential. `with_status` is false for status list credentials themselves (a list
/// has no status of its own, and this stops a list pointing at itself from looping).
pub(crate) fn verify_credential(
    document: &Value,
    ctx: &VerifyContext,
    checks: &mut Vec<Check>,
    with_status: bool,
) {
    let unsecured = crate::proof::UnsecuredDocument::from_secured(document);
    format::check_credential(document, &unsecured, checks);
    if !document.is_object() {
        return;
    }
    let issuer = format::issuer_id(document);
    proofs::check_proofs(
        document,
        &unsecured,
        ctx,
        "assertionMethod",
        issuer.as_deref(),
        checks,
    );
    checks.push(validity::check(document, ctx.now));
    if with_status {
        status::check(document, ctx, checks);
    }
    checks.push(crate::verify::checks::issuer_trust(issuer.as_deref(), ctx));
}
