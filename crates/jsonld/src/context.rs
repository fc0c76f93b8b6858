//! Active contexts and the JSON-LD 1.1 Context Processing algorithm (only what credentials need).
//!
//! Speed comes from caching: a processed context is keyed by (id of the context it was applied to,
//! address of the pinned context value) — pinned values live in a `static`, so their address is a
//! stable identity. A verifier therefore processes `credentials/v2` + `OB 3.0.3` + every type- and
//! property-scoped context once per thread, and afterwards each lookup is one hash probe.
//! Contexts that come from the document itself (inline objects) are processed every time and never
//! cached (their address means nothing across calls), and their count is bounded by [`Work`].

use crate::error::JsonLdError;
use crate::iri::{is_absolute_iri, Keyword};
use crate::path::Path;
use crate::term_definition::TermDefiner;
use crate::Limits;
use serde_json::{Map, Value};
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use std::sync::atomic::{AtomicU64, Ordering};

pub(crate) type Iri = Rc<str>;

/// `@container` values as bit flags.
pub(crate) mod container {
    pub const LIST: u8 = 1;
    pub const SET: u8 = 2;
    pub const GRAPH: u8 = 4;
    pub const INDEX: u8 = 8;
    pub const ID: u8 = 16;
    pub const TYPE: u8 = 32;
    pub const LANGUAGE: u8 = 64;
}

/// A scoped (`@context` inside a term definition) context, kept unprocessed until used.
#[derive(Clone, Debug)]
pub(crate) enum LocalContext {
    /// Part of a pinned built-in context: cacheable by address.
    Pinned(&'static Value),
    /// Copied from an inline context in a document.
    Owned(Rc<Value>),
}

impl LocalContext {
    pub fn value(&self) -> &Value {
        match self {
            LocalContext::Pinned(v) => v,
            LocalContext::Owned(v) => v,
        }
    }
    pub fn as_local(&self) -> Local<'_> {
        match self {
            LocalContext::Pinned(v) => Local::Pinned(v),
            LocalContext::Owned(v) => Local::Borrowed(v),
        }
    }
}

/// A local context about to be processed.
#[derive(Clone, Copy)]
pub(crate) enum Local<'a> {
    Pinned(&'static Value),
    Borrowed(&'a Value),
}

#[derive(Clone, Debug, Default)]
pub(crate) struct TermDef {
    /// `None`: the term is explicitly mapped to null (it must not be used).
    pub iri: Option<Iri>,
    /// Set when `iri` is a keyword (an alias such as `"id": "@id"`).
    pub keyword: Option<Keyword>,
    pub prefix: bool,
    pub protected: bool,
    pub reverse: bool,
    /// `@id`, `@vocab`, `@json`, `@none` or a datatype IRI.
    pub type_mapping: Option<Iri>,
    pub container: u8,
    /// `Some(None)`: explicitly no language.
    pub language: Option<Option<Iri>>,
    pub has_direction: bool,
    pub nest: Option<Iri>,
    pub local_context: Option<LocalContext>,
}

impl TermDef {
    /// Equality used by the protected-term rule: everything except `protected` itself.
    pub(crate) fn same_as(&self, other: &TermDef) -> bool {
        self.iri == other.iri
            && self.prefix == other.prefix
            && self.reverse == other.reverse
            && self.type_mapping == other.type_mapping
            && self.container == other.container
            && self.language == other.language
            && self.has_direction == other.has_direction
            && self.nest == other.nest
            && match (&self.local_context, &other.local_context) {
                (None, None) => true,
                (Some(a), Some(b)) => a.value() == b.value(),
                _ => false,
            }
    }
}

#[derive(Clone, Debug)]
pub(crate) struct ActiveContext {
    pub id: u64,
    /// True when built only from pinned contexts, so results derived from it may be cached.
    pub cacheable: bool,
    pub terms: HashMap<Rc<str>, Rc<TermDef>>,
    pub vocab: Option<Iri>,
    pub default_language: Option<Iri>,
    /// The context to return to when entering a new node object (type-scoped contexts do not
    /// propagate).
    pub previous: Option<Rc<ActiveContext>>,
}

static NEXT_CONTEXT_ID: AtomicU64 = AtomicU64::new(1);

fn next_id() -> u64 {
    NEXT_CONTEXT_ID.fetch_add(1, Ordering::Relaxed)
}

/// Per-thread cache: contexts hold `Rc`s, and a per-thread cache needs no lock on the hot path.
/// Bounded, and emptied when full, so documents naming many different combinations of built-in
/// contexts cannot grow memory (they only cost re-processing).
const CACHE_CAPACITY: usize = 512;
type CacheKey = (u64, usize, bool, bool);

thread_local! {
    static INITIAL: Rc<ActiveContext> = Rc::new(ActiveContext {
        id: 0,
        cacheable: true,
        terms: HashMap::new(),
        vocab: None,
        default_language: None,
        previous: None,
    });
    static CACHE: RefCell<HashMap<CacheKey, Rc<ActiveContext>>> = RefCell::new(HashMap::new());
}

pub(crate) fn initial_context() -> Rc<ActiveContext> {
    INITIAL.with(Rc::clone)
}

/// Result of IRI-expanding a string against an active context.
#[derive(Debug)]
pub(crate) enum Expansion {
    Keyword(Keyword),
    /// Contains a colon: an absolute IRI, a blank node identifier or an unknown-prefix compact IRI.
    Iri(Iri),
    /// No mapping and no `@vocab`: a relative reference (documents have no base).
    Relative,
    /// Mapped to null, or a keyword-like string that is no keyword.
    Null,
}

impl ActiveContext {
    pub fn term(&self, key: &str) -> Option<&Rc<TermDef>> {
        self.terms.get(key)
    }

    /// IRI Expansion (JSON-LD 1.1 §5.2) for values in a document.
    pub fn expand_iri(&self, value: &str, vocab: bool) -> Expansion {
        if value.starts_with('@') {
            if let Some(k) = Keyword::parse(value) {
                return Expansion::Keyword(k);
            }
            if crate::iri::looks_like_keyword(value) {
                return Expansion::Null;
            }
        }
        if vocab {
            if let Some(def) = self.terms.get(value) {
                return match (&def.iri, def.keyword) {
                    (_, Some(k)) => Expansion::Keyword(k),
                    (Some(iri), None) => Expansion::Iri(iri.clone()),
                    (None, None) => Expansion::Null,
                };
            }
        }
        if let Some(colon) = crate::iri::colon_after_first(value) {
            let (prefix, suffix) = (&value[..colon], &value[colon + 1..]);
            if prefix == "_" || suffix.starts_with("//") {
                return Expansion::Iri(value.into());
            }
            if let Some(def) = self.terms.get(prefix) {
                if let (Some(iri), true) = (&def.iri, def.prefix) {
                    let mut s = String::with_capacity(iri.len() + suffix.len());
                    s.push_str(iri);
                    s.push_str(suffix);
                    return Expansion::Iri(s.into());
                }
            }
            if is_absolute_iri(value) {
                return Expansion::Iri(value.into());
            }
        }
        if vocab {
            if let Some(v) = &self.vocab {
                let mut s = String::with_capacity(v.len() + value.len());
                s.push_str(v);
                s.push_str(value);
                return Expansion::Iri(s.into());
            }
        }
        Expansion::Relative
    }
}

/// Counts context processing that was not served from the cache, so that a document cannot make
/// the processor rebuild large term tables without bound (e.g. an inline `@context` on each of
/// thousands of nodes).
pub(crate) struct Work<'l> {
    pub limits: &'l Limits,
    pub contexts_processed: usize,
    pub values: usize,
    /// Set while checking the scoped contexts of an inline context (not recursively).
    pub validating_scoped: bool,
}

impl Work<'_> {
    fn tick_context(&mut self) -> Result<(), JsonLdError> {
        self.contexts_processed += 1;
        if self.contexts_processed > self.limits.max_context_processing {
            return Err(JsonLdError::TooComplex {
                what: format!(
                    "more than {} uncached @context processings",
                    self.limits.max_context_processing
                ),
            });
        }
        Ok(())
    }
}

pub(crate) fn invalid(path: &Path, message: impl Into<String>) -> JsonLdError {
    JsonLdError::Invalid {
        pointer: path.render(),
        message: message.into(),
    }
}

/// Context Processing (JSON-LD 1.1 §4.1): apply `local` to `active`.
pub(crate) fn process(
    active: &Rc<ActiveContext>,
    local: Local<'_>,
    override_protected: bool,
    propagate: bool,
    path: &Path,
    work: &mut Work,
) -> Result<Rc<ActiveContext>, JsonLdError> {
    process_at_depth(active, local, override_protected, propagate, path, work, 0)
}

const MAX_REMOTE_DEPTH: usize = 16;

fn process_at_depth(
    active: &Rc<ActiveContext>,
    local: Local<'_>,
    override_protected: bool,
    propagate: bool,
    path: &Path,
    work: &mut Work,
    remote_depth: usize,
) -> Result<Rc<ActiveContext>, JsonLdError> {
    let key = match local {
        Local::Pinned(v) if active.cacheable => Some((
            active.id,
            v as *const Value as usize,
            override_protected,
            propagate,
        )),
        _ => None,
    };
    if let Some(key) = key {
        if let Some(hit) = CACHE.with(|c| c.borrow().get(&key).cloned()) {
            return Ok(hit);
        }
    }
    let result = process_uncached(
        active,
        local,
        override_protected,
        propagate,
        path,
        work,
        remote_depth,
    )?;
    if let Some(key) = key {
        CACHE.with(|c| {
            let mut cache = c.borrow_mut();
            if cache.len() >= CACHE_CAPACITY {
                cache.clear();
            }
            cache.insert(key, result.clone());
        });
    }
    Ok(result)
}

fn process_uncached(
    active: &Rc<ActiveContext>,
    local: Local<'_>,
    override_protected: bool,
    propagate_default: bool,
    path: &Path,
    work: &mut Work,
    remote_depth: usize,
) -> Result<Rc<ActiveContext>, JsonLdError> {
    work.tick_context()?;
    let value = match local {
        Local::Pinned(v) => v,
        Local::Borrowed(v) => v,
    };
    let propagate = match value {
        Value::Object(m) => match m.get("@propagate") {
            Some(Value::Bool(b)) => *b,
            Some(_) => return Err(invalid(path, "@propagate must be true or false")),
            None => propagate_default,
        },
        _ => propagate_default,
    };
    let mut current = active.clone();
    if !propagate && current.previous.is_none() {
        let mut with_previous = (*current).clone();
        with_previous.id = next_id();
        with_previous.previous = Some(active.clone());
        current = Rc::new(with_previous);
    }
    let items: Vec<(Local, Path)> = match local {
        Local::Pinned(Value::Array(items)) => items
            .iter()
            .enumerate()
            .map(|(i, v)| (Local::Pinned(v), path.index(i)))
            .collect(),
        Local::Borrowed(Value::Array(items)) => items
            .iter()
            .enumerate()
            .map(|(i, v)| (Local::Borrowed(v), path.index(i)))
            .collect(),
        _ => vec![(local, *path)],
    };
    for (item, item_path) in items {
        let item_value = match item {
            Local::Pinned(v) => v,
            Local::Borrowed(v) => v,
        };
        current = match item_value {
            Value::Null => {
                if !override_protected && current.terms.values().any(|d| d.protected) {
                    return Err(invalid(
                        &item_path,
                        "a null @context may not clear protected terms",
                    ));
                }
                let previous = if propagate { None } else { current.previous.clone() };
                Rc::new(ActiveContext {
                    id: next_id(),
                    cacheable: current.cacheable,
                    terms: HashMap::new(),
                    vocab: None,
                    default_language: None,
                    previous,
                })
            }
            Value::String(url) => {
                let Some(doc) = crate::contexts::get(url) else {
                    return Err(JsonLdError::UnknownContext {
                        url: url.clone(),
                        pointer: item_path.render(),
                        supported: crate::contexts::supported_list(),
                    });
                };
                if remote_depth >= MAX_REMOTE_DEPTH {
                    return Err(invalid(&item_path, "context includes nest too deeply"));
                }
                let Some(inner) = doc.get("@context") else {
                    return Err(invalid(&item_path, "built-in context has no @context"));
                };
                process_at_depth(
                    &current,
                    Local::Pinned(inner),
                    false,
                    true,
                    &item_path,
                    work,
                    remote_depth + 1,
                )?
            }
            Value::Object(map) => match item {
                Local::Pinned(Value::Object(pinned)) => {
                    let store = |v: &'static Value| LocalContext::Pinned(v);
                    process_map(
                        &current,
                        pinned,
                        true,
                        &store,
                        override_protected,
                        &item_path,
                        work,
                    )?
                }
                _ => {
                    let store = |v: &Value| LocalContext::Owned(Rc::new(v.clone()));
                    process_map(&current, map, false, &store, override_protected, &item_path, work)?
                }
            },
            _ => {
                return Err(invalid(
                    &item_path,
                    "a @context entry must be a URL string, an object or null",
                ))
            }
        };
    }
    Ok(current)
}

const CONTEXT_KEYWORDS: &[&str] = &[
    "@base",
    "@direction",
    "@import",
    "@language",
    "@propagate",
    "@protected",
    "@version",
    "@vocab",
];

#[allow(clippy::too_many_arguments)]
fn process_map<'a>(
    active: &Rc<ActiveContext>,
    map: &'a Map<String, Value>,
    pinned: bool,
    store: &dyn Fn(&'a Value) -> LocalContext,
    override_protected: bool,
    path: &Path,
    work: &mut Work,
) -> Result<Rc<ActiveContext>, JsonLdError> {
    let mut result = (**active).clone();
    result.id = next_id();
    result.cacheable = active.cacheable && pinned;
    if let Some(version) = map.get("@version") {
        if version.as_f64() != Some(1.1) {
            return Err(invalid(&path.key("@version"), "@version must be 1.1"));
        }
    }
    if map.contains_key("@import") {
        return Err(invalid(
            &path.key("@import"),
            "@import is not supported (it would load a context): inline the context instead",
        ));
    }
    match map.get("@base") {
        None | Some(Value::Null) => {}
        Some(_) => {
            return Err(invalid(
                &path.key("@base"),
                "@base is not supported: use absolute IRIs",
            ))
        }
    }
    match map.get("@direction") {
        None | Some(Value::Null) => {}
        Some(_) => {
            return Err(invalid(
                &path.key("@direction"),
                "@direction cannot be represented in canonical RDF here: remove it",
            ))
        }
    }
    let mut definer = TermDefiner {
        local: map,
        defined: HashMap::new(),
        protected_default: matches!(map.get("@protected"), Some(Value::Bool(true))),
        override_protected,
        store,
        path,
        nesting: 0,
        scoped_to_validate: (!pinned && !work.validating_scoped).then(Vec::new),
    };
    if let Some(vocab) = map.get("@vocab") {
        let vocab_path = path.key("@vocab");
        result.vocab = match vocab {
            Value::Null => None,
            Value::String(s) => match definer.expand_iri(&mut result, s, true)? {
                Some(iri) if iri.contains(':') => Some(iri.into()),
                _ => {
                    return Err(invalid(
                        &vocab_path,
                        "@vocab must be an absolute IRI or a blank node identifier",
                    ))
                }
            },
            _ => return Err(invalid(&vocab_path, "@vocab must be a string or null")),
        };
    }
    if let Some(language) = map.get("@language") {
        result.default_language = match language {
            Value::Null => None,
            Value::String(s) if crate::iri::is_language_tag(s) => Some(s.to_lowercase().into()),
            _ => {
                return Err(invalid(
                    &path.key("@language"),
                    "@language must be a BCP 47 language tag or null",
                ))
            }
        };
    }
    for key in map.keys() {
        if CONTEXT_KEYWORDS.contains(&key.as_str()) {
            continue;
        }
        work.values += 1;
        definer.define(&mut result, key)?;
    }
    let to_validate = definer.scoped_to_validate.take().unwrap_or_default();
    let result = Rc::new(result);
    if !to_validate.is_empty() {
        // Like jsonld.js, refuse an inline context whose scoped contexts are invalid even when the
        // document never uses the term (one level deep: nested scoped contexts are checked when
        // their own context is applied).
        work.validating_scoped = true;
        let outcome = to_validate.into_iter().try_for_each(|(term, scoped)| {
            let scoped_path = path.key(term);
            let scoped_path = scoped_path.key("@context");
            process(&result, Local::Borrowed(scoped), true, true, &scoped_path, work).map(|_| ())
        });
        work.validating_scoped = false;
        outcome?;
    }
    Ok(result)
}
