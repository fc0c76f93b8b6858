//! Presentations: the holder's proof (`authentication`, challenge, domain) and each embedded credential.

use serde_json::Value;

use super::checks::Check;
use super::{format, proofs, verify_credential, VerifyContext};
use crate::did::did_of;
use crate::proof::{proofs_of, UnsecuredDocument};

const NAME: &str = "holder-binding";

pub(crate) fn verify_presentation(document: &Value, ctx: &VerifyContext, checks: &mut Vec<Check>) {
    let unsecured = UnsecuredDocument::from_secured(document);
    let (model, mut problems) = format::presentation_problems(document);
    problems.extend(format::json_ld_problem(document, &unsecured));
    format::finish(model, problems, "presentation", checks);
    if !document.is_object() {
        return;
    }
    let holder = document
        .get("holder")
        .and_then(|h| h.as_str().or_else(|| h.get("id").and_then(Value::as_str)));
    let signers = proofs::check_proofs(document, &unsecured, ctx, "authentication", None, checks);
    checks.push(binding(document, holder, &signers, ctx));

    let credentials: Vec<&Value> = match document.get("verifiableCredential") {
        Some(Value::Array(items)) => items.iter().collect(),
        Some(single) => vec![single],
        None => vec![],
    };
    for (i, credential) in credentials.iter().enumerate() {
        let mut inner = Vec::new();
        verify_credential(credential, ctx, &mut inner, true);
        checks.extend(inner.into_iter().map(|mut c| {
            c.message = format!("verifiableCredential[{i}]: {}", c.message);
            c
        }));
    }
}

fn binding(document: &Value, holder: Option<&str>, signers: &[String], ctx: &VerifyContext) -> Check {
    let proofs = proofs_of(document);
    if proofs.is_empty() {
        return Check::failed(NAME, "the presentation is not signed by its holder");
    }
    if let Some(holder) = holder.filter(|h| h.starts_with("did:")) {
        if !signers.iter().any(|s| s == did_of(holder)) {
            return Check::failed(
                NAME,
                format!("no valid proof of the presentation comes from its holder {holder}"),
            );
        }
    }
    let field = |name: &str| proofs.iter().find_map(|p| p.get(name).and_then(Value::as_str));
    let mut notes = Vec::new();
    match (&ctx.challenge, field("challenge")) {
        (Some(expected), Some(got)) if expected == got => notes.push("challenge matches".to_string()),
        (Some(expected), got) => {
            return Check::failed(
                NAME,
                format!("the challenge is {got:?}, expected '{expected}': the presentation may be replayed"),
            )
        }
        (None, _) => {
            return Check::could_not_check(
                NAME,
                "no expected challenge was given, so a replayed presentation would not be noticed",
            )
        }
    }
    match (&ctx.domain, field("domain")) {
        (Some(expected), Some(got)) if expected == got => notes.push("domain matches".into()),
        (Some(expected), got) => {
            return Check::failed(NAME, format!("the domain is {got:?}, expected '{expected}'"))
        }
        (None, _) => {}
    }
    Check::ok(NAME, format!("signed by the holder; {}", notes.join(", ")))
}
