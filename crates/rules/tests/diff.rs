//! Change impact: every changed element is listed and classified by the profile's policy.

use microcred_rules::{diff, Description, Profile};

const OLD: &str = r#"
title = "Data analytics for managers"
description = "Dashboards from sales data."
review_date = 2027-06-01
further_information = "https://uniz.example/mc"
countries = ["IRL"]
awarding_bodies = [{ name = "University of Zed" }]
workload = { hours = 125, credits = [{ system = "ECTS", points = 5 }] }
level = { eqf = 6 }
assessment = { types = ["project-work"], grading_scheme = "pass/fail" }
participation = { modes = ["online"] }
quality_assurance = [{ type = "programme", body = "QQI", valid_until = 2030-01-01 }]

[[learning_outcomes]]
text = "Build a dashboard from sales data"

[[learning_outcomes]]
text = "Explain a forecast to managers"
"#;

fn old() -> Description {
    toml::from_str(OLD).unwrap()
}

fn edited(from: &str, to: &str) -> Description {
    assert!(OLD.contains(from), "{from}");
    toml::from_str(&OLD.replacen(from, to, 1)).unwrap()
}

fn eu() -> Profile {
    Profile::builtin("eu").unwrap()
}

#[test]
fn identical_versions_have_no_changes() {
    let report = diff(&old(), &old(), &eu());
    assert!(report.changes.is_empty());
    assert!(!report.requires_revalidation);
}

#[test]
fn substantive_changes_require_revalidation_by_default() {
    for (from, to, path) in [
        (
            "Data analytics for managers",
            "Machine learning for managers",
            "/title/en",
        ),
        (
            "Explain a forecast to managers",
            "Explain a budget to managers",
            "/learning_outcomes/1/text/en",
        ),
        ("eqf = 6", "eqf = 7", "/level/eqf"),
        ("points = 5", "points = 6", "/workload/credits/0/points"),
        ("\"project-work\"", "\"written-exam\"", "/assessment/types"),
        ("pass/fail", "1-10", "/assessment/grading_scheme"),
        ("2030-01-01", "2031-01-01", "/quality_assurance/0/valid_until"),
        (
            "University of Zed",
            "University of Why",
            "/awarding_bodies/0/name/en",
        ),
    ] {
        let report = diff(&old(), &edited(from, to), &eu());
        assert_eq!(report.changes.len(), 1, "{from} -> {to}: {:#?}", report.changes);
        let change = &report.changes[0];
        assert_eq!(change.path, path);
        assert!(change.requires_revalidation, "{path}: {}", change.reason);
        assert!(report.requires_revalidation);
        assert!(!change.source.is_empty() && !change.rule.is_empty());
        assert!(change.before.is_some() && change.after.is_some());
    }
}

#[test]
fn editorial_changes_do_not() {
    for (from, to, rule) in [
        (
            "Dashboards from sales data.",
            "Dashboards and decisions from sales data.",
            "eu.change.description",
        ),
        ("2027-06-01", "2028-06-01", "eu.change.review-date"),
        (
            "https://uniz.example/mc",
            "https://uniz.example/courses/mc",
            "eu.change.further-information",
        ),
        (
            "Data analytics for managers",
            "Data analytics for managres",
            "eu.change.title",
        ),
        (
            "modes = [\"online\"]",
            "modes = [\"blended\"]",
            "eu.change.participation",
        ),
    ] {
        let report = diff(&old(), &edited(from, to), &eu());
        assert_eq!(report.changes.len(), 1, "{from}");
        assert_eq!(report.changes[0].rule, rule);
        assert!(
            !report.requires_revalidation,
            "{from} -> {to}: {}",
            report.changes[0].reason
        );
    }
    // A typo fix in the title is recognised as such; a changed number is not a typo.
    let typo = diff(&old(), &edited("Data analytics", "Data analytcs"), &eu());
    assert!(
        typo.changes[0].reason.contains("typo"),
        "{}",
        typo.changes[0].reason
    );
    let number = diff(
        &edited("managers\"", "managers 1\""),
        &edited("managers\"", "managers 2\""),
        &eu(),
    );
    assert!(number.requires_revalidation);
}

#[test]
fn an_inserted_outcome_is_one_added_element() {
    let new = edited(
        "[[learning_outcomes]]\ntext = \"Build",
        "[[learning_outcomes]]\ntext = \"Clean a data set\"\n\n[[learning_outcomes]]\ntext = \"Build",
    );
    let report = diff(&old(), &new, &eu());
    assert_eq!(report.changes.len(), 1, "{:#?}", report.changes);
    let change = &report.changes[0];
    assert_eq!(change.path, "/learning_outcomes/0");
    assert!(change.before.is_none());
    assert_eq!(change.after.as_ref().unwrap()["text"]["en"], "Clean a data set");
    assert_eq!(change.element, "learning outcomes (Annex I element 6)");
    assert!(change.requires_revalidation);
}

#[test]
fn adding_esco_links_is_the_providers_call() {
    let new = edited(
        "text = \"Build a dashboard from sales data\"",
        "text = \"Build a dashboard from sales data\"\nesco_skills = [\"http://data.europa.eu/esco/skill/ccdf3597-5c80-410f-896d-e1bdfa223de9\"]",
    );
    let report = diff(&old(), &new, &eu());
    assert_eq!(report.changes.len(), 1);
    assert_eq!(report.changes[0].path, "/learning_outcomes/0/esco_skills");
    assert!(!report.requires_revalidation);
    assert!(report.changes[0].reason.starts_with("the provider's decision"));
}

#[test]
fn profiles_override_the_defaults() {
    let new = edited("\"project-work\"", "\"project-work\", \"written-exam\"");
    let ireland = diff(&old(), &new, &Profile::builtin("ie").unwrap());
    assert!(ireland.requires_revalidation);
    assert_eq!(ireland.changes[0].rule, "ie.change.assessment");
    assert!(ireland.changes[0]
        .reason
        .contains("accommodations for individual learners"));
    let finland = diff(&old(), &new, &Profile::builtin("fi").unwrap());
    assert!(!finland.requires_revalidation);
    assert_eq!(finland.changes[0].rule, "fi.change.assessment");
    // Delivery mode: the provider's call by default, a QQI validation criterion in Ireland.
    let online = edited("modes = [\"online\"]", "modes = [\"presential\"]");
    assert!(!diff(&old(), &online, &eu()).requires_revalidation);
    assert!(diff(&old(), &online, &Profile::builtin("ie").unwrap()).requires_revalidation);
}

#[test]
fn removed_and_added_elements_show_before_or_after_only() {
    let new = edited("further_information = \"https://uniz.example/mc\"\n", "");
    let report = diff(&old(), &new, &eu());
    assert_eq!(report.changes[0].path, "/further_information");
    assert!(report.changes[0].after.is_none());
    let new = edited(
        "review_date = 2027-06-01\n",
        "review_date = 2027-06-01\nprerequisites = \"Basic spreadsheet skills\"\n",
    );
    let report = diff(&old(), &new, &eu());
    assert_eq!(report.changes[0].path, "/prerequisites");
    assert!(report.changes[0].before.is_none());
    assert_eq!(
        report.changes[0].element,
        "prerequisites (Annex I optional element)"
    );
    let json = serde_json::to_value(&report).unwrap();
    for field in [
        "path",
        "element",
        "before",
        "after",
        "requires_revalidation",
        "reason",
        "rule",
        "source",
    ] {
        assert!(json["changes"][0].get(field).is_some(), "{field}");
    }
}
