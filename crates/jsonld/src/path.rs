//! JSON pointers built lazily: the walk keeps a linked list of borrowed segments on the stack and
//! only renders a pointer string when an error needs one, so the happy path allocates nothing here.

#[derive(Clone, Copy)]
enum Segment<'a> {
    Root,
    Key(&'a str),
    Index(usize),
}

/// A position in the input document.
#[derive(Clone, Copy)]
pub(crate) struct Path<'a> {
    parent: Option<&'a Path<'a>>,
    segment: Segment<'a>,
    /// Number of segments from the root; doubles as the recursion depth guard.
    pub depth: usize,
}

impl<'a> Path<'a> {
    pub fn root() -> Path<'static> {
        Path {
            parent: None,
            segment: Segment::Root,
            depth: 0,
        }
    }

    pub fn key<'b>(&'b self, key: &'b str) -> Path<'b> {
        Path {
            parent: Some(self),
            segment: Segment::Key(key),
            depth: self.depth + 1,
        }
    }

    pub fn index<'b>(&'b self, index: usize) -> Path<'b> {
        Path {
            parent: Some(self),
            segment: Segment::Index(index),
            depth: self.depth + 1,
        }
    }

    /// RFC 6901 rendering (`~` as `~0`, `/` as `~1`).
    pub fn render(&self) -> String {
        let mut segments = Vec::with_capacity(self.depth);
        let mut current = Some(self);
        while let Some(p) = current {
            segments.push(p.segment);
            current = p.parent;
        }
        let mut out = String::new();
        for segment in segments.iter().rev() {
            match segment {
                Segment::Root => {}
                Segment::Key(k) => {
                    out.push('/');
                    out.push_str(&k.replace('~', "~0").replace('/', "~1"));
                }
                Segment::Index(i) => {
                    out.push('/');
                    out.push_str(&i.to_string());
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_escaped_pointer() {
        let root = Path::root();
        let a = root.key("credentialSubject");
        let b = a.index(2);
        let c = b.key("a/b~c");
        assert_eq!(c.render(), "/credentialSubject/2/a~1b~0c");
        assert_eq!(root.render(), "");
        assert_eq!(c.depth, 3);
    }
}
