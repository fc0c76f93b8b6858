//! Every rule of every shipped profile (and of the template) has a passing and a failing case. The cases
//! are data: `tests/cases/<profile>.toml` holds a base description for the profile's country and, per
//! rule, TOML patches over it that make the rule pass and fail. A coverage test keeps them complete, so
//! adding a country is adding a profile file and a cases file, without Rust.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use microcred_model::Date;
use microcred_rules::{check_on, Description, Profile, Report, Severity};
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CaseFile {
    /// The profile's complete, compliant description, as a patch over the EU one (tests/cases/eu.toml).
    base: String,
    #[serde(default)]
    case: Vec<Case>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    rule: String,
    #[serde(default)]
    pass: String,
    #[serde(default)]
    pass_remove: Vec<String>,
    #[serde(default)]
    fail: String,
    #[serde(default)]
    fail_remove: Vec<String>,
}

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

fn case_file(stem: &str) -> CaseFile {
    let path = dir().join(format!("tests/cases/{stem}.toml"));
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e}; every profile needs a cases file", path.display()));
    toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every profile with test cases: the built-in ones by name, and the template by its file stem.
fn profiles() -> Vec<(String, Profile)> {
    let mut all: Vec<(String, Profile)> = Profile::names()
        .into_iter()
        .map(|n| (n.to_string(), Profile::builtin(n).unwrap()))
        .collect();
    all.push((
        "template".into(),
        Profile::from_file(dir().join("profiles/template.toml")).unwrap(),
    ));
    all
}

fn today() -> Date {
    Date::parse("2026-01-01").unwrap()
}

fn merge(into: &mut toml::Table, patch: toml::Table) {
    for (key, value) in patch {
        match (into.get_mut(&key), value) {
            (Some(toml::Value::Table(existing)), toml::Value::Table(patch)) => merge(existing, patch),
            (_, value) => {
                into.insert(key, value);
            }
        }
    }
}

fn remove(table: &mut toml::Table, dotted: &str) {
    let (head, rest) = dotted
        .split_once('.')
        .map_or((dotted, None), |(h, r)| (h, Some(r)));
    match rest {
        None => {
            assert!(table.remove(head).is_some(), "nothing to remove at {dotted}");
        }
        Some(rest) => match table.get_mut(head) {
            Some(toml::Value::Table(inner)) => remove(inner, rest),
            _ => panic!("nothing to remove at {dotted}"),
        },
    }
}

fn parse(text: &str, what: &str) -> toml::Table {
    toml::from_str(text).unwrap_or_else(|e| panic!("{what}: {e}"))
}

fn description(stem: &str, patch: &str, removals: &[String]) -> Description {
    let mut table = parse(&case_file("eu").base, "eu base");
    merge(&mut table, parse(&case_file(stem).base, stem));
    merge(&mut table, parse(patch, "patch"));
    for key in removals {
        remove(&mut table, key);
    }
    toml::Value::Table(table)
        .try_into()
        .unwrap_or_else(|e| panic!("{stem} {patch}: {e}"))
}

fn run_with(stem: &str, profile: &Profile, patch: &str, removals: &[String]) -> Report {
    check_on(&description(stem, patch, removals), profile, today())
}

fn run(name: &str, patch: &str, removals: &[&str]) -> Report {
    let removals: Vec<String> = removals.iter().map(|s| s.to_string()).collect();
    run_with(name, &Profile::builtin(name).unwrap(), patch, &removals)
}

fn show(report: &Report) -> String {
    report
        .findings
        .iter()
        .map(|f| format!("  {:?} {} at {}: {}", f.severity, f.rule, f.path, f.message))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn every_case_passes_and_fails_as_written() {
    let mut failures = Vec::new();
    let mut count = 0;
    for (stem, profile) in profiles() {
        for case in case_file(&stem).case {
            count += 1;
            let at = format!("{stem}: {}", case.rule);
            if !profile.rules.iter().any(|r| r.id == case.rule)
                && !Profile::baseline().rules.iter().any(|r| r.id == case.rule)
            {
                failures.push(format!("{at}: no such rule"));
                continue;
            }
            let pass = run_with(&stem, &profile, &case.pass, &case.pass_remove);
            if pass.findings.iter().any(|f| f.rule == case.rule) {
                failures.push(format!("{at} should pass with {:?}:\n{}", case.pass, show(&pass)));
            }
            let fail = run_with(&stem, &profile, &case.fail, &case.fail_remove);
            match fail.findings.iter().find(|f| f.rule == case.rule) {
                None => failures.push(format!(
                    "{at} should fail with {:?} minus {:?}:\n{}",
                    case.fail,
                    case.fail_remove,
                    show(&fail)
                )),
                Some(finding) => {
                    for text in [&finding.message, &finding.fix, &finding.element, &finding.source] {
                        if [
                            "{value",
                            "{raw",
                            "{system}",
                            "{framework}",
                            "{min}",
                            "{max}",
                            "{above}",
                            "{below}",
                            "{allowed}",
                        ]
                        .iter()
                        .any(|p| text.contains(p))
                        {
                            failures.push(format!("{at}: placeholder left in {text:?}"));
                        }
                    }
                    if !finding.path.starts_with('/') {
                        failures.push(format!("{at}: path {:?} is not a JSON pointer", finding.path));
                    }
                }
            }
        }
    }
    assert!(count >= Profile::names().len(), "only {count} cases");
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

#[test]
fn every_rule_has_a_passing_and_a_failing_case() {
    let mut uncovered = Vec::new();
    for (stem, profile) in profiles() {
        let covered: BTreeSet<String> = case_file(&stem).case.into_iter().map(|c| c.rule).collect();
        for rule in &profile.rules {
            if !covered.contains(&rule.id) {
                uncovered.push(format!("{} (add a [[case]] to tests/cases/{stem}.toml)", rule.id));
            }
        }
    }
    assert!(
        uncovered.is_empty(),
        "rules without test cases: {}",
        uncovered.join(", ")
    );
}

#[test]
fn every_shipped_rule_cites_a_source_and_gives_a_fix() {
    for profile in Profile::all_builtin() {
        for rule in &profile.rules {
            assert!(!rule.source.trim().is_empty(), "{}: no source", rule.id);
            assert!(!rule.fix.trim().is_empty(), "{}: no fix", rule.id);
            assert!(!rule.message.trim().is_empty(), "{}: no message", rule.id);
            assert!(rule.evidence.is_some(), "{}: no evidence grade", rule.id);
            assert!(
                rule.id.starts_with(&format!("{}.", profile.name)),
                "{}: rule ids start with the profile name",
                rule.id
            );
        }
        for change in &profile.changes {
            assert!(!change.source.trim().is_empty(), "{}: no source", change.id);
            assert!(!change.reason.trim().is_empty(), "{}: no reason", change.id);
        }
    }
}

#[test]
fn a_complete_description_meets_the_eu_baseline_without_any_finding() {
    let report = run("eu", "", &[]);
    assert!(report.compliant());
    assert!(report.findings.is_empty(), "findings:\n{}", show(&report));
    let numbers: Vec<u8> = report.elements.iter().map(|e| e.number).collect();
    assert_eq!(numbers, vec![2, 3, 4, 6, 7, 8, 9, 10, 11]);
    assert!(report.elements.iter().all(|e| e.present));
}

#[test]
fn each_profile_base_description_is_compliant_under_its_profile() {
    for name in Profile::names() {
        let report = run(name, "", &[]);
        let errors: Vec<_> = report
            .findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .collect();
        assert!(errors.is_empty(), "{name}:\n{}", show(&report));
        assert_eq!(report.profile, name);
    }
}

#[test]
fn an_empty_description_reports_every_mandatory_element_missing() {
    let report = check_on(&Description::default(), &Profile::builtin("eu").unwrap(), today());
    assert!(!report.compliant());
    for rule in [
        "eu.mandatory.title",
        "eu.mandatory.country",
        "eu.mandatory.awarding-body",
        "eu.mandatory.learning-outcomes",
        "eu.mandatory.workload",
        "eu.mandatory.assessment",
        "eu.mandatory.participation",
        "eu.mandatory.quality-assurance",
    ] {
        let finding = report
            .findings
            .iter()
            .find(|f| f.rule == rule)
            .unwrap_or_else(|| panic!("{rule}"));
        assert_eq!(finding.severity, Severity::Error);
        assert!(finding.element.contains("Annex I element"), "{}", finding.element);
        assert!(finding.source.contains("Annex I"), "{}", finding.source);
    }
    let level = report
        .findings
        .iter()
        .find(|f| f.rule == "eu.mandatory.level")
        .unwrap();
    assert_eq!(level.severity, Severity::Warning);
    assert!(report.elements.iter().all(|e| !e.present));
    let qa = report
        .findings
        .iter()
        .find(|f| f.rule == "eu.mandatory.quality-assurance")
        .unwrap();
    assert_eq!(qa.element, "quality assurance (Annex I element 11)");
    assert_eq!(qa.path, "/quality_assurance");
    assert_eq!(
        qa.source,
        "Council Recommendation 2022/C 243/02, Annex I, element 11 [V]"
    );
}

/// The European Commission's own sample (shared/fixtures/elm/Sample-MC-Annex1-unsigned.jsonld), written
/// out as a description: it has no quality assurance and a participation duration of P60M.
#[test]
fn the_commission_sample_misses_quality_assurance_and_has_an_implausible_duration() {
    let sample: Description = toml::from_str(
        r#"
        title = "Digital micro-credential creation"
        countries = ["IRL"]
        awarding_bodies = [{ name = "University of Zed", id = "urn:epass:org:1" }]
        learning_outcomes = [
            { text = "Communication, collaboration and creativity", esco_skills = ["http://data.europa.eu/esco/skill/ccdf3597-5c80-410f-896d-e1bdfa223de9"] },
            { text = "Developing digital content", esco_skills = ["http://data.europa.eu/esco/skill/5fd5c985-eaaa-47aa-8314-62359c54505a"] },
        ]
        workload = { hours = 60, credits = [{ system = "ECTS", points = 2 }] }
        level = { eqf = 6 }
        assessment = { types = ["artefact"], supervision = "unsupervised-no-id" }
        participation = { modes = ["blended"], setting = "non-formal", duration = "P60M" }
        "#,
    )
    .unwrap();
    let report = check_on(&sample, &Profile::builtin("eu").unwrap(), today());
    assert!(!report.compliant());
    let errors: Vec<&str> = report
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .map(|f| f.rule.as_str())
        .collect();
    assert_eq!(errors, vec!["eu.mandatory.quality-assurance"]);
    let duration = report
        .findings
        .iter()
        .find(|f| f.rule == "eu.plausibility.duration-long")
        .unwrap();
    assert_eq!(duration.severity, Severity::Warning);
    assert_eq!(duration.path, "/participation/duration");
    assert!(
        duration.message.contains("P60M is 60 months"),
        "{}",
        duration.message
    );
    assert!(
        duration.fix.contains("PT60H") && duration.fix.contains("PT60M"),
        "{}",
        duration.fix
    );
    let eleven = report.elements.iter().find(|e| e.number == 11).unwrap();
    assert!(!eleven.present);
}

#[test]
fn a_national_rule_replaces_the_baseline_rule_it_names_only_where_it_applies() {
    // Ireland requires the learner profile (error) instead of the baseline's advice.
    let report = run("ie", "", &["relevance.target_learners"]);
    assert!(report
        .findings
        .iter()
        .any(|f| f.rule == "ie.qqi.learner-profile" && f.severity == Severity::Error));
    assert!(!report
        .findings
        .iter()
        .any(|f| f.rule == "eu.annex2.learner-centred.target-learners"));
    // The FET stacking rule replaces the baseline's stackability advice only for FET credits.
    let he = run("ie", "", &["stackability"]);
    assert!(he
        .findings
        .iter()
        .any(|f| f.rule == "eu.annex2.pathways.stackability"));
    assert!(!he.findings.iter().any(|f| f.rule == "ie.fet.minor-award-stacks"));
}

#[test]
fn findings_serialize_with_the_agreed_field_names() {
    let report = run("eu", "", &["quality_assurance"]);
    let json = serde_json::to_value(&report).unwrap();
    let finding = &json["findings"][0];
    for field in ["severity", "element", "rule", "source", "path", "message", "fix"] {
        assert!(finding.get(field).is_some(), "{field} missing in {finding}");
    }
    assert_eq!(finding["severity"], "error");
    assert_eq!(json["profile"], "eu");
    assert!(json["rules_version"].is_string());
    assert_eq!(
        json["elements"][0],
        serde_json::json!({"number": 2, "name": "title", "present": true})
    );
}
