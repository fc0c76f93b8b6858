//! A guard against deeply nested JSON. Cloning, dropping, canonicalizing and serializing a
//! `serde_json::Value` all recurse, so a hostile document nested thousands of levels deep could
//! overflow the stack. This walk is iterative and runs before anything else touches the document.

use serde_json::Value;

/// Deeper than any real credential (an ELM credential nests about 15 levels), and the same bound
/// serde_json applies when parsing text.
pub const MAX_DEPTH: usize = 128;

/// The JSON pointer of a value nested deeper than `max_depth`, if any.
pub fn too_deep(value: &Value, max_depth: usize) -> Option<String> {
    // First a cheap walk that only counts (this runs on every verification); the pointer is built only
    // for documents that fail.
    if depth_within(value, max_depth) {
        return None;
    }
    let mut stack: Vec<(&Value, usize, String)> = vec![(value, 0, String::new())];
    while let Some((value, depth, pointer)) = stack.pop() {
        if depth > max_depth {
            return Some(pointer);
        }
        match value {
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    if item.is_array() || item.is_object() {
                        stack.push((item, depth + 1, format!("{pointer}/{i}")));
                    }
                }
            }
            Value::Object(map) => {
                for (key, item) in map {
                    if item.is_array() || item.is_object() {
                        let key = key.replace('~', "~0").replace('/', "~1");
                        stack.push((item, depth + 1, format!("{pointer}/{key}")));
                    }
                }
            }
            _ => {}
        }
    }
    None
}

fn depth_within(value: &Value, max_depth: usize) -> bool {
    let mut stack: Vec<(&Value, usize)> = Vec::with_capacity(32);
    stack.push((value, 0));
    while let Some((value, depth)) = stack.pop() {
        if depth > max_depth {
            return false;
        }
        let children: Box<dyn Iterator<Item = &Value>> = match value {
            Value::Array(items) => Box::new(items.iter()),
            Value::Object(map) => Box::new(map.values()),
            _ => continue,
        };
        stack.extend(
            children
                .filter(|v| v.is_array() || v.is_object())
                .map(|v| (v, depth + 1)),
        );
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_deep_spot() {
        let shallow = serde_json::json!({"a": [{"b": 1}]});
        assert_eq!(too_deep(&shallow, 5), None);
        assert_eq!(too_deep(&shallow, 1).as_deref(), Some("/a/0"));
    }
}
