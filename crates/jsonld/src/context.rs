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
    fn same_as(&self, other: &TermDef) -> bool {
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
const CACHE_CAPACITY: usize = 4096;
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

fn invalid(path: &Path, message: impl Into<String>) -> JsonLdError {
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
            if cache.len() < CACHE_CAPACITY {
                cache.insert(key, result.clone());
            }
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
    Ok(Rc::new(result))
}

/// Create Term Definition (JSON-LD 1.1 §4.2), with its recursion through prefixes used by other
/// terms of the same local context.
struct TermDefiner<'a, 's> {
    local: &'a Map<String, Value>,
    defined: HashMap<&'a str, bool>,
    protected_default: bool,
    override_protected: bool,
    store: &'s dyn Fn(&'a Value) -> LocalContext,
    path: &'s Path<'s>,
    /// Depth of the prefix-dependency recursion; bounded so a crafted chain of terms cannot
    /// exhaust the stack.
    nesting: usize,
}

const MAX_TERM_NESTING: usize = 64;

static EMPTY_MAP: std::sync::LazyLock<Map<String, Value>> = std::sync::LazyLock::new(Map::new);

impl<'a> TermDefiner<'a, '_> {
    fn err(&self, term: &str, message: impl Into<String>) -> JsonLdError {
        invalid(&self.path.key(term), message)
    }

    /// IRI expansion while defining terms: may define other terms of this local context first.
    fn expand_iri(
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

    fn define(&mut self, result: &mut ActiveContext, term: &'a str) -> Result<(), JsonLdError> {
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
