//! Keywords and IRI shape checks.

/// The JSON-LD 1.1 keywords.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Keyword {
    Base,
    Container,
    Context,
    Direction,
    Graph,
    Id,
    Import,
    Included,
    Index,
    Json,
    Language,
    List,
    Nest,
    None,
    Prefix,
    Propagate,
    Protected,
    Reverse,
    Set,
    Type,
    Value,
    Version,
    Vocab,
}

impl Keyword {
    pub fn parse(s: &str) -> Option<Keyword> {
        if !s.starts_with('@') {
            return None;
        }
        Some(match s {
            "@base" => Keyword::Base,
            "@container" => Keyword::Container,
            "@context" => Keyword::Context,
            "@direction" => Keyword::Direction,
            "@graph" => Keyword::Graph,
            "@id" => Keyword::Id,
            "@import" => Keyword::Import,
            "@included" => Keyword::Included,
            "@index" => Keyword::Index,
            "@json" => Keyword::Json,
            "@language" => Keyword::Language,
            "@list" => Keyword::List,
            "@nest" => Keyword::Nest,
            "@none" => Keyword::None,
            "@prefix" => Keyword::Prefix,
            "@propagate" => Keyword::Propagate,
            "@protected" => Keyword::Protected,
            "@reverse" => Keyword::Reverse,
            "@set" => Keyword::Set,
            "@type" => Keyword::Type,
            "@value" => Keyword::Value,
            "@version" => Keyword::Version,
            "@vocab" => Keyword::Vocab,
            _ => return None,
        })
    }
}

/// `@` followed only by ASCII letters: reserved for future keywords, ignored by JSON-LD.
pub(crate) fn looks_like_keyword(s: &str) -> bool {
    s.len() > 1 && s.starts_with('@') && s[1..].bytes().all(|b| b.is_ascii_alphabetic())
}

/// Byte index of the first `:` that is not the first character.
pub(crate) fn colon_after_first(s: &str) -> Option<usize> {
    s.char_indices().skip(1).find(|&(_, c)| c == ':').map(|(i, _)| i)
}

/// An absolute IRI as jsonld.js tests it: a scheme, a colon, and no whitespace.
pub(crate) fn is_absolute_iri(s: &str) -> bool {
    let Some(colon) = s.find(':') else {
        return false;
    };
    let scheme = &s.as_bytes()[..colon];
    !scheme.is_empty()
        && scheme[0].is_ascii_alphabetic()
        && scheme[1..]
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
        && !s.chars().any(char::is_whitespace)
}

/// Whether `s` can be written as an N-Quads IRIREF: absolute, and without the characters N-Quads
/// cannot carry unescaped (which would otherwise corrupt the canonical form).
pub(crate) fn is_serializable_iri(s: &str) -> bool {
    is_absolute_iri(s)
        && !s
            .chars()
            .any(|c| c <= ' ' || matches!(c, '<' | '>' | '"' | '{' | '}' | '|' | '^' | '`' | '\\'))
}

/// A well-formed BCP 47 language tag, as jsonld.js checks it: `[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*`.
pub(crate) fn is_language_tag(s: &str) -> bool {
    let mut parts = s.split('-');
    let first_ok = parts
        .next()
        .is_some_and(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphabetic()));
    first_ok && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

pub(crate) fn is_blank_node_id(s: &str) -> bool {
    s.starts_with("_:") && s.len() > 2
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absolute_iris() {
        assert!(is_absolute_iri("did:example:123"));
        assert!(is_absolute_iri("urn:uuid:58172aac"));
        assert!(!is_absolute_iri("https://example.com/a b"));
        assert!(!is_absolute_iri("foo"));
        assert!(!is_absolute_iri("1a:b"));
        assert!(!is_serializable_iri("https://example.com/<x>"));
        assert_eq!(colon_after_first("éa:b"), Some(3));
        assert_eq!(colon_after_first(":b"), None);
    }
}
