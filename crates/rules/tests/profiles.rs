//! Every rule of every shipped profile has a passing and a failing case, written as TOML patches over a
//! complete description for the profile's country. A coverage test keeps the table complete.

use std::collections::BTreeSet;

use microcred_model::Date;
use microcred_rules::{check_on, Description, Profile, Report, Severity};

/// A description that satisfies the EU baseline completely (no finding at all on `today()`).
const BASE: &str = r#"
id = "https://uniz.example/mc/data-analytics"
version = "1.0"
review_date = 2027-06-01
title = { en = "Data analytics for managers" }
description = "Dashboards and decisions from sales data."
languages = ["en"]
countries = ["IRL"]
further_information = "https://uniz.example/mc"

[[awarding_bodies]]
name = "University of Zed"
id = "https://uniz.example"
country = "IRL"

[[learning_outcomes]]
text = "Build a dashboard from sales data"
kind = "skill"
esco_skills = ["http://data.europa.eu/esco/skill/ccdf3597-5c80-410f-896d-e1bdfa223de9"]

[[learning_outcomes]]
text = "Explain a forecast to a management team"

[workload]
hours = 125
credits = [{ system = "ECTS", points = 5 }]

[level]
eqf = 6

[assessment]
types = ["project-work", "oral-exam"]
grading_scheme = "pass/fail"
supervision = "supervised-with-id"

[participation]
modes = ["online"]
duration = "P10W"

[[quality_assurance]]
type = "programme"
body = "Quality and Qualifications Ireland"
reference = "QQI-2025-001"
valid_from = 2025-01-01
valid_until = 2030-01-01
external = true

[relevance]
labour_market_need = "Regional employers asked for managers who read data (Skillnet survey 2024)."
target_learners = "Working managers without a statistics background."
occupations = ["http://data.europa.eu/esco/occupation/0e5e1c1e-0000-0000-0000-000000000000"]

[stackability]
stand_alone = true
towards = ["MSc Business Analytics"]
"#;

/// Per profile: the patch that makes BASE a complete, compliant description for that country.
fn profile_base(profile: &str) -> &'static str {
    match profile {
        "eu" => "",
        "ie" => r#"
            countries = ["IRL"]
            workload = { hours = 250, credits = [{ system = "ECTS", points = 10 }] }
            level = { eqf = 6, nqf = { framework = "IE-NFQ", level = "8" } }
            participation = { modes = ["blended"], duration = "P12W" }
        "#,
        "es" => r#"
            countries = ["ESP"]
            awarding_bodies = [{ name = "Centro Integrado de FP Zeta", country = "ESP", id = "https://cifp.example" }]
            level = { eqf = 3, nqf = { framework = "ES-FP", level = "A2" } }
            stackability = { stand_alone = true, towards = ["Certificado de competencia (grado B) ADG"] }
        "#,
        "hr" => r#"
            countries = ["HRV"]
            awarding_bodies = [{ name = "Pučko otvoreno učilište Zed", country = "HRV", id = "https://pou.example" }]
            workload = { hours = 150, credits = [{ system = "CSVET", points = 6 }, { system = "ECTS", points = 6 }] }
            level = { eqf = 4, nqf = { framework = "HR-CROQF", level = "4.1" } }
        "#,
        "ee" => r#"
            countries = ["EST"]
            awarding_bodies = [{ name = "Tallinn University of Zed", country = "EST", id = "https://tz.example" }]
            workload = { hours = 156, credits = [{ system = "ECTS", points = 6 }] }
            level = { eqf = 5, nqf = { framework = "EE-EstQF", level = "5" } }
        "#,
        "nl-he" => r#"
            countries = ["NLD"]
            awarding_bodies = [{ name = "Hogeschool Zed", country = "NLD", id = "https://hz.example" }]
            workload = { hours = 140, credits = [{ system = "EC", points = 5 }] }
            level = { eqf = 6, nqf = { framework = "NL-NLQF", level = "6" } }
        "#,
        "nl-mbo" => r#"
            countries = ["NLD"]
            awarding_bodies = [{ name = "ROC Zed", country = "NLD", id = "https://roc.example" }]
            workload = { hours = 240, credits = [{ system = "ECTS", points = 9 }] }
            level = { eqf = 4, nqf = { framework = "NL-NLQF", level = "4" } }
        "#,
        "mt" => r#"
            countries = ["MLT"]
            awarding_bodies = [{ name = "Malta College of Zed", country = "MLT", id = "https://mcz.example" }]
            workload = { hours = 100, credits = [{ system = "ECTS", points = 4 }] }
            level = { eqf = 5, nqf = { framework = "MT-MQF", level = "5" } }
        "#,
        "fi" => r#"
            countries = ["FIN"]
        "#,
        "be-vlg" => r#"
            countries = ["BEL"]
            stackability = { stand_alone = false, towards = ["Beroepskwalificatie Data-analist"] }
        "#,
        other => panic!("no base description for profile {other}"),
    }
}

/// One test case: a rule, the profile it is checked under, and the patches that make it pass and fail.
/// A patch is TOML merged over the profile's base description: tables merge key by key (so
/// `level = { eqf = 6 }` keeps the base's `level.nqf`), every other value replaces; the dotted keys in
/// `*_remove` are then deleted.
struct Case {
    rule: &'static str,
    profile: &'static str,
    pass: &'static str,
    pass_remove: &'static [&'static str],
    fail: &'static str,
    fail_remove: &'static [&'static str],
}

const fn case(rule: &'static str, profile: &'static str, pass: &'static str, fail: &'static str) -> Case {
    Case { rule, profile, pass, pass_remove: &[], fail, fail_remove: &[] }
}

const fn missing(rule: &'static str, profile: &'static str, remove: &'static [&'static str]) -> Case {
    Case { rule, profile, pass: "", pass_remove: &[], fail: "", fail_remove: remove }
}

const CASES: &[Case] = &[
    // ---- EU baseline: Annex I mandatory elements.
    missing("eu.mandatory.title", "eu", &["title"]),
    missing("eu.mandatory.country", "eu", &["countries"]),
    missing("eu.mandatory.awarding-body", "eu", &["awarding_bodies"]),
    case("eu.mandatory.awarding-body-name", "eu", "", r#"awarding_bodies = [{ id = "https://uniz.example" }]"#),
    missing("eu.mandatory.learning-outcomes", "eu", &["learning_outcomes"]),
    case(
        "eu.mandatory.learning-outcome-text",
        "eu",
        "",
        r#"learning_outcomes = [{ text = "Build a dashboard", esco_skills = ["http://data.europa.eu/esco/skill/x"] }, { kind = "skill" }]"#,
    ),
    missing("eu.mandatory.workload", "eu", &["workload"]),
    missing("eu.mandatory.level", "eu", &["level"]),
    missing("eu.mandatory.assessment", "eu", &["assessment.types"]),
    missing("eu.mandatory.participation", "eu", &["participation.modes"]),
    missing("eu.mandatory.quality-assurance", "eu", &["quality_assurance"]),
    // ---- The definition.
    case("eu.definition.assessed", "eu", r#"assessment.types = ["attendance", "quiz"]"#, r#"assessment.types = ["attendance"]"#),
    case(
        "eu.definition.small-volume-ects",
        "eu",
        r#"workload = { hours = 1500, credits = [{ system = "ECTS", points = 60 }] }"#,
        r#"workload = { hours = 1875, credits = [{ system = "ECTS", points = 75 }] }"#,
    ),
    case(
        "eu.definition.small-volume-hours",
        "eu",
        r#"workload = { hours = 1800, credits = [{ system = "ECTS", points = 60 }] }"#,
        r#"workload = { hours = 2000, credits = [{ system = "ECTS", points = 60 }] }"#,
    ),
    // ---- Workload.
    case(
        "eu.workload.ects",
        "eu",
        r#"workload.credits = [{ system = "ECVET", points = 5 }, { system = "ECTS", points = 5 }]"#,
        r#"workload.credits = [{ system = "ECVET", points = 5 }]"#,
    ),
    case("eu.workload.hours-per-ects", "eu", "workload.hours = 150", "workload.hours = 60"),
    case(
        "eu.workload.hours-per-ects",
        "eu",
        r#"workload = { hours = 120, credits = [{ system = "ECTS", points = 5 }] }"#,
        r#"workload = { credits = [{ system = "ECTS", points = 5, hours_per_credit = 40 }] }"#,
    ),
    case(
        "eu.workload.positive-credits",
        "eu",
        "",
        r#"workload.credits = [{ system = "ECTS", points = 0 }]"#,
    ),
    case("eu.workload.positive-hours", "eu", "", "workload = { hours = 0 }"),
    // ---- Plausibility of the participation duration.
    case("eu.plausibility.duration-long", "eu", r#"participation.duration = "P6M""#, r#"participation.duration = "P60M""#),
    case("eu.plausibility.duration-short", "eu", r#"participation.duration = "PT60H""#, r#"participation.duration = "PT30M""#),
    // ---- Annex II.
    case("eu.annex2.quality.not-expired", "eu", "", "quality_assurance = [{ type = \"programme\", body = \"QQI\", valid_until = 2020-01-01, external = true }]"),
    case("eu.annex2.quality.body", "eu", "", r#"quality_assurance = [{ type = "programme", external = true }]"#),
    case("eu.annex2.quality.type", "eu", "", r#"quality_assurance = [{ body = "QQI", external = true }]"#),
    case("eu.annex2.quality.external", "eu", "", r#"quality_assurance = [{ type = "institutional", body = "UniZ", external = false }]"#),
    case("eu.annex2.transparency.esco-skills", "eu", "", r#"learning_outcomes = [{ text = "Build a dashboard" }]"#),
    case(
        "eu.annex2.transparency.esco-uri",
        "eu",
        "",
        r#"learning_outcomes = [{ text = "Build a dashboard", esco_skills = ["S1.2.3 build dashboards"] }]"#,
    ),
    missing("eu.annex2.relevance.labour-market-need", "eu", &["relevance.labour_market_need"]),
    missing("eu.annex2.relevance.review-date", "eu", &["review_date"]),
    case("eu.annex2.relevance.review-date-passed", "eu", "review_date = 2026-01-01", "review_date = 2025-12-31"),
    case("eu.annex2.relevance.occupation-uri", "eu", "", r#"relevance.occupations = ["data manager"]"#),
    missing("eu.annex2.learner-centred.target-learners", "eu", &["relevance.target_learners"]),
    missing("eu.annex2.valid-assessment.supervision", "eu", &["assessment.supervision"]),
    missing("eu.annex2.valid-assessment.grading", "eu", &["assessment.grading_scheme"]),
    missing("eu.annex2.pathways.stackability", "eu", &["stackability"]),
    case("eu.annex2.authentic.awarding-body-id", "eu", "", r#"awarding_bodies = [{ name = "University of Zed" }]"#),
    // ---- Ireland.
    case("ie.country", "ie", "", r#"countries = ["GBR"]"#),
    case(
        "ie.qqi.credit-range",
        "ie",
        r#"workload = { hours = 750, credits = [{ system = "ECTS", points = 30 }] }"#,
        r#"workload = { hours = 1000, credits = [{ system = "ECTS", points = 40 }] }"#,
    ),
    case(
        "ie.qqi.credit-range",
        "ie",
        r#"workload = { hours = 50, credits = [{ system = "QQI-FET", points = 5 }] }"#,
        r#"workload = { hours = 30, credits = [{ system = "QQI-FET", points = 3 }] }"#,
    ),
    Case {
        rule: "ie.qqi.credits-declared",
        profile: "ie",
        pass: r#"workload = { hours = 100, credits = [{ system = "QQI-FET", points = 10 }] }"#,
        pass_remove: &[],
        fail: "",
        fail_remove: &["workload.credits"],
    },
    missing("ie.qqi.labour-market-need", "ie", &["relevance.labour_market_need"]),
    missing("ie.qqi.learner-profile", "ie", &["relevance.target_learners"]),
    case("ie.qqi.delivery", "ie", r#"participation.modes = ["online", "presential"]"#, r#"participation.modes = ["presential"]"#),
    missing("ie.nfq.level", "ie", &["level.nqf"]),
    case("ie.nfq.range", "ie", "", r#"level = { eqf = 6, nqf = { framework = "IE-NFQ", level = "11" } }"#),
    case(
        "ie.nfq.eqf-6-is-5",
        "ie",
        r#"level = { eqf = 5, nqf = { framework = "IE-NFQ", level = "6" } }"#,
        r#"level = { eqf = 6, nqf = { framework = "IE-NFQ", level = "6" } }"#,
    ),
    case(
        "ie.fet.minor-award-l1-2",
        "ie",
        r#"level = { eqf = 2, nqf = { framework = "IE-NFQ", level = "2" } }
           workload = { hours = 50, credits = [{ system = "QQI-FET", points = 5 }] }"#,
        r#"level = { eqf = 2, nqf = { framework = "IE-NFQ", level = "2" } }
           workload = { hours = 100, credits = [{ system = "QQI-FET", points = 10 }] }"#,
    ),
    case(
        "ie.fet.minor-award-l3-4",
        "ie",
        r#"level = { eqf = 4, nqf = { framework = "IE-NFQ", level = "4" } }
           workload = { hours = 100, credits = [{ system = "QQI-FET", points = 10 }] }"#,
        r#"level = { eqf = 4, nqf = { framework = "IE-NFQ", level = "4" } }
           workload = { hours = 150, credits = [{ system = "QQI-FET", points = 15 }] }"#,
    ),
    case(
        "ie.fet.minor-award-l5-6",
        "ie",
        r#"level = { eqf = 4, nqf = { framework = "IE-NFQ", level = "5" } }
           workload = { hours = 150, credits = [{ system = "QQI-FET", points = 15 }] }"#,
        r#"level = { eqf = 4, nqf = { framework = "IE-NFQ", level = "5" } }
           workload = { hours = 100, credits = [{ system = "QQI-FET", points = 10 }] }"#,
    ),
    Case {
        rule: "ie.fet.minor-award-stacks",
        profile: "ie",
        pass: r#"level = { eqf = 4, nqf = { framework = "IE-NFQ", level = "5" } }
                 workload = { hours = 150, credits = [{ system = "QQI-FET", points = 15 }] }
                 stackability = { stand_alone = true, towards = ["QQI Level 5 Certificate in Business"] }"#,
        pass_remove: &[],
        fail: r#"level = { eqf = 4, nqf = { framework = "IE-NFQ", level = "5" } }
                 workload = { hours = 150, credits = [{ system = "QQI-FET", points = 15 }] }"#,
        fail_remove: &["stackability"],
    },
    // ---- Spain.
    case("es.country", "es", "", r#"countries = ["FRA"]"#),
    missing("es.fp.grade", "es", &["level.nqf"]),
    case("es.fp.grade", "es", r#"level.nqf = { framework = "ES-FP", level = "C3" }"#, r#"level.nqf = { framework = "ES-FP", level = "A" }"#),
    case("es.fp.grade-format", "es", r#"level.nqf = { framework = "ES-FP", level = "C3" }"#, r#"level.nqf = { framework = "ES-FP", level = "A5" }"#),
    case("es.fp.grade-d-e", "es", r#"level.nqf = { framework = "ES-FP", level = "B2" }"#, r#"level.nqf = { framework = "ES-FP", level = "D2" }"#),
    case(
        "es.fp.no-entry-requirement",
        "es",
        r#"level.nqf = { framework = "ES-FP", level = "C2" }
           prerequisites = "Grade B certificate in the same family""#,
        r#"prerequisites = "Secondary school diploma""#,
    ),
    missing("es.fp.a-stacks-into-b", "es", &["stackability"]),
    Case {
        rule: "es.fp.b-stacks-into-c",
        profile: "es",
        pass: r#"level.nqf = { framework = "ES-FP", level = "B2" }"#,
        pass_remove: &[],
        fail: r#"level.nqf = { framework = "ES-FP", level = "B2" }"#,
        fail_remove: &["stackability"],
    },
    // ---- Croatia.
    case("hr.country", "hr", "", r#"countries = ["DEU"]"#),
    case("hr.csvet.declared", "hr", "", r#"workload.credits = [{ system = "ECTS", points = 6 }]"#),
    case(
        "hr.csvet.micro-qualification",
        "hr",
        r#"workload = { hours = 225, credits = [{ system = "CSVET", points = 9 }] }"#,
        r#"workload = { hours = 300, credits = [{ system = "CSVET", points = 12 }] }"#,
    ),
    missing("hr.croqf.level", "hr", &["level.nqf"]),
    case("hr.approval.reference", "hr", "", r#"quality_assurance = [{ type = "programme", body = "Ministry of Science and Education", external = true }]"#),
    // ---- Estonia.
    case("ee.country", "ee", "", r#"countries = ["LVA"]"#),
    case("ee.ects.declared", "ee", "", r#"workload.credits = [{ system = "ECVET", points = 6 }]"#),
    case(
        "ee.ects.range",
        "ee",
        r#"workload = { hours = 780, credits = [{ system = "ECTS", points = 30 }] }"#,
        r#"workload = { hours = 78, credits = [{ system = "ECTS", points = 3 }] }"#,
    ),
    missing("ee.estqf.level", "ee", &["level.nqf"]),
    case("ee.estqf.range", "ee", "", r#"level = { eqf = 5, nqf = { framework = "EE-EstQF", level = "9" } }"#),
    case("ee.qa.recognised", "ee", "", r#"quality_assurance = [{ type = "programme", external = true }]"#),
    missing("ee.pathways", "ee", &["stackability"]),
    // ---- Netherlands HE.
    case("nl-he.country", "nl-he", "", r#"countries = ["BEL"]"#),
    missing("nl-he.ec.declared", "nl-he", &["workload.credits"]),
    case(
        "nl-he.ec.range",
        "nl-he",
        r#"workload = { hours = 840, credits = [{ system = "EC", points = 30 }] }"#,
        r#"workload = { hours = 1120, credits = [{ system = "EC", points = 40 }] }"#,
    ),
    case(
        "nl-he.ec.experiment",
        "nl-he",
        r#"workload = { hours = 84, credits = [{ system = "EC", points = 3 }] }"#,
        r#"workload = { hours = 28, credits = [{ system = "EC", points = 1 }] }"#,
    ),
    missing("nl-he.level", "nl-he", &["level"]),
    case("nl-he.eqf-range", "nl-he", "level = { eqf = 5 }", "level = { eqf = 4 }"),
    // ---- Netherlands MBO.
    case("nl-mbo.country", "nl-mbo", "", r#"countries = ["DEU"]"#),
    missing("nl-mbo.hours.declared", "nl-mbo", &["workload.hours"]),
    case(
        "nl-mbo.hours.minimum",
        "nl-mbo",
        r#"workload = { hours = 240 }"#,
        r#"workload = { hours = 200 }"#,
    ),
    missing("nl-mbo.level", "nl-mbo", &["level"]),
    // ---- Malta.
    case("mt.country", "mt", "", r#"countries = ["ITA"]"#),
    case("mt.ects.hours", "mt", "workload.hours = 100", "workload.hours = 120"),
    case(
        "mt.award.level-7",
        "mt",
        r#"level = { eqf = 7, nqf = { framework = "MT-MQF", level = "7" } }
           workload = { hours = 725, credits = [{ system = "ECTS", points = 29 }] }"#,
        r#"level = { eqf = 7, nqf = { framework = "MT-MQF", level = "7" } }
           workload = { hours = 750, credits = [{ system = "ECTS", points = 30 }] }"#,
    ),
    // Only the EQF level given: read as the MQF level.
    Case {
        rule: "mt.award.level-7",
        profile: "mt",
        pass: r#"level = { eqf = 7 }
                 workload = { hours = 725, credits = [{ system = "ECTS", points = 29 }] }"#,
        pass_remove: &["level.nqf"],
        fail: r#"level = { eqf = 7 }
                 workload = { hours = 750, credits = [{ system = "ECTS", points = 30 }] }"#,
        fail_remove: &["level.nqf"],
    },
    case(
        "mt.award.level-5",
        "mt",
        r#"workload = { hours = 1475, credits = [{ system = "ECTS", points = 59 }] }"#,
        r#"workload = { hours = 1500, credits = [{ system = "ECTS", points = 60 }] }"#,
    ),
    case(
        "mt.award.level-4",
        "mt",
        r#"level = { eqf = 4, nqf = { framework = "MT-MQF", level = "4" } }
           workload = { hours = 1475, credits = [{ system = "ECTS", points = 59 }] }"#,
        r#"level = { eqf = 4, nqf = { framework = "MT-MQF", level = "4" } }
           workload = { hours = 3000, credits = [{ system = "ECTS", points = 120 }] }"#,
    ),
    case(
        "mt.award.level-2-3",
        "mt",
        r#"level = { eqf = 3, nqf = { framework = "MT-MQF", level = "3" } }
           workload = { hours = 1250, credits = [{ system = "ECTS", points = 50 }] }"#,
        r#"level = { eqf = 3, nqf = { framework = "MT-MQF", level = "3" } }
           workload = { hours = 1500, credits = [{ system = "ECTS", points = 60 }] }"#,
    ),
    case(
        "mt.award.level-1",
        "mt",
        r#"level = { eqf = 1, nqf = { framework = "MT-MQF", level = "1" } }
           workload = { hours = 975, credits = [{ system = "ECTS", points = 39 }] }"#,
        r#"level = { eqf = 1, nqf = { framework = "MT-MQF", level = "1" } }
           workload = { hours = 1000, credits = [{ system = "ECTS", points = 40 }] }"#,
    ),
    case("mt.mqf.range", "mt", "", r#"level = { eqf = 5, nqf = { framework = "MT-MQF", level = "9" } }"#),
    // ---- Finland, Belgium (Flanders).
    case("fi.country", "fi", "", r#"countries = ["SWE"]"#),
    case("be-vlg.country", "be-vlg", "", r#"countries = ["NLD"]"#),
    missing("be-vlg.pathways.declared", "be-vlg", &["stackability.towards"]),
    case("be-vlg.pathways.not-stand-alone", "be-vlg", "", "stackability.stand_alone = true"),
];

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
    let (head, rest) = dotted.split_once('.').map_or((dotted, None), |(h, r)| (h, Some(r)));
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

pub fn description(profile: &str, patch: &str, removals: &[&str]) -> Description {
    let mut table = parse(BASE, "base");
    merge(&mut table, parse(profile_base(profile), profile));
    merge(&mut table, parse(patch, "patch"));
    for key in removals {
        remove(&mut table, key);
    }
    toml::Value::Table(table).try_into().unwrap_or_else(|e| panic!("{profile} {patch}: {e}"))
}

fn run(profile: &str, patch: &str, removals: &[&str]) -> Report {
    check_on(&description(profile, patch, removals), &Profile::builtin(profile).unwrap(), today())
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
    for case in CASES {
        let pass = run(case.profile, case.pass, case.pass_remove);
        if pass.findings.iter().any(|f| f.rule == case.rule) {
            failures.push(format!("{} should pass with {:?}:\n{}", case.rule, case.pass, show(&pass)));
        }
        let fail = run(case.profile, case.fail, case.fail_remove);
        match fail.findings.iter().find(|f| f.rule == case.rule) {
            None => failures.push(format!(
                "{} should fail with {:?} minus {:?}:\n{}",
                case.rule,
                case.fail,
                case.fail_remove,
                show(&fail)
            )),
            Some(finding) => {
                for text in [&finding.message, &finding.fix, &finding.element, &finding.source] {
                    if text.contains("{value") || text.contains("{raw") || text.contains("{system}") {
                        failures.push(format!("{}: placeholder left in {text:?}", case.rule));
                    }
                }
                if !finding.path.starts_with('/') {
                    failures.push(format!("{}: path {:?} is not a JSON pointer", case.rule, finding.path));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n\n"));
}

#[test]
fn every_shipped_rule_has_a_passing_and_a_failing_case() {
    let covered: BTreeSet<&str> = CASES.iter().map(|c| c.rule).collect();
    let mut uncovered = Vec::new();
    for profile in Profile::all_builtin() {
        for rule in &profile.rules {
            if !covered.contains(rule.id.as_str()) {
                uncovered.push(format!("{} ({})", rule.id, profile.name));
            }
        }
    }
    assert!(uncovered.is_empty(), "rules without test cases: {}", uncovered.join(", "));
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
        let errors: Vec<_> = report.findings.iter().filter(|f| f.severity == Severity::Error).collect();
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
        let finding = report.findings.iter().find(|f| f.rule == rule).unwrap_or_else(|| panic!("{rule}"));
        assert_eq!(finding.severity, Severity::Error);
        assert!(finding.element.contains("Annex I element"), "{}", finding.element);
        assert!(finding.source.contains("Annex I"), "{}", finding.source);
    }
    let level = report.findings.iter().find(|f| f.rule == "eu.mandatory.level").unwrap();
    assert_eq!(level.severity, Severity::Warning);
    assert!(report.elements.iter().all(|e| !e.present));
    let qa = report.findings.iter().find(|f| f.rule == "eu.mandatory.quality-assurance").unwrap();
    assert_eq!(qa.element, "quality assurance (Annex I element 11)");
    assert_eq!(qa.path, "/quality_assurance");
    assert_eq!(qa.source, "Council Recommendation 2022/C 243/02, Annex I, element 11 [V]");
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
    let errors: Vec<&str> =
        report.findings.iter().filter(|f| f.severity == Severity::Error).map(|f| f.rule.as_str()).collect();
    assert_eq!(errors, vec!["eu.mandatory.quality-assurance"]);
    let duration = report.findings.iter().find(|f| f.rule == "eu.plausibility.duration-long").unwrap();
    assert_eq!(duration.severity, Severity::Warning);
    assert_eq!(duration.path, "/participation/duration");
    assert!(duration.message.contains("P60M is 60 months"), "{}", duration.message);
    assert!(duration.fix.contains("PT60H") && duration.fix.contains("PT60M"), "{}", duration.fix);
    let eleven = report.elements.iter().find(|e| e.number == 11).unwrap();
    assert!(!eleven.present);
}

#[test]
fn a_national_rule_replaces_the_baseline_rule_it_names_only_where_it_applies() {
    // Ireland requires the learner profile (error) instead of the baseline's advice.
    let report = run("ie", "", &["relevance.target_learners"]);
    assert!(report.findings.iter().any(|f| f.rule == "ie.qqi.learner-profile" && f.severity == Severity::Error));
    assert!(!report.findings.iter().any(|f| f.rule == "eu.annex2.learner-centred.target-learners"));
    // The FET stacking rule replaces the baseline's stackability advice only for FET credits.
    let he = run("ie", "", &["stackability"]);
    assert!(he.findings.iter().any(|f| f.rule == "eu.annex2.pathways.stackability"));
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
    assert_eq!(json["elements"][0], serde_json::json!({"number": 2, "name": "title", "present": true}));
}
