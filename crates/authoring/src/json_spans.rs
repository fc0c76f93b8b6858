//! Where each value of a JSON text starts, by JSON pointer, so that a hand-written JSON description gets
//! `file:line:column` locations like TOML. serde_json keeps no positions, so this small scanner walks the
//! text (already validated by serde_json) once.

use crate::location::escape_segment;

/// serde_json refuses deeper nesting, so a validated text never reaches this.
const MAX_DEPTH: usize = 128;

/// One value: its pointer, the byte offset where it starts, and the offset of its key in an object.
pub(crate) struct Span {
    pub pointer: String,
    pub value: usize,
    pub key: Option<usize>,
}

/// The spans of every value of `text`, parents first; `None` if the text is not the JSON it should be.
pub(crate) fn spans(text: &str) -> Option<Vec<Span>> {
    let mut scanner = Scanner {
        bytes: text.as_bytes(),
        text,
        position: 0,
        spans: Vec::new(),
    };
    scanner.value(String::new(), None, 0)?;
    Some(scanner.spans)
}

struct Scanner<'t> {
    bytes: &'t [u8],
    text: &'t str,
    position: usize,
    spans: Vec<Span>,
}

impl Scanner<'_> {
    fn value(&mut self, pointer: String, key: Option<usize>, depth: usize) -> Option<()> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.skip_space();
        let start = self.position;
        self.spans.push(Span {
            pointer: pointer.clone(),
            value: start,
            key,
        });
        match *self.bytes.get(start)? {
            b'{' => {
                self.position += 1;
                loop {
                    self.skip_space();
                    match *self.bytes.get(self.position)? {
                        b'}' => break,
                        b',' => self.position += 1,
                        b'"' => {
                            let key_start = self.position;
                            self.string()?;
                            let name: String =
                                serde_json::from_str(&self.text[key_start..self.position]).ok()?;
                            self.skip_space();
                            (self.bytes.get(self.position) == Some(&b':')).then_some(())?;
                            self.position += 1;
                            let child = format!("{pointer}/{}", escape_segment(&name));
                            self.value(child, Some(key_start), depth + 1)?;
                        }
                        _ => return None,
                    }
                }
                self.position += 1;
            }
            b'[' => {
                self.position += 1;
                let mut index = 0;
                loop {
                    self.skip_space();
                    match *self.bytes.get(self.position)? {
                        b']' => break,
                        b',' => self.position += 1,
                        _ => {
                            self.value(format!("{pointer}/{index}"), None, depth + 1)?;
                            index += 1;
                        }
                    }
                }
                self.position += 1;
            }
            b'"' => self.string()?,
            _ => {
                while self
                    .bytes
                    .get(self.position)
                    .is_some_and(|b| !b",}] \t\r\n".contains(b))
                {
                    self.position += 1;
                }
            }
        }
        Some(())
    }

    /// Moves past a string literal, escapes included.
    fn string(&mut self) -> Option<()> {
        self.position += 1;
        loop {
            match *self.bytes.get(self.position)? {
                b'\\' => self.position += 2,
                b'"' => {
                    self.position += 1;
                    return Some(());
                }
                _ => self.position += 1,
            }
        }
    }

    fn skip_space(&mut self) {
        while self
            .bytes
            .get(self.position)
            .is_some_and(|b| b" \t\r\n".contains(b))
        {
            self.position += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_values_and_keys_with_escapes() {
        let text = "{\n  \"title\": {\"en\": \"A \\\"b\\\"\"},\n  \"a/b\": [1, {\"x\": true}]\n}";
        let spans = spans(text).unwrap();
        let find = |pointer: &str| spans.iter().find(|s| s.pointer == pointer).unwrap();
        assert_eq!(&text[find("/title/en").value..][..3], "\"A ");
        assert_eq!(&text[find("/title").key.unwrap()..][..7], "\"title\"");
        assert_eq!(&text[find("/a~1b/1/x").value..][..4], "true");
        assert_eq!(&text[find("/a~1b/0").value..][..1], "1");
    }
}
