//! Loading profiles: built-in names, files, and errors that name the file, the line and the fix.

use std::path::Path;

use microcred_rules::{Profile, RulesError};

const GOOD_RULE: &str = r#"
[[rule]]
id = "xx.need"
kind = "require"
path = "/relevance/labour_market_need"
severity = "error"
message = "No need stated."
fix = "State the need."
source = "Xx Act, s. 1"
"#;

fn header() -> String {
    "[profile]\nname = \"xx\"\ntitle = \"Xx\"\n".to_string()
}

fn error_of(text: &str) -> String {
    match Profile::from_toml(text, "xx.toml") {
        Ok(_) => panic!("should not load:\n{text}"),
        Err(error) => error.to_string(),
    }
}

#[test]
fn a_minimal_profile_loads() {
    let profile = Profile::from_toml(&(header() + GOOD_RULE), "xx.toml").unwrap();
    assert_eq!(profile.name, "xx");
    assert_eq!(profile.rule_count(), 1);
    assert_eq!(profile.rules[0].line, 5);
    assert_eq!(profile.rules[0].kind_name(), "require");
}

#[test]
fn an_unknown_rule_kind_names_the_file_line_and_nearest_kind() {
    let text = header() + &GOOD_RULE.replace("kind = \"require\"", "kind = \"requre\"");
    let error = error_of(&text);
    assert!(error.starts_with("xx.toml:5: "), "{error}");
    assert!(
        error.contains("unknown rule kind \"requre\" (did you mean \"require\"?)"),
        "{error}"
    );
    assert!(error.contains("level_between"), "lists the kinds: {error}");
}

#[test]
fn a_bad_path_names_the_line_and_the_fields_there() {
    let text = header() + &GOOD_RULE.replace("/relevance/labour_market_need", "/relevance/labour_need");
    let error = error_of(&text);
    assert!(error.starts_with("xx.toml:5: "), "{error}");
    assert!(error.contains("did you mean \"labour_market_need\""), "{error}");
    let text = header() + &GOOD_RULE.replace("/relevance/labour_market_need", "relevance");
    assert!(error_of(&text).contains("must be a JSON pointer"));
}

#[test]
fn a_missing_source_is_an_error() {
    let text = header() + &GOOD_RULE.replace("source = \"Xx Act, s. 1\"\n", "");
    let error = error_of(&text);
    assert!(error.starts_with("xx.toml:5: "), "{error}");
    assert!(error.contains("\"xx.need\": no source"), "{error}");
    let text = header() + &GOOD_RULE.replace("Xx Act, s. 1", "  ");
    assert!(error_of(&text).contains("no source"));
}

#[test]
fn a_misspelt_field_is_caught_by_the_toml_reader_with_its_line() {
    let text = header() + &GOOD_RULE.replace("severity", "sevrity");
    let error = error_of(&text);
    assert!(error.starts_with("xx.toml:"), "{error}");
    assert!(error.contains("sevrity"), "{error}");
}

#[test]
fn unknown_placeholders_severities_vocabulary_values_and_replaced_rules_are_errors() {
    let text = header() + &GOOD_RULE.replace("No need stated.", "No {valeu} stated.");
    assert!(error_of(&text).contains("unknown placeholder {valeu} (did you mean \"value\"?)"));
    let text = header() + &GOOD_RULE.replace("\"error\"", "\"eror\"");
    assert!(error_of(&text).contains("unknown severity \"eror\" (did you mean \"error\"?)"));
    let text = header()
        + &GOOD_RULE
            .replace("kind = \"require\"", "kind = \"one_of\"\nvalues = [\"onlin\"]")
            .replace("/relevance/labour_market_need", "/participation/modes");
    let error = error_of(&text);
    assert!(error.contains("did you mean \"online\"?"), "{error}");
    let text = header() + &GOOD_RULE.replace("kind", "replaces = [\"eu.mandatory.titel\"]\nkind");
    let error = error_of(&text);
    assert!(
        error.contains("not a rule of the EU baseline (did you mean \"eu.mandatory.title\"?)"),
        "{error}"
    );
}

#[test]
fn kinds_check_their_own_fields() {
    let range = header()
        + &GOOD_RULE.replace(
            "kind = \"require\"\npath = \"/relevance/labour_market_need\"",
            "kind = \"range\"\nmeasure = \"credits\"",
        );
    assert!(error_of(&range).contains("needs min, max, above or below"));
    let measure = header()
        + &GOOD_RULE.replace(
            "kind = \"require\"\npath = \"/relevance/labour_market_need\"",
            "kind = \"range\"\nmeasure = \"credit\"\nmax = 3",
        );
    assert!(error_of(&measure).contains("unknown measure \"credit\" (did you mean \"credits\"?)"));
    let level = header()
        + &GOOD_RULE.replace(
            "kind = \"require\"\npath = \"/relevance/labour_market_need\"",
            "kind = \"level_between\"\nmax = 3",
        );
    assert!(error_of(&level).contains("needs a framework"));
    let duplicate = header() + GOOD_RULE + GOOD_RULE;
    assert!(error_of(&duplicate).contains("used twice"));
    let change = header()
        + "[[change]]\npath = \"/assessment\"\npolicy = \"provder\"\nreason = \"r\"\nsource = \"s\"\n";
    assert!(error_of(&change).contains("did you mean \"provider\"?"));
    let unsourced = header() + "[[change]]\npath = \"/assessment\"\npolicy = \"provider\"\nreason = \"r\"\n";
    assert!(error_of(&unsourced).contains("no source"));
    let elements = header() + "[[element]]\nname = \"x\"\npath = \"/title\"\n";
    assert!(error_of(&elements).contains("EU baseline only"));
}

#[test]
fn a_toml_syntax_error_names_the_line() {
    let error = error_of(&(header() + "[[rule]\n"));
    assert!(error.starts_with("xx.toml:4"), "{error}");
}

#[test]
fn a_missing_file_names_the_file() {
    let error = Profile::from_file("no/such/profile.toml").unwrap_err();
    assert!(matches!(error, RulesError::Io { .. }));
    assert!(
        error.to_string().starts_with("no/such/profile.toml: cannot read"),
        "{error}"
    );
}

#[test]
fn builtin_names_countries_and_suggestions() {
    assert_eq!(Profile::builtin("IE").unwrap().name, "ie");
    assert_eq!(Profile::builtin("IRL").unwrap().name, "ie");
    assert_eq!(Profile::builtin("Malta").unwrap().name, "mt");
    let error = Profile::builtin("nl").unwrap_err().to_string();
    assert!(error.contains("did you mean \"nl-he\" or \"nl-mbo\"?"), "{error}");
    let error = Profile::builtin("Irland").unwrap_err().to_string();
    assert!(error.contains("did you mean \"ie\"?"), "{error}");
    let error = Profile::builtin("nl-hee").unwrap_err().to_string();
    assert!(error.contains("did you mean \"nl-he\"?"), "{error}");
    assert!(error.contains("available: eu, "), "{error}");
    for name in ["eu", "ie", "es", "hr", "ee", "nl-he", "nl-mbo", "mt"] {
        assert!(Profile::names().contains(&name), "{name} is built in");
    }
    assert_eq!(Profile::names()[0], "eu");
}

#[test]
fn every_shipped_file_validates_as_a_file_and_is_named_after_it() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("profiles");
    for name in Profile::names() {
        let profile = Profile::from_file(dir.join(format!("{name}.toml"))).unwrap();
        assert_eq!(profile.name, name, "the file name is the profile name");
        assert_eq!(
            profile,
            Profile::builtin(name).unwrap().with_origin(&profile.origin)
        );
    }
    let template = Profile::load(dir.join("template.toml").to_str().unwrap()).unwrap();
    assert_eq!(template.name, "xx");
    assert!(
        !Profile::names().contains(&"template"),
        "the template is not built in"
    );
}

#[test]
fn load_takes_names_and_paths() {
    assert_eq!(Profile::load("ie").unwrap().name, "ie");
    let error = Profile::load("profiles/none.toml").unwrap_err();
    assert!(matches!(error, RulesError::Io { .. }));
}
