//! The OpenAPI document describes every route the server registers, with the right method.

use serde_json::Value;

#[test]
fn every_route_is_in_the_openapi_document() {
    let document: Value =
        serde_json::from_str(microcred_server::routes::meta::OPENAPI).expect("openapi.json is JSON");
    assert_eq!(document["openapi"], "3.1.0");
    let paths = document["paths"].as_object().expect("paths");
    let routes = microcred_server::app::route_table();
    assert!(routes.len() > 20, "the route table is populated");
    let mut missing = Vec::new();
    for (method, path) in &routes {
        let method = method.as_str().to_lowercase();
        if paths.get(*path).and_then(|p| p.get(&method)).is_none() {
            missing.push(format!("{method} {path}"));
        }
    }
    assert!(
        missing.is_empty(),
        "routes missing from crates/server/openapi.json: {missing:?}"
    );
    // And nothing documented that is not served.
    let served: Vec<String> = routes
        .iter()
        .map(|(m, p)| format!("{} {p}", m.as_str().to_lowercase()))
        .collect();
    for (path, item) in paths {
        for method in item.as_object().unwrap().keys() {
            assert!(
                served.contains(&format!("{method} {path}")),
                "documented but not served: {method} {path}"
            );
        }
    }
}
