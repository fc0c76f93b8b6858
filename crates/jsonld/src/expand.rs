//! JSON-LD 1.1 Expansion (§13), in "safe mode": whatever the algorithm would silently drop (an
//! undefined term, a relative IRI, a type that is not an IRI, a free-floating value) is an error
//! naming the term and its JSON pointer instead — a signature over a document must cover every
//! claim a reader sees in it.
//!
//! The output is a small typed tree ([`Expanded`]) that borrows strings from the input, not a JSON
//! value: the RDF step only needs nodes, values and lists.

use crate::context::{container, initial_context, process, ActiveContext, Expansion, Iri, Local, Work};
use crate::error::JsonLdError;
use crate::iri::{is_blank_node_id, is_serializable_iri, Keyword};
use crate::path::Path;
use serde_json::{Map, Number, Value};
use std::rc::Rc;

pub(crate) enum Expanded<'d> {
    Node(Box<Node<'d>>),
    Value(ValueObject<'d>),
    List(Vec<Expanded<'d>>),
}

#[derive(Default)]
pub(crate) struct Node<'d> {
    pub id: Option<Iri>,
    pub types: Vec<Iri>,
    pub properties: Vec<(Iri, Vec<Expanded<'d>>)>,
    pub reverse: Vec<(Iri, Vec<Expanded<'d>>)>,
    pub graph: Option<Vec<Expanded<'d>>>,
    /// `@included` nodes: stated in the same graph, not linked to this node.
    pub included: Vec<Expanded<'d>>,
}

impl Node<'_> {
    fn is_graph_only(&self) -> bool {
        self.id.is_none()
            && self.types.is_empty()
            && self.properties.is_empty()
            && self.reverse.is_empty()
            && self.included.is_empty()
            && self.graph.is_some()
    }
}

pub(crate) enum Literal<'d> {
    String(&'d str),
    Number(&'d Number),
    Bool(bool),
    Json(&'d Value),
}

pub(crate) struct ValueObject<'d> {
    pub literal: Literal<'d>,
    pub datatype: Option<Iri>,
    pub language: Option<Iri>,
}

/// Entries of one JSON object, gathered before we know whether it is a node, value or list object.
#[derive(Default)]
struct Gathered<'d> {
    id: Option<Iri>,
    types: Vec<Iri>,
    type_is_json: bool,
    value: Option<&'d Value>,
    language: Option<Iri>,
    list: Option<Vec<Expanded<'d>>>,
    set: Option<Vec<Expanded<'d>>>,
    graph: Option<Vec<Expanded<'d>>>,
    properties: Vec<(Iri, Vec<Expanded<'d>>)>,
    reverse: Vec<(Iri, Vec<Expanded<'d>>)>,
    included: Vec<Expanded<'d>>,
    has_index: bool,
}

pub(crate) struct Expander<'w, 'l> {
    pub work: &'w mut Work<'l>,
}

fn invalid(path: &Path, message: impl Into<String>) -> JsonLdError {
    JsonLdError::Invalid {
        pointer: path.render(),
        message: message.into(),
    }
}

fn is_free_floating_position(active_property: Option<&str>) -> bool {
    matches!(active_property, None | Some("@graph"))
}

impl<'d> Expander<'_, '_> {
    /// Expands a whole document into its top-level (default graph) items.
    pub fn expand_document(&mut self, document: &'d Value) -> Result<Vec<Expanded<'d>>, JsonLdError> {
        let root = Path::root();
        let mut out = Vec::new();
        self.expand(&initial_context(), None, document, &root, &mut out)?;
        // A top-level object holding only @graph stands for its graph's content.
        if let [Expanded::Node(node)] = out.as_slice() {
            if node.is_graph_only() {
                if let Some(Expanded::Node(node)) = out.pop() {
                    return Ok(node.graph.unwrap_or_default());
                }
            }
        }
        Ok(out)
    }

    fn expand(
        &mut self,
        ctx: &Rc<ActiveContext>,
        active_property: Option<&str>,
        element: &'d Value,
        path: &Path,
        out: &mut Vec<Expanded<'d>>,
    ) -> Result<(), JsonLdError> {
        if path.depth > self.work.limits.max_depth {
            return Err(JsonLdError::TooDeep {
                pointer: path.render(),
                limit: self.work.limits.max_depth,
            });
        }
        self.work.values += 1;
        if self.work.values > self.work.limits.max_values {
            return Err(JsonLdError::TooComplex {
                what: format!("more than {} JSON values", self.work.limits.max_values),
            });
        }
        match element {
            Value::Null => Ok(()),
            Value::Array(items) => {
                let list_container = active_property
                    .and_then(|p| ctx.term(p))
                    .is_some_and(|d| d.container & container::LIST != 0);
                for (i, item) in items.iter().enumerate() {
                    let item_path = path.index(i);
                    // An array (or a @set object, which expands to one) inside a list is a
                    // nested list.
                    if list_container && (item.is_array() || is_set_object(ctx, item)) {
                        let mut inner = Vec::new();
                        self.expand(ctx, active_property, item, &item_path, &mut inner)?;
                        out.push(Expanded::List(inner));
                    } else {
                        self.expand(ctx, active_property, item, &item_path, out)?;
                    }
                }
                Ok(())
            }
            Value::Object(map) => self.expand_object(ctx, active_property, map, path, out),
            _ => {
                let Some(property) = active_property.filter(|p| !is_free_floating_position(Some(p))) else {
                    return Err(invalid(
                        path,
                        "a bare value outside any property would be dropped: put it under a property",
                    ));
                };
                let scoped = ctx.term(property).and_then(|d| d.local_context.clone());
                let ctx = match scoped {
                    Some(local) => process(ctx, local.as_local(), true, true, path, self.work)?,
                    None => ctx.clone(),
                };
                out.push(self.expand_value(&ctx, property, element, path)?);
                Ok(())
            }
        }
    }

    /// Value Expansion (§13.2 "value expansion"): a scalar under a property.
    fn expand_value(
        &mut self,
        ctx: &ActiveContext,
        property: &str,
        value: &'d Value,
        path: &Path,
    ) -> Result<Expanded<'d>, JsonLdError> {
        let def = ctx.term(property);
        let type_mapping = def.and_then(|d| d.type_mapping.as_deref());
        if let Value::String(s) = value {
            match type_mapping {
                Some("@id") => {
                    let id = node_iri(ctx, s, false, path)?;
                    return Ok(node_reference(id));
                }
                Some("@vocab") => {
                    let id = node_iri(ctx, s, true, path)?;
                    return Ok(node_reference(id));
                }
                _ => {}
            }
        }
        let mut object = ValueObject {
            literal: literal_of(value),
            datatype: None,
            language: None,
        };
        match type_mapping {
            Some("@id") | Some("@vocab") | Some("@none") | None => {
                if value.is_string() {
                    if def.is_some_and(|d| d.has_direction) {
                        return Err(direction_error(path));
                    }
                    object.language = match def.and_then(|d| d.language.clone()) {
                        Some(language) => language,
                        None => ctx.default_language.clone(),
                    };
                }
            }
            Some(_) => object.datatype = def.and_then(|d| d.type_mapping.clone()),
        }
        Ok(Expanded::Value(object))
    }

    fn expand_object(
        &mut self,
        outer_ctx: &Rc<ActiveContext>,
        active_property: Option<&str>,
        map: &'d Map<String, Value>,
        path: &Path,
        out: &mut Vec<Expanded<'d>>,
    ) -> Result<(), JsonLdError> {
        let property_scoped = active_property
            .and_then(|p| outer_ctx.term(p))
            .and_then(|d| d.local_context.clone());
        let mut ctx = outer_ctx.clone();
        // Type-scoped contexts apply to the node that has the type, not to nodes nested in it.
        if let Some(previous) = &outer_ctx.previous {
            let is_value_object = map
                .keys()
                .any(|k| matches!(ctx.expand_iri(k, true), Expansion::Keyword(Keyword::Value)));
            let is_reference = map.len() == 1
                && map
                    .keys()
                    .all(|k| matches!(ctx.expand_iri(k, true), Expansion::Keyword(Keyword::Id)));
            if !is_value_object && !is_reference {
                ctx = previous.clone();
            }
        }
        if let Some(local) = property_scoped {
            ctx = process(&ctx, local.as_local(), true, true, path, self.work)?;
        }
        if let Some(local) = map.get("@context") {
            let context_path = path.key("@context");
            ctx = process(
                &ctx,
                Local::Borrowed(local),
                false,
                true,
                &context_path,
                self.work,
            )?;
        }
        let type_scoped = ctx.clone();
        let mut type_keys: Vec<&String> = map
            .keys()
            .filter(|k| matches!(ctx.expand_iri(k, true), Expansion::Keyword(Keyword::Type)))
            .collect();
        if !type_keys.is_empty() {
            type_keys.sort();
            for key in type_keys {
                let mut types: Vec<&str> = match &map[key] {
                    Value::String(s) => vec![s.as_str()],
                    Value::Array(items) => items.iter().filter_map(Value::as_str).collect(),
                    _ => Vec::new(),
                };
                types.sort_unstable();
                for t in types {
                    if let Some(local) = type_scoped.term(t).and_then(|d| d.local_context.clone()) {
                        ctx = process(&ctx, local.as_local(), false, false, &path.key(key), self.work)?;
                    }
                }
            }
        }
        let mut gathered = Gathered::default();
        self.expand_entries(&ctx, &type_scoped, active_property, map, path, &mut gathered)?;
        self.finish(gathered, active_property, path, out)
    }

    fn expand_entries(
        &mut self,
        ctx: &Rc<ActiveContext>,
        type_scoped: &ActiveContext,
        active_property: Option<&str>,
        map: &'d Map<String, Value>,
        path: &Path,
        gathered: &mut Gathered<'d>,
    ) -> Result<(), JsonLdError> {
        for (key, value) in map {
            if key == "@context" {
                continue;
            }
            let key_path = path.key(key);
            match ctx.expand_iri(key, true) {
                Expansion::Keyword(keyword) => self.expand_keyword(
                    ctx,
                    type_scoped,
                    active_property,
                    keyword,
                    value,
                    &key_path,
                    gathered,
                )?,
                Expansion::Iri(iri) if iri.contains(':') => {
                    self.expand_property(ctx, key, iri, value, &key_path, gathered)?
                }
                _ => {
                    return Err(JsonLdError::UndefinedTerm {
                        term: key.clone(),
                        pointer: key_path.render(),
                    })
                }
            }
        }
        Ok(())
    }

    fn expand_property(
        &mut self,
        ctx: &Rc<ActiveContext>,
        key: &'d str,
        iri: Iri,
        value: &'d Value,
        path: &Path,
        gathered: &mut Gathered<'d>,
    ) -> Result<(), JsonLdError> {
        if !is_blank_node_id(&iri) && !is_serializable_iri(&iri) {
            return Err(invalid(
                path,
                format!("property {key:?} expands to {iri:?}, which is not a valid absolute IRI"),
            ));
        }
        if value.is_null() {
            return Ok(()); // an explicit null means "no value", nothing is lost
        }
        let def = ctx.term(key).cloned();
        let containers = def.as_ref().map_or(0, |d| d.container);
        let mut items = Vec::new();
        if def.as_ref().and_then(|d| d.type_mapping.as_deref()) == Some("@json") {
            items.push(Expanded::Value(ValueObject {
                literal: Literal::Json(value),
                datatype: None,
                language: None,
            }));
        } else if containers & container::LANGUAGE != 0 && value.is_object() {
            self.expand_language_map(ctx, value, path, &mut items)?;
        } else if containers & (container::INDEX | container::ID | container::TYPE) != 0 && value.is_object()
        {
            return Err(invalid(
                path,
                "@index, @id and @type container maps are not supported: use an array of objects",
            ));
        } else {
            self.expand(ctx, Some(key), value, path, &mut items)?;
        }
        if containers & container::LIST != 0 {
            let already_list = value.is_object() && matches!(items.as_slice(), [Expanded::List(_)]);
            if !already_list {
                items = vec![Expanded::List(items)];
            }
        }
        if containers & container::GRAPH != 0 && containers & (container::ID | container::INDEX) == 0 {
            // Each value becomes the content of a named graph, where a bare value, a list or a
            // node stating nothing would be dropped (jsonld.js safe mode refuses these too).
            for item in &items {
                if let Some(problem) = dropped_in_graph(item) {
                    return Err(invalid(path, problem));
                }
            }
            items = items
                .into_iter()
                .map(|item| {
                    Expanded::Node(Box::new(Node {
                        graph: Some(vec![item]),
                        ..Node::default()
                    }))
                })
                .collect();
        }
        if def.as_ref().is_some_and(|d| d.reverse) {
            if items.iter().any(|i| !matches!(i, Expanded::Node(_))) {
                return Err(invalid(path, "a reverse property can only hold node objects"));
            }
            gathered.reverse.push((iri, items));
        } else {
            gathered.properties.push((iri, items));
        }
        Ok(())
    }

    fn expand_language_map(
        &mut self,
        ctx: &ActiveContext,
        value: &'d Value,
        path: &Path,
        items: &mut Vec<Expanded<'d>>,
    ) -> Result<(), JsonLdError> {
        let Value::Object(languages) = value else {
            return Ok(());
        };
        for (language, strings) in languages {
            let language_path = path.key(language);
            let tag: Option<Iri> = match ctx.expand_iri(language, true) {
                Expansion::Keyword(Keyword::None) => None,
                _ if crate::iri::is_language_tag(language) => Some(language.to_lowercase().into()),
                _ => {
                    return Err(invalid(
                        &language_path,
                        "language map keys must be BCP 47 language tags such as \"en\"",
                    ))
                }
            };
            let list: Vec<&'d Value> = match strings {
                Value::Array(a) => a.iter().collect(),
                other => vec![other],
            };
            for s in list {
                match s {
                    Value::Null => {}
                    Value::String(text) => items.push(Expanded::Value(ValueObject {
                        literal: Literal::String(text),
                        datatype: None,
                        language: tag.clone(),
                    })),
                    _ => return Err(invalid(&language_path, "language map values must be strings")),
                }
            }
        }
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    fn expand_keyword(
        &mut self,
        ctx: &Rc<ActiveContext>,
        type_scoped: &ActiveContext,
        active_property: Option<&str>,
        keyword: Keyword,
        value: &'d Value,
        path: &Path,
        gathered: &mut Gathered<'d>,
    ) -> Result<(), JsonLdError> {
        match keyword {
            Keyword::Context => {}
            Keyword::Id => {
                let Value::String(s) = value else {
                    return Err(invalid(path, "@id must be a string"));
                };
                if gathered.id.is_some() {
                    return Err(colliding(path));
                }
                gathered.id = Some(node_iri(ctx, s, false, path)?);
            }
            Keyword::Type => {
                let values: Vec<&'d Value> = match value {
                    Value::Array(items) => items.iter().collect(),
                    other => vec![other],
                };
                for (i, t) in values.into_iter().enumerate() {
                    let Value::String(t) = t else {
                        return Err(invalid(&path.index(i), "@type values must be strings"));
                    };
                    match type_scoped.expand_iri(t, true) {
                        Expansion::Keyword(Keyword::Json) => gathered.type_is_json = true,
                        Expansion::Iri(iri) if is_blank_node_id(&iri) || is_serializable_iri(&iri) => {
                            gathered.types.push(iri)
                        }
                        _ => {
                            return Err(JsonLdError::InvalidType {
                                value: t.clone(),
                                pointer: path.render(),
                            })
                        }
                    }
                }
            }
            Keyword::Graph => {
                let graph = gathered.graph.get_or_insert_with(Vec::new);
                self.expand(ctx, Some("@graph"), value, path, graph)?;
            }
            Keyword::Value => {
                if gathered.value.replace(value).is_some() {
                    return Err(colliding(path));
                }
            }
            Keyword::Language => match value {
                Value::String(s) if crate::iri::is_language_tag(s) => {
                    if gathered.language.replace(s.to_lowercase().into()).is_some() {
                        return Err(colliding(path));
                    }
                }
                _ => {
                    return Err(invalid(
                        path,
                        "@language must be a BCP 47 language tag such as \"en\" or \"pt-BR\"",
                    ))
                }
            },
            Keyword::Direction => return Err(direction_error(path)),
            Keyword::Index => match value {
                Value::String(_) => gathered.has_index = true,
                _ => return Err(invalid(path, "@index must be a string")),
            },
            Keyword::List => {
                let mut list = Vec::new();
                self.expand(ctx, active_property, value, path, &mut list)?;
                gathered.list = Some(list);
            }
            Keyword::Set => {
                let mut set = Vec::new();
                self.expand(ctx, active_property, value, path, &mut set)?;
                gathered.set = Some(set);
            }
            Keyword::Reverse => {
                let Value::Object(reverse_map) = value else {
                    return Err(invalid(path, "@reverse must be an object"));
                };
                for (key, v) in reverse_map {
                    let key_path = path.key(key);
                    let iri = match ctx.expand_iri(key, true) {
                        Expansion::Iri(iri) if is_serializable_iri(&iri) => iri,
                        _ => {
                            return Err(JsonLdError::UndefinedTerm {
                                term: key.clone(),
                                pointer: key_path.render(),
                            })
                        }
                    };
                    let mut items = Vec::new();
                    self.expand(ctx, Some(key), v, &key_path, &mut items)?;
                    if items.iter().any(|i| !matches!(i, Expanded::Node(_))) {
                        return Err(invalid(&key_path, "@reverse values must be node objects"));
                    }
                    gathered.reverse.push((iri, items));
                }
            }
            Keyword::Nest => {
                let nested: Vec<&'d Value> = match value {
                    Value::Array(items) => items.iter().collect(),
                    other => vec![other],
                };
                for (i, n) in nested.into_iter().enumerate() {
                    let Value::Object(nested_map) = n else {
                        return Err(invalid(&path.index(i), "@nest values must be objects"));
                    };
                    let nested_path = path.index(i);
                    self.expand_entries(
                        ctx,
                        type_scoped,
                        active_property,
                        nested_map,
                        &nested_path,
                        gathered,
                    )?;
                }
            }
            Keyword::Included => {
                let mut included = Vec::new();
                self.expand(ctx, Some("@included"), value, path, &mut included)?;
                if included.iter().any(|i| !matches!(i, Expanded::Node(_))) {
                    return Err(invalid(path, "@included must hold node objects"));
                }
                gathered.included.extend(included);
            }
            _ => return Err(invalid(path, "this keyword is not allowed in a node object")),
        }
        Ok(())
    }

    fn finish(
        &mut self,
        gathered: Gathered<'d>,
        active_property: Option<&str>,
        path: &Path,
        out: &mut Vec<Expanded<'d>>,
    ) -> Result<(), JsonLdError> {
        let free_floating = is_free_floating_position(active_property);
        if let Some(value) = gathered.value {
            if gathered.id.is_some()
                || !gathered.properties.is_empty()
                || !gathered.reverse.is_empty()
                || gathered.graph.is_some()
                || gathered.list.is_some()
                || gathered.set.is_some()
            {
                return Err(invalid(
                    path,
                    "a value object (@value) cannot have other properties",
                ));
            }
            if gathered.types.len() + usize::from(gathered.type_is_json) > 1 {
                return Err(invalid(path, "a value object can have only one @type"));
            }
            if free_floating {
                return Err(invalid(path, "a value outside any property would be dropped"));
            }
            if gathered.type_is_json {
                out.push(Expanded::Value(ValueObject {
                    literal: Literal::Json(value),
                    datatype: None,
                    language: None,
                }));
                return Ok(());
            }
            if value.is_null() {
                return Err(invalid(
                    path,
                    "a value object with a null @value would be dropped: remove it",
                ));
            }
            if value.is_array() || value.is_object() {
                return Err(invalid(path, "@value must be a string, number or boolean"));
            }
            if gathered.language.is_some() && (!value.is_string() || !gathered.types.is_empty()) {
                return Err(invalid(path, "@language needs a string @value and no @type"));
            }
            let datatype = gathered.types.into_iter().next();
            if datatype.as_deref().is_some_and(is_blank_node_id) {
                return Err(invalid(path, "a value's @type must be an IRI, not a blank node"));
            }
            out.push(Expanded::Value(ValueObject {
                literal: literal_of(value),
                datatype,
                language: gathered.language,
            }));
            return Ok(());
        }
        if let Some(list) = gathered.list {
            if gathered.id.is_some()
                || !gathered.types.is_empty()
                || !gathered.properties.is_empty()
                || !gathered.reverse.is_empty()
                || gathered.graph.is_some()
                || gathered.language.is_some()
                || gathered.set.is_some()
            {
                return Err(invalid(
                    path,
                    "a list object (@list) cannot have other properties",
                ));
            }
            if free_floating {
                return Err(invalid(path, "a list outside any property would be dropped"));
            }
            out.push(Expanded::List(list));
            return Ok(());
        }
        if let Some(set) = gathered.set {
            if gathered.id.is_some()
                || !gathered.types.is_empty()
                || !gathered.properties.is_empty()
                || !gathered.reverse.is_empty()
                || gathered.graph.is_some()
                || gathered.language.is_some()
            {
                return Err(invalid(path, "a set object (@set) cannot have other properties"));
            }
            out.extend(set);
            return Ok(());
        }
        if gathered.language.is_some() {
            return Err(invalid(
                path,
                "@language belongs in a value object next to @value; here it would be dropped",
            ));
        }
        let node = Node {
            id: gathered.id,
            types: gathered.types,
            properties: gathered.properties,
            reverse: gathered.reverse,
            graph: gathered.graph,
            included: gathered.included,
        };
        if gathered.type_is_json {
            return Err(invalid(path, "@json is only a value type"));
        }
        let has_content = !node.types.is_empty()
            || !node.properties.is_empty()
            || !node.reverse.is_empty()
            || !node.included.is_empty()
            || node.graph.is_some();
        if free_floating && !has_content {
            // JSON-LD would drop it without a triple; jsonld.js's safe mode refuses it too.
            let what = if node.id.is_some() {
                "an object with only an id, outside any property, states nothing and would be dropped"
            } else {
                "an empty object outside any property would be dropped"
            };
            return Err(invalid(path, what));
        }
        out.push(Expanded::Node(Box::new(node)));
        Ok(())
    }
}

fn is_set_object(ctx: &ActiveContext, value: &Value) -> bool {
    value.as_object().is_some_and(|m| {
        m.keys()
            .any(|k| matches!(ctx.expand_iri(k, true), Expansion::Keyword(Keyword::Set)))
    })
}

/// Why `item`, as the content of a named graph, would be dropped by JSON-LD (if it would).
fn dropped_in_graph(item: &Expanded) -> Option<&'static str> {
    match item {
        Expanded::Value(_) => Some("a bare value here would be dropped: a graph holds nodes, not values"),
        Expanded::List(_) => Some("a list here would be dropped: a graph holds nodes, not lists"),
        Expanded::Node(node) => {
            let states_something = !node.types.is_empty()
                || !node.properties.is_empty()
                || !node.reverse.is_empty()
                || !node.included.is_empty()
                || node.graph.is_some();
            (!states_something).then_some(if node.id.is_some() {
                "an object with only an id here states nothing and would be dropped"
            } else {
                "an empty object here would be dropped"
            })
        }
    }
}

fn literal_of(value: &Value) -> Literal<'_> {
    match value {
        Value::String(s) => Literal::String(s),
        Value::Number(n) => Literal::Number(n),
        Value::Bool(b) => Literal::Bool(*b),
        other => Literal::Json(other),
    }
}

fn node_reference<'d>(id: Iri) -> Expanded<'d> {
    Expanded::Node(Box::new(Node {
        id: Some(id),
        ..Node::default()
    }))
}

fn colliding(path: &Path) -> JsonLdError {
    invalid(
        path,
        "the same keyword is given twice (e.g. both \"id\" and \"@id\"): keep one",
    )
}

fn direction_error(path: &Path) -> JsonLdError {
    invalid(
        path,
        "@direction cannot be represented in RDF without an rdfDirection option: remove it",
    )
}

/// Expands a node identifier; a relative one cannot be resolved (no base) and is an error.
fn node_iri(ctx: &ActiveContext, s: &str, vocab: bool, path: &Path) -> Result<Iri, JsonLdError> {
    match ctx.expand_iri(s, vocab) {
        Expansion::Iri(iri) if is_blank_node_id(&iri) || is_serializable_iri(&iri) => Ok(iri),
        Expansion::Keyword(_) | Expansion::Null => {
            Err(invalid(path, format!("{s:?} is not a usable node identifier")))
        }
        _ => Err(JsonLdError::RelativeIri {
            iri: s.to_owned(),
            pointer: path.render(),
        }),
    }
}
