//! Checking a JAdES seal offline: header, certificate, thumbprint and signature.

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use serde_json::{Map, Value};

use super::certificate::{signed_by, CertificateInfo, CertifiedKey};
use super::{SealReport, TRUST_NOT_CHECKED};

/// Critical header parameters this verifier processes. `adoTst` (archive timestamp tokens) is accepted
/// and reported as not checked: its timestamps need the TSA's certificates, which are a trust question.
const UNDERSTOOD_CRITICAL: [&str; 3] = ["b64", "sigT", "adoTst"];

/// Checks the seal of a JAdES-sealed credential (JWS JSON, general or flattened serialisation).
/// Never panics on bad input: everything wrong is said in `message` with `intact: false`.
pub fn verify(sealed: &Value) -> SealReport {
    let mut report = SealReport {
        trust: TRUST_NOT_CHECKED.into(),
        ..SealReport::default()
    };
    match check(sealed, &mut report) {
        Ok(notes) => {
            report.intact = true;
            report.message = intact_message(&report, &notes);
        }
        Err(reason) => {
            report.intact = false;
            report.message = format!("The seal is broken or unreadable: {reason}");
        }
    }
    report
}

fn check(sealed: &Value, report: &mut SealReport) -> Result<Vec<String>, String> {
    let jws = sealed
        .as_object()
        .ok_or("a JAdES seal is a JSON object with `payload` and `signatures`")?;
    let payload = jws
        .get("payload")
        .and_then(Value::as_str)
        .ok_or("there is no `payload` string (seals with a detached payload are not supported)")?;
    let mut notes = Vec::new();
    let signature = match jws.get("signatures") {
        Some(Value::Array(list)) => {
            if list.len() > 1 {
                notes.push(format!("only the first of {} signatures was checked", list.len()));
            }
            list.first()
                .and_then(Value::as_object)
                .ok_or("`signatures` holds no signature object")?
        }
        Some(_) => return Err("`signatures` is not a list".into()),
        None => jws, // flattened serialisation: protected/signature at the top level
    };
    let protected = signature
        .get("protected")
        .and_then(Value::as_str)
        .ok_or("the signature has no `protected` header")?;
    let header: Map<String, Value> = serde_json::from_slice(&decode_url(protected, "protected header")?)
        .map_err(|e| format!("the protected header is not JSON: {e}"))?;
    let alg = header
        .get("alg")
        .and_then(Value::as_str)
        .ok_or("the protected header has no `alg`")?;
    report.algorithm = Some(alg.to_string());
    report.signed_at = header.get("sigT").and_then(Value::as_str).map(str::to_string);
    let encoded_payload = match header.get("b64") {
        None => true,
        Some(Value::Bool(b64)) => *b64,
        Some(_) => return Err("`b64` in the protected header is not true or false".into()),
    };
    check_critical(&header, encoded_payload, &mut notes)?;

    let chain = certificate_chain(&header)?;
    report.chain_length = chain.len();
    let leaf = CertificateInfo::from_der(&chain[0]).map_err(|e| format!("x5c[0]: {e}"))?;
    fill_certificate(report, &leaf);
    check_chain(&chain, &leaf, report);
    if let Some(thumbprint) = header.get("x5t#S256").and_then(Value::as_str) {
        if decode_url(thumbprint, "x5t#S256")? != leaf.sha256 {
            return Err("the `x5t#S256` thumbprint does not match the certificate in `x5c`".into());
        }
    }

    report.credential = if encoded_payload {
        decode_url(payload, "payload")
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
    } else {
        serde_json::from_str(payload).ok()
    };

    let signature_bytes = decode_url(
        signature
            .get("signature")
            .and_then(Value::as_str)
            .ok_or("the signature has no `signature` value")?,
        "signature",
    )?;
    // RFC 7515/7797: the payload enters the signing input exactly as it stands in the JWS.
    let signing_input = format!("{protected}.{payload}");
    verify_signature(alg, &leaf.key, signing_input.as_bytes(), &signature_bytes)?;
    if header.contains_key("adoTst") {
        notes.push("its timestamp token (adoTst) was not checked".into());
    }
    Ok(notes)
}

fn check_critical(
    header: &Map<String, Value>,
    encoded_payload: bool,
    notes: &mut Vec<String>,
) -> Result<(), String> {
    let critical: Vec<&str> = match header.get("crit") {
        None => Vec::new(),
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
        Some(_) => return Err("`crit` in the protected header is not a list".into()),
    };
    if let Some(unknown) = critical.iter().find(|name| !UNDERSTOOD_CRITICAL.contains(name)) {
        return Err(format!(
            "the seal requires the header parameter `{unknown}`, which this verifier does not process"
        ));
    }
    if !encoded_payload && !critical.contains(&"b64") {
        // RFC 7797 section 6: b64=false must be marked critical.
        return Err("`b64` is false but not listed in `crit`".into());
    }
    if header.get("sigT").is_none() {
        notes.push("the seal carries no signing time (sigT)".into());
    }
    Ok(())
}

fn certificate_chain(header: &Map<String, Value>) -> Result<Vec<Vec<u8>>, String> {
    let x5c = header
        .get("x5c")
        .and_then(Value::as_array)
        .filter(|list| !list.is_empty())
        .ok_or("the protected header has no `x5c` certificate chain")?;
    x5c.iter()
        .enumerate()
        .map(|(i, cert)| {
            // x5c is standard base64 (RFC 7515 section 4.1.6), not base64url.
            let text = cert.as_str().ok_or(format!("x5c[{i}] is not a string"))?;
            STANDARD
                .decode(text)
                .map_err(|e| format!("x5c[{i}] is not base64: {e}"))
        })
        .collect()
}

fn verify_signature(alg: &str, key: &CertifiedKey, message: &[u8], signature: &[u8]) -> Result<(), String> {
    use rsa::signature::Verifier;
    let bad = || {
        "the signature does not match the payload: the credential was changed after sealing, or sealed with another key".to_string()
    };
    match (alg, key) {
        ("RS256", CertifiedKey::Rsa(key)) => {
            let signature = rsa::pkcs1v15::Signature::try_from(signature).map_err(|_| bad())?;
            rsa::pkcs1v15::VerifyingKey::<sha2::Sha256>::new(key.clone())
                .verify(message, &signature)
                .map_err(|_| bad())
        }
        ("ES256", CertifiedKey::P256(key)) => {
            let signature = p256::ecdsa::Signature::from_slice(signature).map_err(|_| bad())?;
            key.verify(message, &signature).map_err(|_| bad())
        }
        ("RS256" | "ES256", _) => Err(format!(
            "`alg` is {alg} but the certificate holds another kind of key"
        )),
        (other, _) => Err(format!(
            "the algorithm {other} is not supported; seals here use RS256 or ES256"
        )),
    }
}

/// Each certificate against the next; a last certificate that names itself as issuer against itself.
fn check_chain(chain: &[Vec<u8>], leaf: &CertificateInfo, report: &mut SealReport) {
    let mut infos = vec![leaf.clone()];
    for (i, der) in chain.iter().enumerate().skip(1) {
        match CertificateInfo::from_der(der) {
            Ok(info) => infos.push(info),
            Err(e) => {
                report.chain = Some(format!("x5c[{i}] could not be read: {e}"));
                return;
            }
        }
    }
    let last = infos.len() - 1;
    let self_signed = infos[last].subject == infos[last].issuer;
    let mut pairs: Vec<(usize, usize)> = (0..last).map(|i| (i, i + 1)).collect();
    if self_signed {
        pairs.push((last, last));
    }
    if pairs.is_empty() {
        return;
    }
    for (child, parent) in pairs {
        match signed_by(&chain[child], &infos[parent].key) {
            Ok(true) => {}
            Ok(false) => {
                report.chain_intact = Some(false);
                report.chain = Some(format!(
                    "x5c[{child}] is not signed by x5c[{parent}]: the chain is broken"
                ));
                return;
            }
            Err(reason) => {
                report.chain = Some(format!(
                    "x5c[{child}] could not be checked against x5c[{parent}]: {reason}"
                ));
                return;
            }
        }
    }
    report.chain_intact = Some(true);
    report.chain = Some(match (infos.len(), self_signed) {
        (1, _) => "the certificate is self-signed, and its signature over itself holds".to_string(),
        (n, true) => {
            format!("each of the {n} certificates is signed by the next, ending in a self-signed one")
        }
        (n, false) => format!("each of the {n} certificates is signed by the next"),
    });
}

fn fill_certificate(report: &mut SealReport, leaf: &CertificateInfo) {
    report.subject = Some(leaf.subject.clone());
    report.subject_common_name = leaf.subject_common_name.clone();
    report.subject_organization = leaf.subject_organization.clone();
    report.subject_country = leaf.subject_country.clone();
    report.issuer = Some(leaf.issuer.clone());
    report.not_before = Some(leaf.not_before.clone());
    report.not_after = Some(leaf.not_after.clone());
    report.certificate_valid_at_signing = report.signed_at.as_deref().and_then(|at| leaf.valid_at(at));
}

fn intact_message(report: &SealReport, notes: &[String]) -> String {
    let mut message = format!(
        "The seal is intact: signed with {} by the certificate of {} (issued by {}, valid {} to {})",
        report.algorithm.as_deref().unwrap_or("?"),
        report.subject.as_deref().unwrap_or("?"),
        report.issuer.as_deref().unwrap_or("?"),
        report.not_before.as_deref().unwrap_or("?"),
        report.not_after.as_deref().unwrap_or("?"),
    );
    match (report.certificate_valid_at_signing, report.signed_at.as_deref()) {
        (Some(true), Some(at)) => {
            message.push_str(&format!("; the certificate was valid at the signing time {at}"))
        }
        (Some(false), Some(at)) => message.push_str(&format!(
            "; but the certificate was NOT valid at the signing time {at}"
        )),
        _ => {}
    }
    if let Some(chain) = &report.chain {
        message.push_str("; certificate chain: ");
        message.push_str(chain);
    }
    for note in notes {
        message.push_str("; ");
        message.push_str(note);
    }
    message.push('.');
    message
}

/// base64url with or without padding (producers differ).
fn decode_url(text: &str, what: &str) -> Result<Vec<u8>, String> {
    URL_SAFE_NO_PAD
        .decode(text.trim_end_matches('='))
        .map_err(|e| format!("the {what} is not base64url: {e}"))
}
