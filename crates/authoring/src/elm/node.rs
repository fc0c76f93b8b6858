//! Reading an ELM document whatever shape each property takes: one object, an array, or the id of an
//! object defined elsewhere in the document.

use std::collections::HashMap;

use serde_json::Value;

use crate::location::escape_segment;

/// Deeper than any real ELM document; bounds the walk over untrusted input.
const MAX_DEPTH: usize = 24;

/// A value of the ELM document with its pointer; ids referring to objects defined elsewhere resolve.
#[derive(Clone)]
pub(super) struct Node<'a> {
    pub(super) value: &'a Value,
    pub(super) pointer: String,
    pub(super) index: &'a HashMap<&'a str, (&'a Value, String)>,
}

impl<'a> Node<'a> {
    /// The property, or the first of its values when it holds several.
    pub(super) fn get(&self, property: &str) -> Option<Node<'a>> {
        self.all(property).into_iter().next()
    }

    /// The object's own `id` property, never resolved (it is the object's name, not a reference).
    pub(super) fn id_node(&self) -> Option<Node<'a>> {
        let value = self.value.get("id").filter(|id| id.is_string())?;
        Some(Node {
            value,
            pointer: format!("{}/id", self.pointer),
            index: self.index,
        })
    }

    /// The property's values: one object, an array, or ids of objects defined elsewhere.
    pub(super) fn all(&self, property: &str) -> Vec<Node<'a>> {
        let Some(value) = self.value.get(property) else {
            return Vec::new();
        };
        let pointer = format!("{}/{}", self.pointer, escape_segment(property));
        match value {
            Value::Array(items) => items
                .iter()
                .enumerate()
                .map(|(i, item)| self.resolve(item, format!("{pointer}/{i}")))
                .collect(),
            single => vec![self.resolve(single, pointer)],
        }
    }

    pub(super) fn resolve(&self, value: &'a Value, pointer: String) -> Node<'a> {
        if let Value::String(id) = value {
            if let Some((target, target_pointer)) = self.index.get(id.as_str()) {
                return Node {
                    value: target,
                    pointer: target_pointer.clone(),
                    index: self.index,
                };
            }
        }
        Node {
            value,
            pointer,
            index: self.index,
        }
    }

    /// The `id` of an object, or the string itself for a bare reference.
    pub(super) fn id(&self) -> Option<&'a str> {
        match self.value {
            Value::String(text) => Some(text),
            other => other.get("id").and_then(Value::as_str),
        }
    }

    pub(super) fn has_type(&self, wanted: &str) -> bool {
        strings(self.value.get("type")).iter().any(|t| t == wanted)
    }

    pub(super) fn find_typed(&self, wanted: &str, depth: usize, found: &mut Vec<Node<'a>>) {
        if depth > MAX_DEPTH {
            return;
        }
        if self.has_type(wanted) {
            found.push(self.clone());
        }
        match self.value {
            Value::Object(map) => {
                for (key, child) in map {
                    let pointer = format!("{}/{}", self.pointer, escape_segment(key));
                    Node {
                        value: child,
                        pointer,
                        index: self.index,
                    }
                    .find_typed(wanted, depth + 1, found);
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter().enumerate() {
                    let pointer = format!("{}/{i}", self.pointer);
                    Node {
                        value: child,
                        pointer,
                        index: self.index,
                    }
                    .find_typed(wanted, depth + 1, found);
                }
            }
            _ => {}
        }
    }
}

/// Objects that carry an `id` and more than a type, by id: the targets of references.
pub(super) fn index_ids(root: &Value) -> HashMap<&str, (&Value, String)> {
    pub(super) fn visit<'a>(
        value: &'a Value,
        pointer: String,
        depth: usize,
        index: &mut HashMap<&'a str, (&'a Value, String)>,
    ) {
        if depth > MAX_DEPTH {
            return;
        }
        match value {
            Value::Object(map) => {
                if let Some(id) = map.get("id").and_then(Value::as_str) {
                    let substantial = map.keys().any(|k| k != "id" && k != "type");
                    if substantial {
                        index.entry(id).or_insert((value, pointer.clone()));
                    }
                }
                for (key, child) in map {
                    visit(
                        child,
                        format!("{pointer}/{}", escape_segment(key)),
                        depth + 1,
                        index,
                    );
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter().enumerate() {
                    visit(child, format!("{pointer}/{i}"), depth + 1, index);
                }
            }
            _ => {}
        }
    }
    let mut index = HashMap::new();
    visit(root, String::new(), 0, &mut index);
    index
}

pub(super) fn strings(value: Option<&Value>) -> Vec<String> {
    match value {
        Some(Value::String(text)) => vec![text.clone()],
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect(),
        _ => Vec::new(),
    }
}
