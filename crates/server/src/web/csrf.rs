//! CSRF protection for forms: the session cookie is SameSite=Lax, and every form carries a token that
//! a third-party page cannot know. Logged in, the token is derived from the session secret (nothing to
//! store); before login, it is a random value in its own cookie that the form must repeat.

use axum::http::HeaderMap;

use crate::auth::{new_secret, secret_hash};

const COOKIE: &str = "microcred_csrf";

/// The token for a session: a hash of the secret under a distinct label, so it reveals nothing.
pub fn session_token(session_secret: &str) -> String {
    secret_hash(&format!("csrf:{session_secret}"))
}

/// The token of a visitor who is not logged in, and the cookie to set if they have none yet.
pub fn anonymous_token(headers: &HeaderMap) -> (String, Option<String>) {
    let existing = headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, value)| *name == COOKIE && value.len() >= 16)
        .map(|(_, value)| value.to_string());
    match existing {
        Some(token) => (token, None),
        None => {
            let token = new_secret("csrf_");
            let cookie = format!("{COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax");
            (token, Some(cookie))
        }
    }
}

/// Constant-time comparison, so response timing does not leak how much of a guess was right.
pub fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_differ_per_session_and_compare_exactly() {
        let a = session_token("mcs_a");
        assert_ne!(a, session_token("mcs_b"));
        assert!(same(&a, &session_token("mcs_a")));
        assert!(!same(&a, &a[1..]));
    }

    #[test]
    fn a_visitor_without_the_cookie_gets_one() {
        let (token, cookie) = anonymous_token(&HeaderMap::new());
        let cookie = cookie.expect("a new cookie");
        assert!(cookie.contains(&token) && cookie.contains("SameSite=Lax"));
        let mut headers = HeaderMap::new();
        headers.insert("cookie", format!("{COOKIE}={token}").parse().unwrap());
        assert_eq!(anonymous_token(&headers), (token, None));
    }
}
