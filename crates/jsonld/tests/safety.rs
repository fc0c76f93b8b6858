//! Safe mode (nothing silently dropped), pinned contexts, and bounded work.

use microcred_jsonld::{canonicalize, JsonLdError};
use serde_json::{json, Map, Value};
use std::time::{Duration, Instant};

const V2: &str = "https://www.w3.org/ns/credentials/v2";
const V1: &str = "https://www.w3.org/2018/credentials/v1";
const OB3: &str = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json";

fn v1_credential(subject: Value) -> Value {
    json!({
        "@context": [V1],
        "id": "urn:uuid:1",
        "type": ["VerifiableCredential"],
        "issuer": "did:example:issuer",
        "issuanceDate": "2024-01-01T00:00:00Z",
        "credentialSubject": subject
    })
}

#[test]
fn unknown_context_is_refused_with_url_pointer_and_supported_list() {
    let doc =
        json!({"@context": [V2, "https://example.com/evil-context.jsonld"], "type": "VerifiableCredential"});
    let err = canonicalize(&doc).unwrap_err();
    let JsonLdError::UnknownContext { url, supported, .. } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(url, "https://example.com/evil-context.jsonld");
    assert!(supported.contains(V2) && supported.contains(OB3));
    assert_eq!(err.pointer(), Some("/@context/1"));
    assert!(err.to_string().contains("never fetched"));
}

#[test]
fn remote_url_inside_inline_context_is_refused_too() {
    let doc = json!({"@context": [V2, {"@context": "x"}, ], "type": "VerifiableCredential"});
    assert!(canonicalize(&doc).is_err());
    // A scoped context naming an unknown URL is refused where it is written, used or not.
    let doc = json!({
        "@context": [V2, {"foo": {"@id": "https://example.com/foo", "@context": "https://example.com/nested"}}],
        "foo": {"https://example.com/bar": 1}
    });
    let err = canonicalize(&doc).unwrap_err();
    assert!(matches!(err, JsonLdError::UnknownContext { .. }), "{err:?}");
    assert_eq!(err.pointer(), Some("/@context/1/foo/@context"));
}

#[test]
fn undefined_term_is_an_error_with_its_pointer() {
    let doc = v1_credential(json!({"id": "did:example:1", "degree": {"name": "x"}}));
    let err = canonicalize(&doc).unwrap_err();
    assert_eq!(
        err,
        JsonLdError::UndefinedTerm {
            term: "degree".into(),
            pointer: "/credentialSubject/degree".into()
        }
    );
    assert!(err.to_string().contains("silently drop"));
}

#[test]
fn undefined_term_deep_in_an_open_badge_is_named() {
    // Neither credentials v2 nor OB 3.0 has an @vocab: an unknown property anywhere is refused.
    let doc = json!({
        "@context": [V2, OB3],
        "id": "urn:uuid:1",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": "did:example:issuer", "type": "Profile", "name": "Issuer"},
        "validFrom": "2024-01-01T00:00:00Z",
        "credentialSubject": {
            "type": "AchievementSubject",
            "achievement": {"id": "urn:uuid:2", "type": "Achievement", "name": "A", "foo": 1}
        }
    });
    let err = canonicalize(&doc).unwrap_err();
    assert_eq!(err.pointer(), Some("/credentialSubject/achievement/foo"), "{err}");
}

#[test]
fn invalid_type_is_an_error() {
    let doc = v1_credential(json!({"id": "did:example:1", "type": "NotDefined"}));
    let err = canonicalize(&doc).unwrap_err();
    assert!(
        matches!(&err, JsonLdError::InvalidType { value, .. } if value == "NotDefined"),
        "{err:?}"
    );
    assert_eq!(err.pointer(), Some("/credentialSubject/type"));
}

#[test]
fn relative_id_is_an_error() {
    let doc = json!({"@context": [V2], "id": "credentials/1", "type": "VerifiableCredential"});
    let err = canonicalize(&doc).unwrap_err();
    assert!(
        matches!(&err, JsonLdError::RelativeIri { iri, .. } if iri == "credentials/1"),
        "{err:?}"
    );
    assert_eq!(err.pointer(), Some("/id"));
    // A relative IRI where the context coerces to @id (issuer) is refused as well.
    let doc = json!({"@context": [V2], "type": "VerifiableCredential", "issuer": "issuers/1"});
    assert_eq!(canonicalize(&doc).unwrap_err().pointer(), Some("/issuer"));
}

#[test]
fn protected_term_cannot_be_redefined() {
    let doc = json!({"@context": [V2, {"name": "https://example.com/name"}], "name": "x"});
    let err = canonicalize(&doc).unwrap_err();
    assert!(
        matches!(err, JsonLdError::ProtectedTermRedefinition { ref term, .. } if term == "name"),
        "{err:?}"
    );
    assert_eq!(err.pointer(), Some("/@context/1/name"));
}

#[test]
fn inline_context_terms_and_json_literals_work() {
    let doc = json!({
        "@context": [V2, {
            "data": {"@id": "https://example.com/data", "@type": "@json"},
            "ex": "https://example.com/",
            "score": {"@id": "ex:score", "@type": "http://www.w3.org/2001/XMLSchema#decimal"}
        }],
        "id": "urn:uuid:1",
        "type": "VerifiableCredential",
        "data": {"b": [1, 2.5], "a": "x"},
        "score": 2,
        "ex:ratio": 0.25,
        "ex:flag": true,
        "ex:tags": {"@list": ["a", "b"]},
        "ex:label": {"@value": "Hallo", "@language": "DE"}
    });
    let out = canonicalize(&doc).unwrap();
    assert!(out.contains(r#"<urn:uuid:1> <https://example.com/data> "{\"a\":\"x\",\"b\":[1,2.5]}"^^<http://www.w3.org/1999/02/22-rdf-syntax-ns#JSON> ."#), "{out}");
    assert!(
        out.contains(
            r#"<urn:uuid:1> <https://example.com/score> "2"^^<http://www.w3.org/2001/XMLSchema#decimal> ."#
        ),
        "{out}"
    );
    assert!(
        out.contains(r#""2.5E-1"^^<http://www.w3.org/2001/XMLSchema#double>"#),
        "{out}"
    );
    assert!(
        out.contains(r#""true"^^<http://www.w3.org/2001/XMLSchema#boolean>"#),
        "{out}"
    );
    assert!(out.contains(r#""Hallo"@de"#), "{out}");
    assert!(
        out.contains("<http://www.w3.org/1999/02/22-rdf-syntax-ns#first> \"a\""),
        "{out}"
    );
}

/// Drops a deeply nested value without recursion (serde_json's own Drop recurses).
fn dismantle(mut value: Value) {
    let mut stack = vec![];
    loop {
        match &mut value {
            Value::Object(map) => stack.extend(std::mem::take(map).into_iter().map(|(_, v)| v)),
            Value::Array(items) => stack.append(items),
            _ => {}
        }
        match stack.pop() {
            Some(next) => value = next,
            None => break,
        }
    }
}

fn nested_objects(depth: usize) -> Value {
    let mut inner = json!({"https://example.com/leaf": "x"});
    for _ in 0..depth {
        let mut map = Map::new();
        map.insert("https://example.com/child".into(), inner);
        inner = Value::Object(map);
    }
    inner
}

#[test]
fn ten_thousand_levels_of_objects_are_refused_without_stack_overflow() {
    let doc = nested_objects(10_000);
    let err = canonicalize(&doc).unwrap_err();
    assert!(matches!(err, JsonLdError::TooDeep { .. }), "{err:?}");
    assert!(err
        .pointer()
        .unwrap()
        .starts_with("/https:~1~1example.com~1child/"));
    dismantle(doc);
}

#[test]
fn ten_thousand_levels_of_arrays_and_json_literals_are_refused() {
    let mut arrays = json!("x");
    for _ in 0..10_000 {
        arrays = Value::Array(vec![arrays]);
    }
    // (json! would serialize the value recursively: build the map by hand.)
    let mut map = Map::new();
    map.insert("https://example.com/p".into(), arrays);
    let doc = Value::Object(map);
    assert!(matches!(canonicalize(&doc), Err(JsonLdError::TooDeep { .. })));
    dismantle(doc);

    let mut deep = json!(1);
    for _ in 0..10_000 {
        deep = Value::Array(vec![deep]);
    }
    let mut map = Map::new();
    map.insert(
        "@context".into(),
        json!({"data": {"@id": "https://example.com/data", "@type": "@json"}}),
    );
    map.insert("data".into(), deep);
    let doc = Value::Object(map);
    assert!(matches!(canonicalize(&doc), Err(JsonLdError::TooDeep { .. })));
    dismantle(doc);
}

#[test]
fn moderate_nesting_is_fine() {
    // A chain of 30 anonymous objects (far deeper than any credential) is fine, although every
    // link in it looks alike to RDFC-1.0's first-degree hash.
    let doc = nested_objects(30);
    let out = canonicalize(&doc).unwrap();
    assert_eq!(out.lines().count(), 31);
}

/// "Dataset poisoning": blank nodes that all look alike and all point at each other make RDFC-1.0's
/// Hash N-Degree Quads explode combinatorially. It must stop with TooComplex, quickly.
#[test]
fn dataset_poisoning_stops_with_too_complex() {
    for n in [8usize, 20, 60] {
        let nodes: Vec<Value> = (0..n)
            .map(|i| {
                let others: Vec<Value> = (0..n)
                    .filter(|&j| j != i)
                    .map(|j| json!({"@id": format!("_:b{j}")}))
                    .collect();
                json!({"@id": format!("_:b{i}"), "https://example.com/knows": others})
            })
            .collect();
        let doc = json!({"@graph": nodes});
        let started = Instant::now();
        let result = canonicalize(&doc);
        let elapsed = started.elapsed();
        assert!(
            matches!(result, Err(JsonLdError::TooComplex { .. })),
            "n={n}: {result:?}"
        );
        assert!(elapsed < Duration::from_secs(5), "n={n} took {elapsed:?}");
    }
}

#[test]
fn a_few_indistinguishable_blank_nodes_are_canonicalized_deterministically() {
    let evidence = |a: &str, b: &str| {
        json!({
            "@context": [V2, OB3],
            "id": "urn:uuid:1",
            "type": "VerifiableCredential",
            "evidence": [
                {"type": "Evidence", "name": a, "https://example.com/part": {"name": "same"}},
                {"type": "Evidence", "name": b, "https://example.com/part": {"name": "same"}},
                {"type": "Evidence", "name": "twin"},
                {"type": "Evidence", "name": "twin"}
            ]
        })
    };
    let one = canonicalize(&evidence("x", "y")).unwrap();
    let two = canonicalize(&evidence("y", "x")).unwrap();
    assert_eq!(one, two);
    assert!(one.contains("_:c14n5"), "{one}");
}

#[test]
fn ten_megabyte_document_is_handled() {
    // 60,000 achievements-like objects, ~10 MB of JSON.
    let items: Vec<Value> = (0..60_000)
        .map(|i| {
            json!({
                "id": format!("urn:uuid:item-{i}"),
                "name": format!("Result number {i} with some padding text to make it longer ......................................"),
                "description": "x".repeat(40),
            })
        })
        .collect();
    let doc = json!({
        "@context": [V2],
        "id": "urn:uuid:1",
        "type": "VerifiableCredential",
        "credentialSubject": {"id": "did:example:1", "https://example.com/items": items}
    });
    let size = serde_json::to_string(&doc).unwrap().len();
    assert!(size > 10_000_000, "{size}");
    let started = Instant::now();
    match canonicalize(&doc) {
        Ok(out) => assert_eq!(out.lines().count(), 60_000 * 3 + 2),
        Err(e) => assert!(matches!(e, JsonLdError::TooComplex { .. }), "{e}"),
    }
    assert!(started.elapsed() < Duration::from_secs(30));
}

#[test]
fn too_many_values_is_refused() {
    let items: Vec<Value> = (0..1000).map(|i| json!(i)).collect();
    let doc = json!({"https://example.com/p": items});
    let limits = microcred_jsonld::Limits {
        max_values: 100,
        ..Default::default()
    };
    let err = microcred_jsonld::canonicalize_with_limits(&doc, &limits).unwrap_err();
    assert!(matches!(err, JsonLdError::TooComplex { .. }));
}

/// The depth limit must trip well before the stack runs out, even on a small thread stack (tokio
/// workers have 2 MiB; unoptimised builds use large frames).
#[test]
fn maximum_allowed_depth_fits_a_small_stack() {
    let limits = microcred_jsonld::Limits::default();
    let handle = std::thread::Builder::new()
        .stack_size(1 << 20)
        .spawn(move || {
            // Each nested object adds one pointer segment.
            let ok = nested_objects(limits.max_depth - 1);
            let too_deep = nested_objects(limits.max_depth + 1);
            let ok_result = canonicalize(&ok).map(|s| s.lines().count());
            let deep_result = canonicalize(&too_deep);
            dismantle(ok);
            dismantle(too_deep);
            (ok_result, deep_result)
        })
        .unwrap();
    let (ok, deep) = handle.join().expect("no stack overflow");
    // A chain this long is legal JSON-LD but RDFC-1.0 finds it costly: either outcome is fine as
    // long as it is a clean result.
    assert!(
        matches!(ok, Ok(_) | Err(JsonLdError::TooComplex { .. })),
        "{ok:?}"
    );
    assert!(matches!(deep, Err(JsonLdError::TooDeep { .. })), "{deep:?}");
}

/// A flat @graph can chain thousands of look-alike blank nodes without any JSON nesting; RDFC's
/// recursion along the chain must stop cleanly.
#[test]
fn long_flat_blank_node_chain_stops_cleanly() {
    let handle = std::thread::Builder::new()
        .stack_size(1 << 20)
        .spawn(|| {
            let nodes: Vec<Value> = (0..5_000)
                .map(|i| json!({"@id": format!("_:n{i}"), "https://example.com/next": {"@id": format!("_:n{}", i + 1)}}))
                .collect();
            canonicalize(&json!({"@graph": nodes}))
        })
        .unwrap();
    let result = handle.join().expect("no stack overflow");
    assert!(
        matches!(result, Err(JsonLdError::TooComplex { .. })),
        "{result:?}"
    );
}

#[test]
fn values_that_jsonld_would_drop_inside_a_proof_graph_are_refused() {
    // `proof` is an @graph container: its value must be a node that states something.
    for (proof, pointer) in [
        (json!({}), "/proof"),
        (json!({"id": "urn:uuid:p"}), "/proof"),
        (json!(3), "/proof"),
        (json!("urn:uuid:p"), "/proof"),
    ] {
        let doc =
            json!({"@context": [V2], "id": "urn:uuid:1", "type": "VerifiableCredential", "proof": proof});
        let err = canonicalize(&doc).unwrap_err();
        assert_eq!(err.pointer(), Some(pointer), "{proof}: {err}");
    }
}

#[test]
fn malformed_keyword_objects_are_refused() {
    let cases = [
        (json!({"@language": "en"}), "/name"),
        (
            json!({"@value": "x", "@language": "not a tag"}),
            "/name/@language",
        ),
        (json!({"@set": ["x"], "@id": "urn:uuid:2"}), "/name"),
    ];
    for (name, pointer) in cases {
        let doc = json!({"@context": [V2], "id": "urn:uuid:1", "type": "VerifiableCredential", "name": name});
        let err = canonicalize(&doc).unwrap_err();
        assert_eq!(err.pointer(), Some(pointer), "{err}");
    }
    let doc =
        json!({"@context": [V2], "id": "urn:uuid:1", "@id": "urn:uuid:2", "type": "VerifiableCredential"});
    assert!(canonicalize(&doc).unwrap_err().to_string().contains("twice"));
}

#[test]
fn included_nodes_are_stated() {
    let doc = json!({
        "@context": [V2],
        "id": "urn:uuid:1",
        "type": "VerifiableCredential",
        "@included": [{"id": "urn:uuid:2", "type": "VerifiableCredential"}]
    });
    let out = canonicalize(&doc).unwrap();
    assert!(
        out.contains("<urn:uuid:2> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"),
        "{out}"
    );
}

#[test]
fn a_term_that_looks_like_an_iri_must_mean_that_iri() {
    let doc = json!({
        "@context": [V2, {"ex": "https://example.com/", "ex:a": "https://other.example/b"}],
        "id": "urn:uuid:1", "type": "VerifiableCredential", "ex:a": 1
    });
    assert_eq!(
        canonicalize(&doc).unwrap_err().pointer(),
        Some("/@context/1/ex:a")
    );
}

#[test]
fn null_value_object_is_refused() {
    let doc = json!({"@context": [V2], "id": "urn:uuid:1", "type": "VerifiableCredential", "name": {"@value": null}});
    assert_eq!(canonicalize(&doc).unwrap_err().pointer(), Some("/name"));
}

#[test]
fn an_inline_scoped_context_is_validated_even_if_unused() {
    let doc = json!({
        "@context": [V2, {"ex": "https://example.com/", "box": {"@id": "ex:box", "@context": {"inner": "relative"}}}],
        "id": "urn:uuid:1", "type": "VerifiableCredential"
    });
    assert_eq!(
        canonicalize(&doc).unwrap_err().pointer(),
        Some("/@context/1/box/@context/inner")
    );
}

/// Contexts built from an inline context are not cached across nodes; a credential with an inline
/// context and hundreds of typed nodes must still be well within the bounds.
#[test]
fn inline_context_with_many_typed_nodes_is_fine() {
    let alignments: Vec<Value> = (0..1500)
        .map(|i| json!({"type": ["Alignment"], "targetName": format!("T{i}"), "targetUrl": format!("https://t.example/{i}")}))
        .collect();
    let doc = json!({
        "@context": [V2, OB3, {"note": "https://example.com/note"}],
        "id": "urn:uuid:1",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": "did:example:i", "type": "Profile"},
        "validFrom": "2025-01-01T00:00:00Z",
        "note": "inline",
        "credentialSubject": {"type": "AchievementSubject", "achievement": {
            "id": "urn:uuid:a", "type": "Achievement", "name": "A", "description": "D",
            "criteria": {"narrative": "N"}, "alignment": alignments}}
    });
    let out = canonicalize(&doc).unwrap();
    assert!(out.lines().count() > 4500);
}
