//! Prints the RDFC-1.0 canonical N-Quads of a JSON-LD file: `cargo run -p microcred-jsonld
//! --example canonicalize -- FILE.json`. With `--without-proof`, drops a top-level `proof` first;
//! with `--proof-config`, canonicalizes the (first) proof without `proofValue` under the
//! document's `@context`, as eddsa-rdfc-2022 does.

use serde_json::Value;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(file) = args.iter().find(|a| !a.starts_with("--")) else {
        eprintln!("usage: canonicalize [--without-proof|--proof-config] FILE.json");
        std::process::exit(2);
    };
    let text = std::fs::read_to_string(file).unwrap_or_else(|e| {
        eprintln!("{file}: {e}");
        std::process::exit(2)
    });
    let mut document: Value = serde_json::from_str(&text).unwrap_or_else(|e| {
        eprintln!("{file}: {e}");
        std::process::exit(2)
    });
    if args.iter().any(|a| a == "--proof-config") {
        let proof = match &document["proof"] {
            Value::Array(items) => items[0].clone(),
            other => other.clone(),
        };
        let mut config = proof.as_object().cloned().unwrap_or_default();
        config.remove("proofValue");
        config.remove("jws");
        config.insert("@context".into(), document["@context"].clone());
        document = Value::Object(config);
    } else if args.iter().any(|a| a == "--without-proof") {
        if let Some(map) = document.as_object_mut() {
            map.remove("proof");
        }
    }
    match microcred_jsonld::canonicalize(&document) {
        Ok(nquads) => print!("{nquads}"),
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
    }
}
