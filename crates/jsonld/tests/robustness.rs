//! Mutated credentials never panic: every outcome is a canonical form or an error. The mutations
//! are generated deterministically (no extra dependencies), from a credential written here.

use microcred_jsonld::canonicalize;
use serde_json::{json, Value};

fn credential() -> Value {
    json!({
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
        ],
        "id": "urn:uuid:6a1d1f2e-0000-4000-8000-000000000001",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": "did:example:issuer", "type": ["Profile"], "name": "Issuer", "url": "https://issuer.example"},
        "validFrom": "2025-01-01T00:00:00Z",
        "name": "Badge",
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "achievement": {
                "id": "https://issuer.example/achievements/1",
                "type": ["Achievement"],
                "name": "Achievement",
                "description": "Description",
                "criteria": {"narrative": "Do it"},
                "alignment": [{"type": ["Alignment"], "targetName": "EQF 5", "targetUrl": "http://data.europa.eu/snb/eqf/5"}],
                "creditsAvailable": 5
            },
            "result": [{"type": ["Result"], "value": "A"}, {"type": ["Result"], "value": "A"}]
        },
        "proof": {
            "type": "DataIntegrityProof",
            "cryptosuite": "eddsa-rdfc-2022",
            "created": "2025-01-01T00:00:00Z",
            "verificationMethod": "did:example:issuer#key-1",
            "proofPurpose": "assertionMethod",
            "proofValue": "z111"
        }
    })
}

struct Lcg(u64);
impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n
    }
}

fn replacements() -> Vec<Value> {
    vec![
        Value::Null,
        json!(true),
        json!(1.5),
        json!(-3),
        json!(1e300),
        json!(""),
        json!("x"),
        json!("_:b0"),
        json!("@id"),
        json!("@type"),
        json!("relative/iri"),
        json!("http://a b"),
        json!([]),
        json!({}),
        json!(["a", 1]),
        json!([[1]]),
        json!({"@value": 1}),
        json!({"@value": "x", "@language": "en"}),
        json!({"@value": "x", "@type": "@id"}),
        json!({"@list": [1, {"@list": []}]}),
        json!({"@set": [1]}),
        json!({"@id": "rel"}),
        json!({"@id": "_:b1"}),
        json!({"@context": null}),
        json!({"@context": "https://evil.example"}),
        json!({"@context": {"@vocab": "https://v.example/"}, "q": 1}),
        json!({"@graph": [{"@id": "_:g"}]}),
        json!({"@language": "en"}),
        json!({"@type": "@json", "@value": {"a": [1, {}]}}),
        json!({"@reverse": {"name": {"@id": "_:r"}}}),
        json!({"@included": []}),
        json!({"@nest": {}}),
        json!({"@direction": "rtl", "@value": "x"}),
        json!({"@index": 1}),
    ]
}

const KEYS: &[&str] = &[
    "@id",
    "@type",
    "@context",
    "@graph",
    "@reverse",
    "@nest",
    "@included",
    "@value",
    "@list",
    "@set",
    "@language",
    "@index",
    "@base",
    "@vocab",
    "@foo",
    "foo",
    "_:x",
    "ex:y",
    "http://a b",
    "https://ok.example/p",
    "id",
    "type",
    "name",
    "proof",
    "verifiableCredential",
];

/// Visits a random value inside `v` and applies `f` to it.
fn mutate_at(v: &mut Value, rng: &mut Lcg, f: &mut dyn FnMut(&mut Value, &mut Lcg)) {
    let descend = rng.next(3) != 0;
    match v {
        Value::Object(map) if descend && !map.is_empty() => {
            let i = rng.next(map.len());
            let key = map.keys().nth(i).unwrap().clone();
            mutate_at(map.get_mut(&key).unwrap(), rng, f)
        }
        Value::Array(items) if descend && !items.is_empty() => {
            let i = rng.next(items.len());
            mutate_at(&mut items[i], rng, f)
        }
        _ => f(v, rng),
    }
}

#[test]
fn mutated_credentials_never_panic_and_are_deterministic() {
    let replacements = replacements();
    let mut rng = Lcg(0x5eed);
    let (mut ok, mut refused) = (0, 0);
    for _ in 0..3000 {
        let mut doc = credential();
        for _ in 0..=rng.next(3) {
            mutate_at(&mut doc, &mut rng, &mut |v, rng| match rng.next(3) {
                0 => *v = replacements[rng.next(replacements.len())].clone(),
                1 => {
                    if let Value::Object(map) = v {
                        if !map.is_empty() {
                            let i = rng.next(map.len());
                            let key = map.keys().nth(i).unwrap().clone();
                            let value = map.remove(&key).unwrap();
                            map.insert(KEYS[rng.next(KEYS.len())].to_string(), value);
                        }
                    }
                }
                _ => {
                    if let Value::Object(map) = v {
                        if !map.is_empty() {
                            let i = rng.next(map.len());
                            let key = map.keys().nth(i).unwrap().clone();
                            map.remove(&key);
                        }
                    }
                }
            });
        }
        let first = canonicalize(&doc);
        let second = canonicalize(&doc);
        assert_eq!(first, second, "{doc}");
        match first {
            Ok(_) => ok += 1,
            Err(e) => {
                assert!(!e.to_string().is_empty());
                refused += 1
            }
        }
    }
    eprintln!("{ok} canonicalized, {refused} refused");
    assert!(ok > 100 && refused > 100);
}
