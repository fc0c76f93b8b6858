//! Texts in several languages: a map from a BCP 47 language tag to the text.

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer, Serialize};

/// A multilingual text. Written in TOML either as a table `{ en = "...", fr = "..." }` or, for a
/// single-language text, as a plain string (taken to be English).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct LangMap(pub BTreeMap<String, String>);

impl LangMap {
    pub fn english(text: impl Into<String>) -> Self {
        Self(BTreeMap::from([("en".to_string(), text.into())]))
    }

    pub fn is_empty(&self) -> bool {
        self.0.values().all(|t| t.trim().is_empty())
    }

    /// The text in `language`, else English, else any text there is.
    pub fn best(&self, language: &str) -> Option<&str> {
        self.0
            .get(language)
            .or_else(|| self.0.get("en"))
            .or_else(|| self.0.values().next())
            .map(String::as_str)
    }

    pub fn languages(&self) -> impl Iterator<Item = &str> {
        self.0.keys().map(String::as_str)
    }
}

impl<'de> Deserialize<'de> for LangMap {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Input {
            Text(String),
            Map(BTreeMap<String, String>),
        }
        match Input::deserialize(d) {
            Ok(Input::Text(text)) => Ok(LangMap::english(text)),
            Ok(Input::Map(map)) => {
                for tag in map.keys() {
                    if !is_language_tag(tag) {
                        return Err(serde::de::Error::custom(format!(
                            "{tag:?} is not a language tag; use a code such as \"en\", \"fr\" or \"pt-BR\""
                        )));
                    }
                }
                Ok(LangMap(map))
            }
            Err(_) => Err(serde::de::Error::custom(
                "expected a text, or a table of texts by language such as { en = \"...\", fr = \"...\" }",
            )),
        }
    }
}

/// A light check of BCP 47 shape: a 2-3 letter primary tag, then alphanumeric subtags.
pub fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let primary = parts.next().unwrap_or_default();
    (2..=3).contains(&primary.len())
        && primary.chars().all(|c| c.is_ascii_alphabetic())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}
