//! The interface language: English, French and German message catalogues (data files compiled in,
//! `key = text` per line), chosen by `?lang=` (remembered in a cookie), the cookie, or Accept-Language.
//! A key missing from a catalogue falls back to English, so a new message never shows as blank.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use axum::http::{header, HeaderMap};
use serde_json::Value;

/// (code, name in that language), in switcher order.
pub const LANGUAGES: &[(&str, &str)] = &[("en", "English"), ("fr", "Français"), ("de", "Deutsch")];

const COOKIE: &str = "microcred_lang";

const SOURCES: &[(&str, &str)] = &[
    ("en", include_str!("../../i18n/en.txt")),
    ("fr", include_str!("../../i18n/fr.txt")),
    ("de", include_str!("../../i18n/de.txt")),
];

fn parse(source: &str) -> BTreeMap<String, String> {
    source
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect()
}

/// Each language's messages as a JSON object for templates, with English filling the gaps.
fn catalogues() -> &'static BTreeMap<&'static str, Value> {
    static CATALOGUES: OnceLock<BTreeMap<&'static str, Value>> = OnceLock::new();
    CATALOGUES.get_or_init(|| {
        let english = parse(SOURCES[0].1);
        SOURCES
            .iter()
            .map(|(code, source)| {
                let mut messages = english.clone();
                messages.extend(parse(source));
                let object = messages.into_iter().map(|(k, v)| (k, Value::String(v))).collect();
                (*code, Value::Object(object))
            })
            .collect()
    })
}

pub fn catalogue_json(lang: &str) -> Value {
    catalogues().get(lang).cloned().unwrap_or(Value::Null)
}

/// One message, for text built outside templates (the PDF, flash messages).
pub fn message(lang: &str, key: &str) -> String {
    catalogues()
        .get(lang)
        .and_then(|c| c.get(key))
        .and_then(Value::as_str)
        .unwrap_or(key)
        .to_string()
}

fn supported(code: &str) -> Option<&'static str> {
    let primary = code.trim().split(['-', '_']).next()?.to_ascii_lowercase();
    LANGUAGES.iter().map(|(c, _)| *c).find(|c| *c == primary)
}

/// The language for this request, and a cookie to set when `?lang=` chose it.
pub fn negotiate(query: Option<&str>, headers: &HeaderMap) -> (&'static str, Option<String>) {
    let from_query = query
        .unwrap_or("")
        .split('&')
        .find_map(|pair| pair.strip_prefix("lang="))
        .and_then(supported);
    if let Some(lang) = from_query {
        let cookie = format!("{COOKIE}={lang}; Path=/; SameSite=Lax; Max-Age=31536000");
        return (lang, Some(cookie));
    }
    let from_cookie = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE)
        .and_then(|(_, value)| supported(value));
    if let Some(lang) = from_cookie {
        return (lang, None);
    }
    (from_accept_language(headers).unwrap_or("en"), None)
}

/// The supported language with the highest q-value in Accept-Language.
fn from_accept_language(headers: &HeaderMap) -> Option<&'static str> {
    let value = headers.get(header::ACCEPT_LANGUAGE)?.to_str().ok()?;
    let mut best: Option<(f32, &'static str)> = None;
    for item in value.split(',') {
        let mut parts = item.split(';');
        let Some(lang) = parts.next().and_then(supported) else {
            continue;
        };
        let q = parts
            .find_map(|p| p.trim().strip_prefix("q="))
            .and_then(|q| q.parse::<f32>().ok())
            .unwrap_or(1.0);
        if best.is_none_or(|(b, _)| q > b) {
            best = Some((q, lang));
        }
    }
    best.map(|(_, lang)| lang)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(name: &str, value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(
            axum::http::HeaderName::from_bytes(name.as_bytes()).unwrap(),
            value.parse().unwrap(),
        );
        headers
    }

    #[test]
    fn query_beats_cookie_beats_accept_language() {
        let accept = headers("accept-language", "nl, de-AT;q=0.8, fr;q=0.5");
        assert_eq!(negotiate(None, &accept).0, "de");
        let (lang, cookie) = negotiate(Some("q=x&lang=fr"), &accept);
        assert_eq!(lang, "fr");
        assert!(cookie.unwrap().starts_with("microcred_lang=fr"));
        assert_eq!(
            negotiate(None, &headers("cookie", "a=b; microcred_lang=fr")).0,
            "fr"
        );
        assert_eq!(negotiate(Some("lang=xx"), &HeaderMap::new()).0, "en");
    }

    #[test]
    fn every_catalogue_has_every_english_key() {
        let english = parse(SOURCES[0].1);
        for (code, source) in &SOURCES[1..] {
            let messages = parse(source);
            let missing: Vec<_> = english.keys().filter(|k| !messages.contains_key(*k)).collect();
            assert!(missing.is_empty(), "{code} lacks {missing:?}");
        }
        assert_eq!(message("fr", "nav_register"), parse(SOURCES[1].1)["nav_register"]);
    }
}
