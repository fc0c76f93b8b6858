//! OpenID for Verifiable Credential Issuance 1.0, pre-authorized code flow, so an external wallet can
//! take a credential: issuer and authorization-server metadata, `POST /token` (single-use,
//! short-lived code), `POST /nonce`, and `POST /credential` with an EdDSA key-proof JWT
//! (`typ openid4vci-proof+jwt`; `jwk` or did:key `kid`; `aud`, `iat` and the nonce checked). The
//! credential is bound to the wallet's key: its subject id becomes the key's did:key, signed anew.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64URL;
use base64::Engine;
use microcred_store::CredentialRecord;
use microcred_vc::{sign, Cryptosuite, ProofOptions, PublicKey};
use serde::Deserialize;
use serde_json::{json, Value};

use crate::app::{AppState, Routes};
use crate::auth::{new_secret, secret_hash};
use crate::problem::{ApiResult, Problem};

pub fn add(routes: Routes) -> Routes {
    routes
        .add(
            Method::GET,
            "/.well-known/openid-credential-issuer",
            issuer_metadata,
        )
        .add(
            Method::GET,
            "/.well-known/oauth-authorization-server",
            authorization_server_metadata,
        )
        .add(Method::POST, "/token", token)
        .add(Method::POST, "/nonce", nonce)
        .add(Method::POST, "/credential", credential)
}

const PRE_AUTHORIZED: &str = "urn:ietf:params:oauth:grant-type:pre-authorized_code";
const CODE_MINUTES: i64 = 10;
const TOKEN_MINUTES: i64 = 5;
const PROOF_TYP: &str = "openid4vci-proof+jwt";

fn configuration_id(format: &str) -> &'static str {
    if format == "elm" {
        "EuropeanDigitalCredential_ldp_vc"
    } else {
        "OpenBadgeCredential_ldp_vc"
    }
}

fn expires(minutes: i64) -> String {
    microcred_store::timestamp(chrono::Utc::now() + chrono::Duration::minutes(minutes))
}

/// A credential offer with a new pre-authorized code for `credential`, and its `openid-credential-offer://` URI.
pub async fn new_offer(
    state: &AppState,
    credential: &CredentialRecord,
    base_url: &str,
) -> ApiResult<(Value, String)> {
    let code = new_secret("mcp_");
    state
        .store
        .create_grant(
            &secret_hash(&code),
            "pre-authorized-code",
            Some(&credential.id),
            Some(&expires(CODE_MINUTES)),
        )
        .await?;
    let offer = json!({
        "credential_issuer": base_url,
        "credential_configuration_ids": [configuration_id(&credential.format)],
        "grants": { PRE_AUTHORIZED: { "pre-authorized_code": code } },
    });
    let encoded: String = serde_urlencoded::to_string([("credential_offer", offer.to_string())])
        .map_err(|_| Problem::internal())?;
    Ok((offer, format!("openid-credential-offer://?{encoded}")))
}

fn no_store(status: StatusCode, body: Value) -> Response {
    (
        status,
        [(header::CACHE_CONTROL, "no-store"), (header::PRAGMA, "no-cache")],
        Json(body),
    )
        .into_response()
}

/// An OAuth / OpenID4VCI error object (these endpoints answer in that shape, not problem details).
fn oauth_error(status: StatusCode, error: &str, description: impl Into<String>) -> Response {
    no_store(
        status,
        json!({ "error": error, "error_description": description.into() }),
    )
}

async fn issuer_metadata(State(state): State<AppState>, headers: HeaderMap) -> Json<Value> {
    let base = state.issuing.base_url(&headers);
    let configuration = |context: Vec<&str>, kind: &str| {
        json!({
            "format": "ldp_vc",
            "credential_definition": { "@context": context, "type": ["VerifiableCredential", kind] },
            "cryptographic_binding_methods_supported": ["did:key", "jwk"],
            "credential_signing_alg_values_supported": ["eddsa-rdfc-2022", "eddsa-jcs-2022"],
            "proof_types_supported": { "jwt": { "proof_signing_alg_values_supported": ["EdDSA"] } },
        })
    };
    Json(json!({
        "credential_issuer": base,
        "authorization_servers": [base],
        "credential_endpoint": format!("{base}/credential"),
        "nonce_endpoint": format!("{base}/nonce"),
        "credential_configurations_supported": {
            "OpenBadgeCredential_ldp_vc": configuration(
                vec![microcred_vc::render::CREDENTIALS_V2_CONTEXT, microcred_vc::render::OB_CONTEXT], "OpenBadgeCredential"),
            "EuropeanDigitalCredential_ldp_vc": configuration(
                vec![microcred_vc::render::CREDENTIALS_V1_CONTEXT, microcred_vc::render::ELM_CONTEXT], "EuropeanDigitalCredential"),
        },
    }))
}

async fn authorization_server_metadata(State(state): State<AppState>, headers: HeaderMap) -> Json<Value> {
    let base = state.issuing.base_url(&headers);
    Json(json!({
        "issuer": base,
        "token_endpoint": format!("{base}/token"),
        "grant_types_supported": [PRE_AUTHORIZED],
        "pre-authorized_grant_anonymous_access_supported": true,
        "response_types_supported": [],
    }))
}

#[derive(Deserialize)]
struct TokenRequest {
    grant_type: String,
    #[serde(rename = "pre-authorized_code")]
    pre_authorized_code: Option<String>,
}

async fn token(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> ApiResult<Response> {
    if crate::body::content_type(&headers).as_deref() != Some("application/x-www-form-urlencoded") {
        return Ok(oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "send the form as application/x-www-form-urlencoded",
        ));
    }
    let Ok(request) = serde_urlencoded::from_bytes::<TokenRequest>(&body) else {
        return Ok(oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "grant_type and pre-authorized_code are required",
        ));
    };
    if request.grant_type != PRE_AUTHORIZED {
        return Ok(oauth_error(
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            format!("only {PRE_AUTHORIZED}"),
        ));
    }
    let code = request.pre_authorized_code.unwrap_or_default();
    let Some(credential_id) = state
        .store
        .use_grant(&secret_hash(&code), "pre-authorized-code")
        .await?
    else {
        return Ok(oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_grant",
            "the code is unknown, used or expired",
        ));
    };
    let access = new_secret("mca_");
    state
        .store
        .create_grant(
            &secret_hash(&access),
            "access-token",
            Some(&credential_id),
            Some(&expires(TOKEN_MINUTES)),
        )
        .await?;
    Ok(no_store(
        StatusCode::OK,
        json!({ "access_token": access, "token_type": "Bearer", "expires_in": TOKEN_MINUTES * 60 }),
    ))
}

async fn nonce(State(state): State<AppState>) -> ApiResult<Response> {
    let value = new_secret("mcn_");
    state
        .store
        .create_grant(&secret_hash(&value), "nonce", None, Some(&expires(TOKEN_MINUTES)))
        .await?;
    Ok(no_store(StatusCode::OK, json!({ "c_nonce": value })))
}

/// What a verified key proof says: the holder's key and the nonce it answered.
#[derive(Debug)]
struct KeyProof {
    holder: PublicKey,
    nonce: String,
}

fn decode_part(part: &str) -> Result<Value, String> {
    let bytes = B64URL
        .decode(part)
        .map_err(|_| "a JWT part is not base64url".to_string())?;
    serde_json::from_slice(&bytes).map_err(|_| "a JWT part is not JSON".to_string())
}

/// Checks a key-proof JWT for `audience` at `now` (seconds).
fn verify_proof_jwt(jwt: &str, audience: &str, now: i64) -> Result<KeyProof, String> {
    let parts: Vec<&str> = jwt.split('.').collect();
    let [head, payload, signature] = parts[..] else {
        return Err("the proof is not a compact JWT".into());
    };
    let header = decode_part(head)?;
    if header.get("typ").and_then(Value::as_str) != Some(PROOF_TYP) {
        return Err(format!("the JWT typ must be {PROOF_TYP}"));
    }
    if !matches!(
        header.get("alg").and_then(Value::as_str),
        Some("EdDSA" | "Ed25519")
    ) {
        return Err("only EdDSA (Ed25519) key proofs are accepted".into());
    }
    let holder = if let Some(jwk) = header.get("jwk") {
        if jwk.get("kty").and_then(Value::as_str) != Some("OKP")
            || jwk.get("crv").and_then(Value::as_str) != Some("Ed25519")
        {
            return Err("the jwk must be an OKP Ed25519 key".into());
        }
        if jwk.get("d").is_some() {
            return Err("the jwk contains a private key".into());
        }
        let x = jwk.get("x").and_then(Value::as_str).ok_or("the jwk has no x")?;
        let bytes: [u8; 32] = B64URL
            .decode(x)
            .ok()
            .and_then(|b| b.try_into().ok())
            .ok_or("the jwk x is not 32 bytes")?;
        PublicKey::from_bytes(&bytes).map_err(|e| e.to_string())?
    } else if let Some(kid) = header
        .get("kid")
        .and_then(Value::as_str)
        .filter(|k| k.starts_with("did:key:"))
    {
        microcred_vc::did::resolve_did_key(kid).map_err(|e| e.to_string())?
    } else {
        return Err("the JWT header needs a jwk or a did:key kid".into());
    };
    let signature = B64URL
        .decode(signature)
        .map_err(|_| "the signature is not base64url")?;
    if !holder.verify(format!("{head}.{payload}").as_bytes(), &signature) {
        return Err("the key proof's signature does not verify".into());
    }
    let claims = decode_part(payload)?;
    let aud_ok = match claims.get("aud") {
        Some(Value::String(a)) => a == audience,
        Some(Value::Array(items)) => items.iter().any(|a| a == audience),
        _ => false,
    };
    if !aud_ok {
        return Err(format!("aud must be the credential issuer {audience}"));
    }
    let iat = claims
        .get("iat")
        .and_then(Value::as_i64)
        .ok_or("iat is missing")?;
    if iat > now + 60 || iat < now - 300 {
        return Err("iat is not within the last five minutes".into());
    }
    let nonce = claims
        .get("nonce")
        .and_then(Value::as_str)
        .ok_or("nonce is missing")?
        .to_string();
    Ok(KeyProof { holder, nonce })
}

/// The one proof JWT of a request (`proofs.jwt[0]` in 1.0, `proof.jwt` in earlier drafts).
fn proof_of(request: &Value) -> Option<&str> {
    request
        .pointer("/proofs/jwt/0")
        .or_else(|| request.pointer("/proof/jwt"))
        .and_then(Value::as_str)
}

async fn credential(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> ApiResult<Response> {
    let unauthorized = |description: &str| {
        let mut response = oauth_error(StatusCode::UNAUTHORIZED, "invalid_token", description);
        response.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            header::HeaderValue::from_static("Bearer error=\"invalid_token\""),
        );
        response
    };
    let Some(access) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
    else {
        return Ok(unauthorized(
            "send the access token from /token as a Bearer token",
        ));
    };
    let Some(credential_id) = state
        .store
        .grant_credential(&secret_hash(access.trim()), "access-token")
        .await?
    else {
        return Ok(unauthorized("the access token is unknown, used or expired"));
    };
    let Ok(request) = serde_json::from_slice::<Value>(&body) else {
        return Ok(oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_credential_request",
            "the body must be JSON",
        ));
    };
    let record = state.store.credential(&credential_id).await?;
    if let Some(id) = request.get("credential_configuration_id").and_then(Value::as_str) {
        if id != configuration_id(&record.format) {
            return Ok(oauth_error(
                StatusCode::BAD_REQUEST,
                "unknown_credential_configuration",
                format!("this offer is for {}", configuration_id(&record.format)),
            ));
        }
    }
    let Some(jwt) = proof_of(&request) else {
        return Ok(oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_proof",
            "a key proof JWT is required (proofs.jwt)",
        ));
    };
    let base = state.issuing.base_url(&headers);
    let proof = match verify_proof_jwt(jwt, &base, chrono::Utc::now().timestamp()) {
        Ok(proof) => proof,
        Err(why) => return Ok(oauth_error(StatusCode::BAD_REQUEST, "invalid_proof", why)),
    };
    if state
        .store
        .use_grant(&secret_hash(&proof.nonce), "nonce")
        .await?
        .is_none()
    {
        return Ok(oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_nonce",
            "get a fresh c_nonce from the nonce endpoint",
        ));
    }
    // The access token is good for one credential.
    if state
        .store
        .use_grant(&secret_hash(access.trim()), "access-token")
        .await?
        .is_none()
    {
        return Ok(unauthorized("the access token was used meanwhile"));
    }
    let issued = bind_to_holder(&state, &record, &proof.holder, &base).await?;
    Ok(no_store(
        StatusCode::OK,
        json!({ "credentials": [{ "credential": issued }] }),
    ))
}

/// The stored credential with the wallet's did:key as its subject id, signed again by the issuer.
async fn bind_to_holder(
    state: &AppState,
    record: &CredentialRecord,
    holder: &PublicKey,
    base: &str,
) -> ApiResult<Value> {
    let mut document: Value = serde_json::from_str(&record.body).map_err(|_| Problem::internal())?;
    let Some(map) = document.as_object_mut() else {
        return Err(Problem::internal());
    };
    let suite = map
        .get("proof")
        .and_then(|p| Cryptosuite::of_proof(p).ok())
        .unwrap_or(Cryptosuite::EddsaRdfc2022);
    map.remove("proof");
    if let Some(subject) = map.get_mut("credentialSubject").and_then(Value::as_object_mut) {
        subject.insert("id".into(), Value::String(holder.did_key()));
    }
    let key = state
        .issuing
        .keys
        .for_provider(&state.store, &record.provider_id, base)
        .await?;
    tokio::task::spawn_blocking(move || {
        let mut options = ProofOptions::new(key.pair.public());
        options.cryptosuite = suite;
        options.verification_method = key.verification_method.clone();
        sign(&document, &key.pair, &options)
    })
    .await
    .map_err(|_| Problem::internal())?
    .map_err(|e| {
        tracing::error!(error = %e, "holder-bound credential not signed");
        Problem::internal()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use microcred_vc::SigningKeyPair;

    fn jwt(pair: &SigningKeyPair, header: Value, claims: Value) -> String {
        let h = B64URL.encode(header.to_string());
        let p = B64URL.encode(claims.to_string());
        let s = B64URL.encode(pair.sign(format!("{h}.{p}").as_bytes()));
        format!("{h}.{p}.{s}")
    }

    #[test]
    fn key_proofs_are_checked() {
        let pair = SigningKeyPair::generate().unwrap();
        let x = B64URL.encode(pair.public().as_bytes());
        let header =
            json!({ "typ": PROOF_TYP, "alg": "EdDSA", "jwk": { "kty": "OKP", "crv": "Ed25519", "x": x } });
        let good = jwt(
            &pair,
            header.clone(),
            json!({ "aud": "https://i.example", "iat": 1000, "nonce": "n1" }),
        );
        let proof = verify_proof_jwt(&good, "https://i.example", 1010).unwrap();
        assert_eq!(proof.nonce, "n1");
        assert_eq!(proof.holder, *pair.public());
        assert!(verify_proof_jwt(&good, "https://other.example", 1010)
            .unwrap_err()
            .contains("aud"));
        assert!(verify_proof_jwt(&good, "https://i.example", 2000)
            .unwrap_err()
            .contains("iat"));
        let mut wrong_typ = header.clone();
        wrong_typ["typ"] = json!("JWT");
        let bad = jwt(
            &pair,
            wrong_typ,
            json!({ "aud": "https://i.example", "iat": 1000, "nonce": "n1" }),
        );
        assert!(verify_proof_jwt(&bad, "https://i.example", 1010)
            .unwrap_err()
            .contains("typ"));
        let other = SigningKeyPair::generate().unwrap();
        let forged = jwt(
            &other,
            header,
            json!({ "aud": "https://i.example", "iat": 1000, "nonce": "n1" }),
        );
        assert!(verify_proof_jwt(&forged, "https://i.example", 1010)
            .unwrap_err()
            .contains("signature"));
        let did_kid =
            json!({ "typ": PROOF_TYP, "alg": "EdDSA", "kid": pair.public().did_key_verification_method() });
        let by_did = jwt(
            &pair,
            did_kid,
            json!({ "aud": "https://i.example", "iat": 1000, "nonce": "n2" }),
        );
        assert_eq!(
            verify_proof_jwt(&by_did, "https://i.example", 1000)
                .unwrap()
                .nonce,
            "n2"
        );
    }
}
