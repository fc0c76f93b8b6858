//! `proof`: one check per proof of the document (proof sets and chains).

use serde_json::{Map, Value};

use super::checks::{Check, CheckStatus};
use super::validity::parse_datetime;
use super::{Resolution, VerifyContext};
use crate::did::{did_of, key_from_did_document, resolve_did_key};
use crate::keys::PublicKey;
use crate::proof::{proofs_of, verify_proof_signature, Cryptosuite, ProofError, UnsecuredDocument};

const NAME: &str = "proof";

/// The outcome of finding the key of a verification method.
enum KeyLookup {
    Found(PublicKey),
    Failed(String),
    Unavailable(String),
}

fn find_key(vm: &str, purpose: &str, ctx: &VerifyContext) -> KeyLookup {
    if let Some(key) = ctx.keys.get(vm) {
        return KeyLookup::Found(key.clone());
    }
    if vm.starts_with("did:key:") {
        return match resolve_did_key(vm) {
            Ok(key) => KeyLookup::Found(key),
            Err(e) => KeyLookup::Failed(e.to_string()),
        };
    }
    if vm.starts_with("did:") {
        let did = did_of(vm);
        return match ctx.did_document(did) {
            Resolution::Found(doc) => match key_from_did_document(&doc, vm, purpose) {
                Ok(key) => KeyLookup::Found(key),
                Err(e) => KeyLookup::Failed(e.to_string()),
            },
            Resolution::Unavailable(why) => KeyLookup::Unavailable(why),
        };
    }
    KeyLookup::Unavailable(format!(
        "the key {vm} is not a DID this verifier resolves offline; give it with --key {vm}=z6Mk..."
    ))
}

/// The document a chained proof signs: the document plus the proofs named in `previousProof`.
fn chained_document(
    unsecured: &UnsecuredDocument,
    all: &[&Value],
    previous: &Value,
) -> Result<UnsecuredDocument<'static>, String> {
    let ids: Vec<&str> = match previous {
        Value::String(s) => vec![s.as_str()],
        Value::Array(items) => items.iter().filter_map(Value::as_str).collect(),
        _ => return Err("previousProof must be a proof id or a list of them".into()),
    };
    let mut matching = Vec::with_capacity(ids.len());
    for id in ids {
        let found = all
            .iter()
            .find(|p| p.get("id").and_then(Value::as_str) == Some(id));
        matching.push(
            (*found.ok_or_else(|| format!("previousProof '{id}' is not among the document's proofs"))?)
                .clone(),
        );
    }
    let mut value = unsecured.value().clone();
    value
        .as_object_mut()
        .expect("a document with proofs is an object")
        .insert("proof".into(), Value::Array(matching));
    Ok(UnsecuredDocument::new(value))
}

/// Checks one proof; gives the check and, when the signature is good, the signer's DID.
fn check_one(
    proof: &Value,
    all: &[&Value],
    unsecured: &UnsecuredDocument,
    ctx: &VerifyContext,
    expected_purpose: &str,
) -> (Check, Option<String>) {
    let Some(map) = proof.as_object() else {
        return (Check::failed(NAME, "a proof is not a JSON object"), None);
    };
    let suite = match Cryptosuite::of_proof(proof) {
        Ok(s) => s,
        Err(e) => return (Check::failed(NAME, e.to_string()), None),
    };
    let vm = map
        .get("verificationMethod")
        .and_then(Value::as_str)
        .unwrap_or("");
    if vm.is_empty() {
        return (Check::failed(NAME, "the proof has no verificationMethod"), None);
    }
    let purpose = map.get("proofPurpose").and_then(Value::as_str).unwrap_or("");
    if purpose != expected_purpose {
        return (
            Check::failed(
                NAME,
                format!("the proof's purpose is '{purpose}', but this document needs '{expected_purpose}'"),
            ),
            None,
        );
    }
    if let Some(problem) = date_problem(map, ctx) {
        return (Check::failed(NAME, problem), None);
    }
    let key = match find_key(vm, purpose, ctx) {
        KeyLookup::Found(key) => key,
        KeyLookup::Failed(why) => {
            return (
                Check::failed(NAME, format!("{} proof by {vm}: {why}", suite.name())),
                None,
            )
        }
        KeyLookup::Unavailable(why) => {
            return (
                Check::could_not_check(NAME, format!("{} proof by {vm} not checked: {why}", suite.name())),
                None,
            )
        }
    };
    let chained;
    let signed_document = match map.get("previousProof") {
        None => unsecured,
        Some(previous) => match chained_document(unsecured, all, previous) {
            Ok(doc) => {
                chained = doc;
                &chained
            }
            Err(why) => return (Check::failed(NAME, why), None),
        },
    };
    match verify_proof_signature(signed_document, map, &key) {
        Ok(()) => (
            Check::ok(NAME, format!("{} proof by {vm} is valid", suite.name())),
            Some(did_of(vm).to_string()),
        ),
        Err(ProofError::Canonicalization(e)) => (
            Check::failed(
                NAME,
                format!(
                    "{} proof by {vm} cannot be checked: the document is not valid JSON-LD ({e})",
                    suite.name()
                ),
            ),
            None,
        ),
        Err(e) => (
            Check::failed(NAME, format!("{} proof by {vm}: {e}", suite.name())),
            None,
        ),
    }
}

/// `created` must not be in the future, `expires` not in the past (small clock skew allowed).
fn date_problem(proof: &Map<String, Value>, ctx: &VerifyContext) -> Option<String> {
    let skew = chrono::Duration::minutes(5);
    if let Some(created) = proof.get("created") {
        match created.as_str().and_then(parse_datetime) {
            None => return Some("the proof's 'created' is not a date-time".into()),
            Some(c) if c > ctx.now + skew => {
                return Some(format!("the proof claims to be created in the future ({c})"))
            }
            _ => {}
        }
    }
    if let Some(expires) = proof.get("expires") {
        match expires.as_str().and_then(parse_datetime) {
            None => return Some("the proof's 'expires' is not a date-time".into()),
            Some(e) if e < ctx.now => return Some(format!("the proof expired on {e}")),
            _ => {}
        }
    }
    None
}

/// Adds one `proof` check per proof. When `signer_must_be` is a DID, at least one valid proof must come
/// from it: a valid proof by someone else does not make the document theirs.
pub(crate) fn check_proofs(
    document: &Value,
    unsecured: &UnsecuredDocument,
    ctx: &VerifyContext,
    expected_purpose: &str,
    signer_must_be: Option<&str>,
    checks: &mut Vec<Check>,
) -> Vec<String> {
    let all = proofs_of(document);
    if all.is_empty() {
        checks.push(Check::failed(NAME, "the document has no proof: it is not signed"));
        return vec![];
    }
    let results: Vec<(Check, Option<String>)> = all
        .iter()
        .map(|p| check_one(p, &all, unsecured, ctx, expected_purpose))
        .collect();
    let signers: Vec<String> = results.iter().filter_map(|(_, s)| s.clone()).collect();
    let required = signer_must_be.filter(|id| id.starts_with("did:"));
    let by_required = required.is_some_and(|id| signers.iter().any(|s| s == id));
    for (mut check, signer) in results {
        if let (Some(required), Some(signer)) = (required, signer) {
            if !by_required && check.status == CheckStatus::Ok {
                check = Check::failed(
                    NAME,
                    format!(
                        "{}, but the signer {signer} is not the issuer {required}: anyone could have made it",
                        check.message
                    ),
                );
            }
        }
        checks.push(check);
    }
    signers
}
