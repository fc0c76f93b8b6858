//! The built-in JSON-LD contexts: compiled in, pinned by SHA-256, never fetched.
//!
//! Verifiers that load contexts over the network fail in the field (and can be steered by whoever
//! controls the host), so a context URL that is not in this table is an error, never a download.
//! Provenance of each file: `contexts/README.md`.

use serde_json::Value;
use std::sync::LazyLock;

/// One vendored context file.
pub(crate) struct BuiltInContext {
    pub url: &'static str,
    /// Name under `contexts/`; read by tests.
    #[cfg_attr(not(test), allow(dead_code))]
    pub file: &'static str,
    pub sha256: &'static str,
    pub text: &'static str,
}

macro_rules! builtin {
    ($url:expr, $file:expr, $sha:expr) => {
        BuiltInContext {
            url: $url,
            file: $file,
            sha256: $sha,
            text: include_str!(concat!("../contexts/", $file)),
        }
    };
}

pub(crate) const BUILT_IN: &[BuiltInContext] = &[
    builtin!(
        "https://www.w3.org/ns/credentials/v2",
        "credentials-v2.jsonld",
        "8a9f494a89ecc51db093e90e84713e07e84d6d9204364a9b3c7868b21751236f"
    ),
    builtin!(
        "https://www.w3.org/2018/credentials/v1",
        "credentials-v1.jsonld",
        "00d7dd6d3ad8b920e3e550dd3a3d9090bffcac84cdbf943da6924b3e0a5c8bb8"
    ),
    builtin!(
        "https://www.w3.org/ns/credentials/examples/v2",
        "credentials-examples-v2.jsonld",
        "e6600df812cdc1872f20b42ab0c1cecac39755b7ed381e7f6a88dac7baab54d6"
    ),
    builtin!(
        "https://www.w3.org/ns/credentials/status/v1",
        "credentials-status-v1.jsonld",
        "fd08cbf28ddd829ab2f1978c48f43ab07a112c1c90245a0cfac7ba721c65170c"
    ),
    builtin!(
        "https://w3id.org/vc/status-list/2021/v1",
        "vc-status-list-2021-v1.jsonld",
        "634d71c159289f068c96012e4511c657fdf82ac4231900081bda3ba24e2e1160"
    ),
    builtin!(
        "https://w3id.org/security/data-integrity/v2",
        "data-integrity-v2.jsonld",
        "0f77743daf5b4e8fc067fc5ba5b21044283053aa717fc6b0219843bed3b00363"
    ),
    builtin!(
        "https://w3id.org/security/data-integrity/v1",
        "data-integrity-v1.jsonld",
        "b5d829bd09aa7c42abc6efa0c8ed7635313b5487f37ccfce3ecd149ca9418554"
    ),
    builtin!(
        "https://w3id.org/security/multikey/v1",
        "multikey-v1.jsonld",
        "00e1592fd321ed9b843aee80f4f25e23a3fa53e514e73dc9d109fc4e0aaadf1c"
    ),
    builtin!(
        "https://w3id.org/security/suites/ed25519-2020/v1",
        "ed25519-signature-2020-v1.jsonld",
        "b9e1ab971fd8bf2c7553e0c4a9438e0b9450afde1ea1ca5b2492368b9f549588"
    ),
    builtin!(
        "https://w3id.org/security/suites/x25519-2020/v1",
        "x25519-key-agreement-2020-v1.json",
        "b234f84fe7cebb0efef37cad82667eeacb6d414f6c51ac37f5dc803a4a0c728a"
    ),
    builtin!(
        "https://www.w3.org/ns/did/v1",
        "did-v1.jsonld",
        "62c1054bf404d6dd3a4b26b64f830fd72095f6a26edc4469908c94351352ce5f"
    ),
    builtin!(
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.1.json",
        "ob-v3p0-context-3.0.1.json",
        "af095468326d3449160509b26ca71576e6321d13c85b0369cfe3b654c9a48fba"
    ),
    builtin!(
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json",
        "ob-v3p0-context-3.0.2.json",
        "00666ad080ba407687ed1846b7f5e7495f5019042b202a727de47c48a1755c53"
    ),
    builtin!(
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        "ob-v3p0-context-3.0.3.json",
        "ef2fa9c7846dce233cc166b43639027278be4ee44f00bb1d45c75de2dd0cd761"
    ),
    builtin!(
        "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json",
        "ob-v3p0-extensions.json",
        "2d013f981d1f4516081a6a04e55468ba2b071d4153b794f19a79715c45a89a5e"
    ),
    builtin!(
        "https://w3id.org/citizenship/v4rc1",
        "citizenship-v4rc1.jsonld",
        "a89b0bc00b1848ac3dfdf956c7dd5de8567e755351c07ec6a1c2b4a08b67953b"
    ),
    builtin!(
        "https://w3id.org/microcred/v1",
        "microcred-v1.jsonld",
        "466fb7ad2c090bdae14b31f2259e270632addadd320293d9c9ffad8576c92763"
    ),
    builtin!(
        "https://w3id.org/dcc/v1",
        "dcc-v1.json",
        "1543695325471b0d23e839a28166ba4ea445cca294ac46fe034ca584cbfc6077"
    ),
];

/// Parsed once per process. The files are checked to be valid JSON by the crate's tests, so the
/// `expect` can only fire on a broken build, never on user input.
static PARSED: LazyLock<Vec<Value>> = LazyLock::new(|| {
    BUILT_IN
        .iter()
        .map(|c| serde_json::from_str(c.text).expect("built-in context file is valid JSON"))
        .collect()
});

/// The pinned context document (the whole file, with its top-level `@context`) for `url`, if built in.
pub fn get(url: &str) -> Option<&'static Value> {
    let index = BUILT_IN.iter().position(|c| c.url == url)?;
    Some(&PARSED[index])
}

/// The SHA-256 (lowercase hex) that the built-in context for `url` is pinned to.
pub fn pinned_sha256(url: &str) -> Option<&'static str> {
    BUILT_IN.iter().find(|c| c.url == url).map(|c| c.sha256)
}

/// The URLs of all built-in contexts, in a stable order.
pub fn known_urls() -> impl Iterator<Item = &'static str> {
    BUILT_IN.iter().map(|c| c.url)
}

/// The list used in "unknown context" errors.
pub(crate) fn supported_list() -> String {
    known_urls().collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use sha2::{Digest, Sha256};

    #[test]
    fn builtin_contexts_match_pinned_sha256() {
        for c in BUILT_IN {
            let digest = Sha256::digest(c.text.as_bytes());
            let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
            assert_eq!(hex, c.sha256, "{} ({}) changed", c.file, c.url);
        }
    }

    /// The project's own extension context is authored in crates/vc; the pinned copy here must
    /// not drift from it.
    #[test]
    fn microcred_extension_context_matches_its_source() {
        let source = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../vc/contexts-ext/microcred-v1.jsonld"
        );
        let Ok(text) = std::fs::read_to_string(source) else {
            eprintln!("SKIPPED: {source} not found");
            return;
        };
        let authored: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(
            get("https://w3id.org/microcred/v1"),
            Some(&authored),
            "crates/vc/contexts-ext/microcred-v1.jsonld changed: copy it to crates/jsonld/contexts/ \
             and update its SHA-256 in src/contexts.rs and contexts/README.md"
        );
    }

    #[test]
    fn builtin_contexts_parse_and_have_a_context() {
        for url in known_urls() {
            let doc = get(url).unwrap();
            assert!(doc.get("@context").is_some(), "{url} has no @context");
        }
        assert!(get("https://example.com/not-built-in").is_none());
    }
}
