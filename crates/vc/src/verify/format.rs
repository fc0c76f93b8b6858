//! `format`: the structural rules of VC 2.0 / 1.1, and JSON-LD safe-mode errors (with their JSON
//! pointer) found while canonicalizing documents that carry an RDFC proof.

use serde_json::Value;

use super::checks::Check;
use super::types_of;
use crate::canon::Canonicalization;
use crate::proof::{proofs_of, Cryptosuite, UnsecuredDocument};

const NAME: &str = "format";
pub(crate) const VC2_CONTEXT: &str = "https://www.w3.org/ns/credentials/v2";
pub(crate) const VC1_CONTEXT: &str = "https://www.w3.org/2018/credentials/v1";

/// The issuer's id: `issuer` as a string, or `issuer.id`.
pub(crate) fn issuer_id(document: &Value) -> Option<String> {
    match document.get("issuer")? {
        Value::String(s) => Some(s.clone()),
        Value::Object(map) => map.get("id").and_then(Value::as_str).map(str::to_string),
        _ => None,
    }
}

/// Which data model the first `@context` names, or a sentence why it is not a VC.
fn data_model(document: &Value) -> Result<u8, String> {
    let first = match document.get("@context") {
        Some(Value::Array(items)) => items.first(),
        Some(single @ Value::String(_)) => Some(single),
        Some(_) => return Err("@context must be a URL or a list starting with one (/@context)".into()),
        None => return Err(format!("@context is missing (/@context); a credential starts with \"@context\": [\"{VC2_CONTEXT}\", ...]")),
    };
    match first.and_then(Value::as_str) {
        Some(VC2_CONTEXT) => Ok(2),
        Some(VC1_CONTEXT) => Ok(1),
        Some(other) => Err(format!("the first @context is '{other}' (/@context/0); it must be {VC2_CONTEXT} (VC 2.0) or {VC1_CONTEXT} (VC 1.1)")),
        None => Err("@context is empty (/@context)".into()),
    }
}

/// Structural problems of a credential, each with its JSON pointer.
pub(crate) fn credential_problems(document: &Value) -> (Option<u8>, Vec<String>) {
    let mut problems = Vec::new();
    if !document.is_object() {
        return (None, vec!["the document is not a JSON object".into()]);
    }
    let model = data_model(document).map_err(|e| problems.push(e)).ok();
    if !types_of(document).contains(&"VerifiableCredential") {
        problems.push("type (/type) must include \"VerifiableCredential\"".into());
    }
    match document.get("issuer") {
        None => problems.push("issuer (/issuer) is missing".into()),
        Some(_) if issuer_id(document).is_none() => {
            problems.push("issuer (/issuer) must be a URL or an object with an \"id\"".into())
        }
        _ => {}
    }
    match document.get("credentialSubject") {
        None => problems.push("credentialSubject (/credentialSubject) is missing".into()),
        Some(Value::Object(_)) => {}
        Some(Value::Array(items)) if !items.is_empty() && items.iter().all(Value::is_object) => {}
        Some(_) => problems
            .push("credentialSubject (/credentialSubject) must be an object or a list of objects".into()),
    }
    if model == Some(1) && document.get("issuanceDate").is_none() {
        problems.push("issuanceDate (/issuanceDate) is required by VC 1.1".into());
    }
    (model, problems)
}

/// Runs RDFC canonicalization when a proof needs it, so JSON-LD errors (unknown context, undefined
/// term) show up here with their pointer. The result is cached for the proof checks.
pub(crate) fn json_ld_problem(document: &Value, unsecured: &UnsecuredDocument) -> Option<String> {
    let needs_rdfc = proofs_of(document)
        .iter()
        .any(|p| Cryptosuite::of_proof(p).is_ok_and(|s| s.canonicalization() == Canonicalization::Rdfc));
    if !needs_rdfc {
        return None;
    }
    unsecured
        .canonical(Canonicalization::Rdfc)
        .err()
        .map(|e| format!("JSON-LD: {e}"))
}

pub(crate) fn check_credential(
    document: &Value,
    unsecured: &UnsecuredDocument,
    checks: &mut Vec<Check>,
) -> bool {
    let (model, mut problems) = credential_problems(document);
    if document.is_object() {
        problems.extend(json_ld_problem(document, unsecured));
    }
    finish(model, problems, "credential", checks)
}

pub(crate) fn finish(model: Option<u8>, problems: Vec<String>, what: &str, checks: &mut Vec<Check>) -> bool {
    if problems.is_empty() {
        let model = if model == Some(2) {
            "VC Data Model 2.0"
        } else {
            "VC Data Model 1.1"
        };
        checks.push(Check::ok(NAME, format!("a well-formed {model} {what}")));
        true
    } else {
        checks.push(Check::failed(NAME, problems.join("; ")));
        false
    }
}

/// Structural problems of a presentation.
pub(crate) fn presentation_problems(document: &Value) -> (Option<u8>, Vec<String>) {
    if !document.is_object() {
        return (None, vec!["the document is not a JSON object".into()]);
    }
    let mut problems = Vec::new();
    let model = data_model(document).map_err(|e| problems.push(e)).ok();
    match document.get("verifiableCredential") {
        None | Some(Value::Object(_)) => {}
        Some(Value::Array(items)) if items.iter().all(Value::is_object) => {}
        Some(_) => {
            problems.push("verifiableCredential (/verifiableCredential) must be credential objects".into())
        }
    }
    (model, problems)
}
