//! Who is calling: a person with a session cookie, or a machine with a scoped Bearer token. Both
//! secrets are random, shown once, and stored only as SHA-256 hashes; passwords are hashed with argon2.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, HeaderMap};
use base64::Engine;
use microcred_store::{Actor, Organisation, User};
use sha2::{Digest, Sha256};

use crate::app::AppState;
use crate::permissions::{role_allows, Permission};
use crate::problem::{ApiResult, Problem};

pub const SESSION_COOKIE: &str = "microcred_session";
pub const SESSION_HOURS: i64 = 12;

pub fn hash_password(password: &str) -> String {
    let mut salt = [0u8; 16];
    random_bytes(&mut salt);
    let salt = SaltString::encode_b64(&salt).expect("16 bytes is a valid salt length");
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .expect("argon2 with default parameters accepts any password")
        .to_string()
}

pub fn verify_password(hash: &str, password: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| {
        Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}

fn random_bytes(buffer: &mut [u8]) {
    getrandom::getrandom(buffer).expect("the operating system provides randomness");
}

/// A new secret with a readable prefix (`mcs_` sessions, `mct_` tokens).
pub fn new_secret(prefix: &str) -> String {
    let mut bytes = [0u8; 32];
    random_bytes(&mut bytes);
    format!(
        "{prefix}{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
    )
}

pub fn secret_hash(secret: &str) -> String {
    Sha256::digest(secret.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The caller of a request that needs one.
#[derive(Debug, Clone)]
pub struct Principal {
    pub user: User,
    /// `None` for a person's session (all their role's rights); the token's scopes otherwise.
    pub scopes: Option<Vec<String>>,
}

impl Principal {
    pub fn actor(&self) -> Actor {
        Actor::user(self.user.id.clone())
    }

    /// 403 unless the role allows it and, for a token, the token has the permission's scope.
    pub fn require(&self, permission: Permission) -> ApiResult<()> {
        if !role_allows(self.user.role, permission) {
            return Err(Problem::forbidden(format!(
                "a user with role {} may not do this ({permission:?}); see docs/permissions.md",
                self.user.role
            )));
        }
        if let Some(scopes) = &self.scopes {
            if !scopes
                .iter()
                .any(|held| crate::permissions::scope_grants(held, permission.scope()))
            {
                return Err(Problem::forbidden(format!(
                    "this API token lacks the scope {:?}; create a token with it",
                    permission.scope()
                )));
            }
        }
        Ok(())
    }

    /// The organisation the user belongs to, if any.
    pub async fn organisation(&self, state: &AppState) -> ApiResult<Option<Organisation>> {
        match &self.user.organisation_id {
            Some(id) => Ok(Some(state.store.organisation(id).await?)),
            None => Ok(None),
        }
    }
}

impl FromRequestParts<AppState> for Principal {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Problem> {
        if let Some(value) = parts.headers.get(header::AUTHORIZATION) {
            let token = value
                .to_str()
                .ok()
                .and_then(|v| v.strip_prefix("Bearer "))
                .ok_or_else(|| {
                    Problem::unauthenticated("the Authorization header must be \"Bearer <token>\"")
                })?;
            return match state.store.token_user(&secret_hash(token.trim())).await? {
                Some((user, scopes)) => Ok(Principal {
                    user,
                    scopes: Some(scopes),
                }),
                None => Err(Problem::unauthenticated(
                    "the API token is unknown, revoked or expired",
                )),
            };
        }
        if let Some(session) = session_cookie(&parts.headers) {
            return match state.store.session_user(&secret_hash(&session)).await? {
                Some(user) => Ok(Principal { user, scopes: None }),
                None => Err(Problem::unauthenticated("the session has expired; log in again")),
            };
        }
        Err(Problem::unauthenticated(
            "log in (POST /api/login) or send an API token as \"Authorization: Bearer <token>\"",
        ))
    }
}

pub fn session_cookie(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == SESSION_COOKIE)
        .map(|(_, value)| value.to_string())
}

/// The Set-Cookie value for a session; `Secure` when the request came over https (directly or via a
/// proxy that says so), so the cookie still works on plain-http localhost.
pub fn session_set_cookie(secret: &str, headers: &HeaderMap, max_age_seconds: i64) -> String {
    let https = headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("https"));
    let secure = if https { "; Secure" } else { "" };
    format!("{SESSION_COOKIE}={secret}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_seconds}{secure}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_verify_only_against_their_hash() {
        let hash = hash_password("correct horse");
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password(&hash, "correct horse"));
        assert!(!verify_password(&hash, "correct horse "));
        assert!(!verify_password("not a hash", "x"));
    }

    #[test]
    fn cookies_are_secure_only_behind_https() {
        let mut headers = HeaderMap::new();
        assert!(!session_set_cookie("s", &headers, 10).contains("Secure"));
        headers.insert("x-forwarded-proto", "https".parse().unwrap());
        let cookie = session_set_cookie("s", &headers, 10);
        assert!(
            cookie.contains("; Secure") && cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax")
        );
    }
}
