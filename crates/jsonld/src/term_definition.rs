//! Create Term Definition (JSON-LD 1.1 §4.2): one entry of a local context becomes a
//! [`TermDef`] of the active context being built.

use crate::context::{container, invalid, ActiveContext, LocalContext, TermDef};
use crate::error::JsonLdError;
use crate::iri::{is_absolute_iri, Keyword};
use crate::path::Path;
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::rc::Rc;

/// Create Term Definition (JSON-LD 1.1 §4.2), with its recursion through prefixes used by other
/// terms of the same local context.
pub(crate) struct TermDefiner<'a, 's> {
    pub(crate) local: &'a Map<String, Value>,
    pub(crate) defined: HashMap<&'a str, bool>,
    pub(crate) protected_default: bool,
    pub(crate) override_protected: bool,
    pub(crate) store: &'s dyn Fn(&'a Value) -> LocalContext,
    pub(crate) path: &'s Path<'s>,
    /// Depth of the prefix-dependency recursion; bounded so a crafted chain of terms cannot
    /// exhaust the stack.
    pub(crate) nesting: usize,
    /// Scoped contexts of an inline (document) context, to be checked once all its terms are
    /// defined; pinned contexts are known to be valid.
    pub(crate) scoped_to_validate: Option<Vec<(&'a str, &'a Value)>>,
}

const MAX_TERM_NESTING: usize = 64;

static EMPTY_MAP: std::sync::LazyLock<Map<String, Value>> = std::sync::LazyLock::new(Map::new);

impl<'a> TermDefiner<'a, '_> {
    fn err(&self, term: &str, message: impl Into<String>) -> JsonLdError {
        invalid(&self.path.key(term), message)
    }

    /// IRI expansion while defining terms: may define other terms of this local context first.
    pub(crate) fn expand_iri(
        &mut self,
        result: &mut ActiveContext,
        value: &str,
        vocab: bool,
    ) -> Result<Option<String>, JsonLdError> {
        if Keyword::parse(value).is_some() {
            return Ok(Some(value.to_owned()));
        }
        if crate::iri::looks_like_keyword(value) {
            return Ok(None);
        }
        if let Some((key, _)) = self.local.get_key_value(value) {
            if self.defined.get(key.as_str()) != Some(&true) {
                self.define(result, key)?;
            }
        }
        if vocab {
            if let Some(def) = result.terms.get(value) {
                return Ok(def.iri.as_deref().map(str::to_owned));
            }
        }
        if let Some(colon) = crate::iri::colon_after_first(value) {
            let (prefix, suffix) = (&value[..colon], &value[colon + 1..]);
            if prefix == "_" || suffix.starts_with("//") {
                return Ok(Some(value.to_owned()));
            }
            if let Some((key, _)) = self.local.get_key_value(prefix) {
                if self.defined.get(key.as_str()) != Some(&true) {
                    self.define(result, key)?;
                }
            }
            if let Some(def) = result.terms.get(prefix) {
                if let (Some(iri), true) = (&def.iri, def.prefix) {
                    return Ok(Some(format!("{iri}{suffix}")));
                }
            }
            if is_absolute_iri(value) {
                return Ok(Some(value.to_owned()));
            }
        }
        if vocab {
            if let Some(v) = &result.vocab {
                return Ok(Some(format!("{v}{value}")));
            }
        }
        Ok(Some(value.to_owned()))
    }

    pub(crate) fn define(&mut self, result: &mut ActiveContext, term: &'a str) -> Result<(), JsonLdError> {
        match self.defined.get(term) {
            Some(true) => return Ok(()),
            Some(false) => return Err(self.err(term, "cyclic IRI mapping in @context")),
            None => {}
        }
        if term.is_empty() {
            return Err(self.err(term, "the empty string is not a valid term"));
        }
        self.nesting += 1;
        if self.nesting > MAX_TERM_NESTING {
            return Err(self.err(term, "term definitions depend on each other too deeply"));
        }
        self.defined.insert(term, false);
        let outcome = self.define_inner(result, term);
        self.nesting -= 1;
        outcome?;
        self.defined.insert(term, true);
        Ok(())
    }

    fn define_inner(&mut self, result: &mut ActiveContext, term: &'a str) -> Result<(), JsonLdError> {
        let value: &'a Value = &self.local[term];
        if term == "@type" {
            // JSON-LD 1.1 only allows `{"@container": "@set", "@protected": ...}` here, which
            // does not change the RDF output.
            let allowed = value.as_object().is_some_and(|m| {
                !m.is_empty()
                    && m.iter().all(|(k, v)| match k.as_str() {
                        "@container" => v == "@set",
                        "@protected" => v.is_boolean(),
                        _ => false,
                    })
            });
            return if allowed {
                Ok(())
            } else {
                Err(self.err(term, "keywords cannot be redefined"))
            };
        }
        if Keyword::parse(term).is_some() {
            return Err(self.err(term, "keywords cannot be redefined"));
        }
        if crate::iri::looks_like_keyword(term) {
            return Ok(()); // ignored by the algorithm
        }
        let previous = result.terms.remove(term);
        let empty: &'static Map<String, Value> = &EMPTY_MAP;
        let (map, simple_term, explicit_null) = match value {
            Value::Null => (empty, false, true),
            Value::String(_) => (empty, true, false),
            Value::Object(m) => (m, false, false),
            _ => return Err(self.err(term, "a term definition must be a string, object or null")),
        };
        let mut def = TermDef {
            protected: match map.get("@protected") {
                Some(Value::Bool(b)) => *b,
                Some(_) => return Err(self.err(term, "@protected must be a boolean")),
                None => self.protected_default,
            },
            ..TermDef::default()
        };
        for key in map.keys() {
            if !matches!(
                key.as_str(),
                "@id"
                    | "@reverse"
                    | "@container"
                    | "@context"
                    | "@direction"
                    | "@index"
                    | "@language"
                    | "@nest"
                    | "@prefix"
                    | "@protected"
                    | "@type"
            ) {
                return Err(self.err(term, format!("unknown key {key:?} in term definition")));
            }
        }
        if let Some(t) = map.get("@type") {
            let Value::String(t) = t else {
                return Err(self.err(term, "@type in a term definition must be a string"));
            };
            let expanded = self.expand_iri(result, t, true)?.unwrap_or_default();
            let ok = matches!(expanded.as_str(), "@id" | "@json" | "@none" | "@vocab")
                || is_absolute_iri(&expanded);
            if !ok {
                return Err(self.err(term, format!("invalid type mapping {t:?}")));
            }
            def.type_mapping = Some(expanded.into());
        }
        let id_value: Option<&Value> = if simple_term {
            Some(value)
        } else if explicit_null {
            Some(&Value::Null)
        } else {
            map.get("@id")
        };
        if let Some(reverse) = map.get("@reverse") {
            if map.contains_key("@id") || map.contains_key("@nest") {
                return Err(self.err(term, "@reverse cannot be combined with @id or @nest"));
            }
            let Value::String(r) = reverse else {
                return Err(self.err(term, "@reverse must be a string"));
            };
            match self.expand_iri(result, r, true)? {
                Some(iri) if iri.contains(':') => def.iri = Some(iri.into()),
                _ => return Err(self.err(term, "@reverse must expand to an absolute IRI")),
            }
            def.reverse = true;
        } else if id_value.is_some() && id_value != Some(&Value::String(term.to_owned())) {
            match id_value {
                Some(Value::Null) => def.iri = None,
                Some(Value::String(id)) => {
                    if Keyword::parse(id).is_none() && crate::iri::looks_like_keyword(id) {
                        return Ok(()); // ignored by the algorithm
                    }
                    let iri = self.expand_iri(result, id, true)?.unwrap_or_default();
                    if Keyword::parse(&iri).is_none() && !iri.contains(':') {
                        return Err(self.err(
                            term,
                            format!("{id:?} does not expand to an absolute IRI or keyword"),
                        ));
                    }
                    if iri == "@context" {
                        return Err(self.err(term, "a term cannot alias @context"));
                    }
                    if !term.contains(':')
                        && !term.contains('/')
                        && simple_term
                        && iri.ends_with([':', '/', '?', '#', '[', ']', '@'])
                    {
                        def.prefix = true;
                    }
                    if crate::iri::colon_after_first(term).is_some() || term.contains('/') {
                        // A term that looks like an IRI must mean that IRI (JSON-LD 1.1 §4.2.2
                        // step 14.2.3), or "ex:a" could silently stand for something else.
                        self.defined.insert(term, true);
                        let as_iri = self.expand_iri(result, term, true)?;
                        self.defined.insert(term, false);
                        if as_iri.as_deref() != Some(iri.as_str()) {
                            return Err(
                                self.err(term, "a term in the form of an IRI must expand to that IRI")
                            );
                        }
                    }
                    def.keyword = Keyword::parse(&iri);
                    def.iri = Some(iri.into());
                }
                _ => return Err(self.err(term, "@id in a term definition must be a string")),
            }
        } else if let Some(colon) = crate::iri::colon_after_first(term) {
            let prefix = &term[..colon];
            let suffix = &term[colon + 1..];
            if let Some((key, _)) = self.local.get_key_value(prefix) {
                self.define(result, key)?;
            }
            def.iri = Some(match result.terms.get(prefix).and_then(|d| d.iri.clone()) {
                Some(iri) => format!("{iri}{suffix}").into(),
                None => term.into(),
            });
        } else if term.contains('/') {
            match self.expand_iri(result, term, true)? {
                Some(iri) if is_absolute_iri(&iri) => def.iri = Some(iri.into()),
                _ => return Err(self.err(term, "term does not expand to an absolute IRI")),
            }
        } else if let Some(vocab) = &result.vocab {
            def.iri = Some(format!("{vocab}{term}").into());
        } else {
            return Err(self.err(
                term,
                "term has no @id and the context has no @vocab to derive one",
            ));
        }
        if let Some(c) = map.get("@container") {
            def.container = parse_container(c).ok_or_else(|| {
                self.err(
                    term,
                    "invalid @container (use @list, @set, @graph, @language, @index, @id or @type)",
                )
            })?;
            if def.reverse && def.container & !(container::SET | container::INDEX) != 0 {
                return Err(self.err(term, "a reverse property container must be @set or @index"));
            }
        }
        if let Some(c) = map.get("@context") {
            def.local_context = Some((self.store)(c));
            if let Some(pending) = &mut self.scoped_to_validate {
                pending.push((term, c));
            }
        }
        if let Some(l) = map.get("@language") {
            if map.contains_key("@type") {
                return Err(self.err(term, "@language cannot be combined with @type"));
            }
            def.language = Some(match l {
                Value::Null => None,
                Value::String(s) if crate::iri::is_language_tag(s) => Some(s.to_lowercase().into()),
                _ => return Err(self.err(term, "@language must be a BCP 47 language tag or null")),
            });
        }
        if map.contains_key("@direction") {
            def.has_direction = true;
        }
        if let Some(n) = map.get("@nest") {
            match n {
                Value::String(s) if s == "@nest" || Keyword::parse(s).is_none() => {
                    def.nest = Some(s.as_str().into())
                }
                _ => return Err(self.err(term, "invalid @nest value")),
            }
        }
        if let Some(p) = map.get("@prefix") {
            match p {
                Value::Bool(b) if !term.contains(':') && !term.contains('/') => def.prefix = *b,
                _ => return Err(self.err(term, "invalid @prefix value")),
            }
        }
        if let Some(previous) = previous {
            if !self.override_protected && previous.protected {
                if !def.same_as(&previous) {
                    return Err(JsonLdError::ProtectedTermRedefinition {
                        term: term.to_owned(),
                        pointer: self.path.key(term).render(),
                    });
                }
                result.terms.insert(term.into(), previous);
                return Ok(());
            }
        }
        result.terms.insert(term.into(), Rc::new(def));
        Ok(())
    }
}

fn parse_container(value: &Value) -> Option<u8> {
    let one = |s: &str| -> Option<u8> {
        Some(match s {
            "@list" => container::LIST,
            "@set" => container::SET,
            "@graph" => container::GRAPH,
            "@index" => container::INDEX,
            "@id" => container::ID,
            "@type" => container::TYPE,
            "@language" => container::LANGUAGE,
            _ => return None,
        })
    };
    match value {
        Value::String(s) => one(s),
        Value::Array(items) => items.iter().try_fold(0u8, |acc, item| {
            item.as_str().and_then(one).map(|flag| acc | flag)
        }),
        Value::Null => Some(0),
        _ => None,
    }
}
