//! Qualification files: the shipped ones load, and malformed ones fail with file:line:column and a fix.

use microcred_stacking::{builtin, parse_qualification, Need, Qualification};

#[test]
fn every_builtin_loads_and_cites_a_source() {
    for b in builtin::ALL {
        let q = b.parse().unwrap_or_else(|e| panic!("{e}"));
        assert!(!q.source.trim().is_empty(), "{}", b.name);
        assert!(
            b.text.contains("# Source:"),
            "{} must cite its source in a comment",
            b.name
        );
    }
    assert!(builtin::find("es-grado-b-UC0223_3").is_some());
    assert!(builtin::find("nowhere").is_none());
}

#[test]
fn shipped_files_on_disk_are_the_builtins() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/qualifications");
    for b in builtin::ALL {
        let text = std::fs::read_to_string(format!("{dir}/{}.toml", b.name)).unwrap();
        assert_eq!(text, b.text);
    }
}

#[test]
fn json_and_toml_round_trip() {
    for b in builtin::ALL {
        let q = b.parse().unwrap();
        let json = serde_json::to_string_pretty(&q).unwrap();
        let again = parse_qualification("again.json", &json).unwrap_or_else(|e| panic!("{e}\n{json}"));
        assert_eq!(q, again);
        let toml_text = toml::to_string(&q).unwrap();
        let again: Qualification = parse_qualification("again.toml", &toml_text).unwrap();
        assert_eq!(q, again);
    }
}

const HEAD: &str = r#"id = "q"
title = "Q"
source = "test"
awarding_body = { id = "did:web:body.example", name = "Body" }

[[components]]
id = "unit-1"
title = "Unit 1"
"#;

fn error_of(file: &str, text: &str) -> String {
    parse_qualification(file, text).unwrap_err().to_string()
}

#[test]
fn a_requirement_that_says_nothing_points_at_its_table() {
    let text = format!("{HEAD}\n[[requirements]]\nname = \"empty\"\n");
    let error = error_of("q.toml", &text);
    assert!(error.starts_with("q.toml:10:1: "), "{error}");
    assert!(
        error.contains("all_of = ["),
        "the message shows how to write one: {error}"
    );
}

#[test]
fn n_of_out_of_range_names_the_range() {
    let text = format!("{HEAD}\n[[requirements]]\nn_of = 3\nof = [\"unit-1\"]\n");
    let error = error_of("q.toml", &text);
    assert!(
        error.contains("n_of = 3 but there are 1 to choose from; use 1 to 1"),
        "{error}"
    );
    assert!(error.starts_with("q.toml:10:"), "{error}");
}

#[test]
fn min_credits_without_a_system_says_which_to_write() {
    let text = format!("{HEAD}\n[[requirements]]\nmin_credits = 30\n");
    let error = error_of("q.toml", &text);
    assert!(error.contains("credit_system = \"ECTS\""), "{error}");
}

#[test]
fn unknown_component_suggests_the_nearest() {
    let text = format!("{HEAD}\n[[requirements]]\nall_of = [\"unit-l\"]\n");
    let error = error_of("q.toml", &text);
    assert!(error.starts_with("q.toml:11:11: "), "{error}");
    assert!(error.contains("did you mean \"unit-1\"?"), "{error}");
}

#[test]
fn unknown_field_and_bad_values_are_placed() {
    let text = format!("{HEAD}\n[[requirements]]\nall_off = [\"unit-1\"]\n");
    let error = error_of("q.toml", &text);
    assert!(error.contains("all_off"), "{error}");
    assert!(error.starts_with("q.toml:11:"), "{error}");

    let text = format!("{HEAD}\n[[requirements]]\nall_of = [\"unit-1\"]\nissuers = \"friends\"\n");
    let error = error_of("q.toml", &text);
    assert!(error.contains("\"same-provider\""), "{error}");
    assert!(error.starts_with("q.toml:12:"), "{error}");

    let text = format!("{HEAD}\n[[requirements]]\nall_of = [\"unit-1\"]\nmax_age = \"5 years\"\n");
    let error = error_of("q.toml", &text);
    assert!(error.contains("PT60H"), "{error}");
}

#[test]
fn json_errors_have_line_and_column() {
    let error = error_of("q.json", "{\n  \"id\": \"q\",\n  \"title\": 3\n}");
    assert!(error.starts_with("q.json:3:"), "{error}");
}

#[test]
fn nested_rules_parse() {
    let text = format!(
        "{HEAD}\n[[components]]\nid = \"unit-2\"\ntitle = \"Unit 2\"\n\n[[requirements]]\nn_of = 1\nrules = [{{ all_of = [\"unit-1\"] }}, {{ all_of = [\"unit-2\"], max_age = \"P2Y\" }}]\n"
    );
    let q = parse_qualification("q.toml", &text).unwrap();
    match &q.requirements[0].need {
        Need::Rules { n: 1, rules } => assert_eq!(rules.len(), 2),
        other => panic!("{other:?}"),
    }
}

#[test]
fn garbage_does_not_panic() {
    for text in [
        "",
        "[[[",
        "{",
        "requirements = 3",
        "\u{0}\u{1}",
        "id = \"q\"\nrequirements = [{ rules = [] }]",
    ] {
        assert!(parse_qualification("x.toml", text).is_err());
        let _ = parse_qualification("x.json", text);
    }
}
