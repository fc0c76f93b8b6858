//! Deserialize JSON-LD to RDF (§8 of JSON-LD 1.1 API), straight from the expanded tree: the quads
//! form a set, so the node map of the specification (which merges node objects) is not needed.

use crate::context::Iri;
use crate::error::JsonLdError;
use crate::expand::{Expanded, Literal, Node, ValueObject};
use crate::jcs::{canonical_json, xsd_double};
use crate::rdf::*;
use std::borrow::Cow;
use std::collections::HashMap;

pub(crate) struct RdfBuilder<'d> {
    pub quads: Vec<Quad<'d>>,
    labels: HashMap<Iri, u32>,
    pub blank_nodes: u32,
    max_quads: usize,
}

fn too_many(max: usize) -> JsonLdError {
    JsonLdError::TooComplex {
        what: format!("more than {max} RDF statements"),
    }
}

impl<'d> RdfBuilder<'d> {
    pub fn new(max_quads: usize) -> Self {
        RdfBuilder {
            quads: Vec::new(),
            labels: HashMap::new(),
            blank_nodes: 0,
            max_quads,
        }
    }

    pub fn add_default_graph(&mut self, items: &[Expanded<'d>]) -> Result<(), JsonLdError> {
        for item in items {
            if let Expanded::Node(node) = item {
                self.node(node, &None)?;
            }
        }
        Ok(())
    }

    fn fresh_blank(&mut self) -> Term<'d> {
        self.blank_nodes += 1;
        Term::Blank(self.blank_nodes - 1)
    }

    fn iri_or_blank(&mut self, iri: &Iri) -> Term<'d> {
        if iri.starts_with("_:") {
            if let Some(&b) = self.labels.get(iri) {
                return Term::Blank(b);
            }
            let Term::Blank(b) = self.fresh_blank() else {
                unreachable!()
            };
            self.labels.insert(iri.clone(), b);
            Term::Blank(b)
        } else {
            Term::Iri(IriStr::Shared(iri.clone()))
        }
    }

    fn push(
        &mut self,
        subject: Term<'d>,
        predicate: IriStr,
        object: Term<'d>,
        graph: &Option<Term<'d>>,
    ) -> Result<(), JsonLdError> {
        if self.quads.len() >= self.max_quads {
            return Err(too_many(self.max_quads));
        }
        self.quads.push(Quad {
            subject,
            predicate,
            object,
            graph: graph.clone(),
        });
        Ok(())
    }

    fn node(&mut self, node: &Node<'d>, graph: &Option<Term<'d>>) -> Result<Term<'d>, JsonLdError> {
        let subject = match &node.id {
            Some(id) => self.iri_or_blank(id),
            None => self.fresh_blank(),
        };
        for t in &node.types {
            let object = self.iri_or_blank(t);
            self.push(subject.clone(), IriStr::Static(RDF_TYPE), object, graph)?;
        }
        for (predicate, values) in &node.properties {
            if predicate.starts_with("_:") {
                return Err(JsonLdError::Invalid {
                    pointer: String::new(),
                    message: format!(
                        "property {predicate:?} is a blank node, which RDF does not allow as a predicate"
                    ),
                });
            }
            for value in values {
                if let Some(object) = self.object(value, graph)? {
                    self.push(subject.clone(), IriStr::Shared(predicate.clone()), object, graph)?;
                }
            }
        }
        for (predicate, values) in &node.reverse {
            for value in values {
                if let Expanded::Node(other) = value {
                    let other_subject = self.node(other, graph)?;
                    self.push(
                        other_subject,
                        IriStr::Shared(predicate.clone()),
                        subject.clone(),
                        graph,
                    )?;
                }
            }
        }
        for item in &node.included {
            if let Expanded::Node(included) = item {
                self.node(included, graph)?;
            }
        }
        if let Some(items) = &node.graph {
            let graph_name = Some(subject.clone());
            for item in items {
                if let Expanded::Node(inner) = item {
                    self.node(inner, &graph_name)?;
                }
            }
        }
        Ok(subject)
    }

    fn object(
        &mut self,
        value: &Expanded<'d>,
        graph: &Option<Term<'d>>,
    ) -> Result<Option<Term<'d>>, JsonLdError> {
        Ok(Some(match value {
            Expanded::Node(node) => self.node(node, graph)?,
            Expanded::Value(v) => literal(v)?,
            Expanded::List(items) => self.list(items, graph)?,
        }))
    }

    fn list(&mut self, items: &[Expanded<'d>], graph: &Option<Term<'d>>) -> Result<Term<'d>, JsonLdError> {
        if items.is_empty() {
            return Ok(Term::Iri(IriStr::Static(RDF_NIL)));
        }
        let cells: Vec<Term<'d>> = items.iter().map(|_| self.fresh_blank()).collect();
        for (i, item) in items.iter().enumerate() {
            if let Some(object) = self.object(item, graph)? {
                self.push(cells[i].clone(), IriStr::Static(RDF_FIRST), object, graph)?;
            }
            let rest = match cells.get(i + 1) {
                Some(next) => next.clone(),
                None => Term::Iri(IriStr::Static(RDF_NIL)),
            };
            self.push(cells[i].clone(), IriStr::Static(RDF_REST), rest, graph)?;
        }
        Ok(cells[0].clone())
    }
}

fn datatype_or(v: &ValueObject, default: &'static str) -> IriStr {
    match &v.datatype {
        Some(d) => IriStr::Shared(d.clone()),
        None => IriStr::Static(default),
    }
}

/// Object to RDF conversion (§8.4 step for value objects).
fn literal<'d>(v: &ValueObject<'d>) -> Result<Term<'d>, JsonLdError> {
    let (lexical, datatype): (Cow<'d, str>, IriStr) = match &v.literal {
        Literal::String(s) => {
            if v.language.is_some() {
                return Ok(Term::Literal {
                    lexical: Cow::Borrowed(s),
                    datatype: IriStr::Static(RDF_LANG_STRING),
                    language: v.language.clone(),
                });
            }
            (Cow::Borrowed(*s), datatype_or(v, XSD_STRING))
        }
        Literal::Bool(b) => (
            Cow::Borrowed(if *b { "true" } else { "false" }),
            datatype_or(v, XSD_BOOLEAN),
        ),
        Literal::Number(n) => {
            let wants_double = v.datatype.as_deref() == Some(XSD_DOUBLE);
            let integer = n
                .as_i64()
                .map(|i| i.to_string())
                .or_else(|| n.as_u64().map(|u| u.to_string()));
            match integer {
                Some(i) if !wants_double => (Cow::Owned(i), datatype_or(v, XSD_INTEGER)),
                _ => {
                    let f = n.as_f64().unwrap_or(0.0);
                    if f.fract() != 0.0 || f.abs() >= 1e21 || wants_double {
                        (Cow::Owned(xsd_double(f)), datatype_or(v, XSD_DOUBLE))
                    } else {
                        (Cow::Owned(format!("{f:.0}")), datatype_or(v, XSD_INTEGER))
                    }
                }
            }
        }
        Literal::Json(j) => {
            let text = canonical_json(j).ok_or_else(|| JsonLdError::TooDeep {
                pointer: String::new(),
                limit: 128,
            })?;
            (Cow::Owned(text), IriStr::Static(RDF_JSON))
        }
    };
    Ok(Term::Literal {
        lexical,
        datatype,
        language: None,
    })
}
