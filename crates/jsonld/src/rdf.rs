//! RDF terms, quads and their canonical N-Quads serialization.

use std::borrow::Cow;
use std::rc::Rc;

pub(crate) const RDF_TYPE: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
pub(crate) const RDF_FIRST: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#first";
pub(crate) const RDF_REST: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#rest";
pub(crate) const RDF_NIL: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#nil";
pub(crate) const RDF_JSON: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#JSON";
pub(crate) const RDF_LANG_STRING: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString";
pub(crate) const XSD_STRING: &str = "http://www.w3.org/2001/XMLSchema#string";
pub(crate) const XSD_BOOLEAN: &str = "http://www.w3.org/2001/XMLSchema#boolean";
pub(crate) const XSD_INTEGER: &str = "http://www.w3.org/2001/XMLSchema#integer";
pub(crate) const XSD_DOUBLE: &str = "http://www.w3.org/2001/XMLSchema#double";

/// An IRI: either one of the constants above or shared with the context/expansion.
#[derive(Clone, Debug)]
pub(crate) enum IriStr {
    Static(&'static str),
    Shared(Rc<str>),
}

impl IriStr {
    pub fn as_str(&self) -> &str {
        match self {
            IriStr::Static(s) => s,
            IriStr::Shared(s) => s,
        }
    }
}

impl PartialEq for IriStr {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}
impl Eq for IriStr {}
impl PartialOrd for IriStr {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for IriStr {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Term<'d> {
    Iri(IriStr),
    /// Blank node, numbered per document; RDFC-1.0 gives the canonical labels.
    Blank(u32),
    Literal {
        lexical: Cow<'d, str>,
        datatype: IriStr,
        language: Option<Rc<str>>,
    },
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Quad<'d> {
    pub subject: Term<'d>,
    pub predicate: IriStr,
    pub object: Term<'d>,
    pub graph: Option<Term<'d>>,
}

impl Quad<'_> {
    /// Blank nodes of the quad in subject, object, graph order (the order RDFC-1.0 visits them).
    pub fn blank_nodes(&self) -> impl Iterator<Item = (u32, char)> + '_ {
        [
            (Some(&self.subject), 's'),
            (Some(&self.object), 'o'),
            (self.graph.as_ref(), 'g'),
        ]
        .into_iter()
        .filter_map(|(t, position)| match t {
            Some(Term::Blank(b)) => Some((*b, position)),
            _ => None,
        })
    }
}

/// Appends the canonical N-Quads line for `quad` (with its "\n"), naming blank nodes with `label`.
pub(crate) fn write_quad(out: &mut String, quad: &Quad, label: &mut dyn FnMut(&mut String, u32)) {
    write_term(out, &quad.subject, label);
    out.push_str(" <");
    out.push_str(quad.predicate.as_str());
    out.push_str("> ");
    write_term(out, &quad.object, label);
    if let Some(graph) = &quad.graph {
        out.push(' ');
        write_term(out, graph, label);
    }
    out.push_str(" .\n");
}

fn write_term(out: &mut String, term: &Term, label: &mut dyn FnMut(&mut String, u32)) {
    match term {
        Term::Iri(iri) => {
            out.push('<');
            out.push_str(iri.as_str());
            out.push('>');
        }
        Term::Blank(b) => {
            out.push_str("_:");
            label(out, *b);
        }
        Term::Literal {
            lexical,
            datatype,
            language,
        } => {
            out.push('"');
            escape_literal(out, lexical);
            out.push('"');
            if let Some(language) = language {
                out.push('@');
                out.push_str(language);
            } else if datatype.as_str() != XSD_STRING {
                out.push_str("^^<");
                out.push_str(datatype.as_str());
                out.push('>');
            }
        }
    }
}

/// Canonical N-Triples string escaping (RDF 1.2 / RDFC-1.0): ECHAR for `"` `\` LF CR and
/// backspace, tab, form feed; `\u00XX` for the remaining control characters and DEL.
fn escape_literal(out: &mut String, s: &str) {
    let needs_escape = |c: char| c < ' ' || c == '"' || c == '\\' || c == '\u{7f}';
    if !s.chars().any(needs_escape) {
        out.push_str(s);
        return;
    }
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{08}' => out.push_str("\\b"),
            '\u{0C}' => out.push_str("\\f"),
            c if c < ' ' || c == '\u{7f}' => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
}
