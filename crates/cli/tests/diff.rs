//! `microcred diff` and `microcred profiles`, run as a user would.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const OLD: &str = r#"title = "Data analytics for managers"
description = "Dashboards from sales data."
review_date = 2027-06-01
countries = ["IRL"]

[[awarding_bodies]]
name = "University of Zed"

[[learning_outcomes]]
text = "Build a dashboard from sales data"

[workload]
hours = 125
credits = [{ system = "ECTS", points = 5 }]

[level]
eqf = 6

[assessment]
types = ["project-work"]

[participation]
modes = ["online"]

[[quality_assurance]]
type = "programme"
body = "QQI"
"#;

/// A fresh directory for one test's files.
fn scratch(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("microcred-cli-diff-{}-{test}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn edited(from: &str, to: &str) -> String {
    assert!(OLD.contains(from), "{from}");
    OLD.replacen(from, to, 1)
}

fn microcred(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_microcred"))
        .args(args)
        .output()
        .expect("run microcred")
}

fn diff(dir: &Path, new: &str, extra: &[&str]) -> Output {
    let old = write(dir, "old.toml", OLD);
    let new = write(dir, "new.toml", new);
    let mut args = vec!["diff", old.to_str().unwrap(), new.to_str().unwrap()];
    args.extend(extra);
    microcred(&args)
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn code(output: &Output) -> i32 {
    output.status.code().expect("exit code")
}

fn json(output: &Output) -> serde_json::Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| panic!("{e}: {}", stdout(output)))
}

#[test]
fn identical_versions_exit_0() {
    let dir = scratch("identical");
    let output = diff(&dir, OLD, &[]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    assert!(stdout(&output).contains("No changes."), "{}", stdout(&output));
}

#[test]
fn editorial_changes_exit_0_and_say_why() {
    let dir = scratch("editorial");
    let new = edited(
        "Dashboards from sales data.",
        "Dashboards and decisions from sales data.",
    )
    .replace("2027-06-01", "2028-01-01")
    .replace("Data analytics", "Data analytcs");
    let output = diff(&dir, &new, &[]);
    let text = stdout(&output);
    assert_eq!(code(&output), 0, "{text}{}", stderr(&output));
    assert!(text.contains("3 changes, 0 needing re-validation"), "{text}");
    assert!(text.contains("typo fix"), "{text}");
    assert!(text.contains("review date"), "{text}");
}

#[test]
fn a_changed_title_needs_revalidation_exit_1() {
    let dir = scratch("title");
    let output = diff(
        &dir,
        &edited("Data analytics for managers", "Machine learning for managers"),
        &["--format", "json"],
    );
    assert_eq!(code(&output), 1, "{}", stderr(&output));
    let report = json(&output);
    assert_eq!(report["requires_revalidation"], true);
    assert_eq!(report["profile"], "eu");
    let change = &report["changes"][0];
    assert_eq!(change["path"], "/title/en");
    assert_eq!(change["element"], "title (Annex I element 2)");
    assert_eq!(change["before"], "Data analytics for managers");
    assert_eq!(change["after"], "Machine learning for managers");
    assert_eq!(change["requires_revalidation"], true);
    assert_eq!(change["rule"], "eu.change.title");
    assert!(
        change["location"].as_str().unwrap().ends_with("new.toml:1:9"),
        "{change}"
    );
    for field in ["reason", "source"] {
        assert!(!change[field].as_str().unwrap().is_empty(), "{field}");
    }
}

#[test]
fn the_profile_decides_whether_an_assessment_change_needs_revalidation() {
    let dir = scratch("assessment");
    let new = edited(
        r#"types = ["project-work"]"#,
        r#"types = ["project-work", "written-exam"]"#,
    );
    let ireland = diff(&dir, &new, &["--profile", "ie"]);
    assert_eq!(code(&ireland), 1, "{}", stderr(&ireland));
    let text = stdout(&ireland);
    assert!(
        text.contains("RE-VALIDATE: type of assessment (Annex I element 9)"),
        "{text}"
    );
    assert!(text.contains("accommodations for individual learners"), "{text}");
    assert!(text.contains("new.toml:20:"), "points at the line: {text}");
    let finland = diff(&dir, &new, &["--profile", "fi", "--format", "json"]);
    assert_eq!(code(&finland), 0, "{}", stderr(&finland));
    assert_eq!(json(&finland)["changes"][0]["rule"], "fi.change.assessment");
}

#[test]
fn a_profile_file_sets_the_policy() {
    let dir = scratch("profile-file");
    let profile = write(
        &dir,
        "xx.toml",
        r#"[profile]
name = "xx"
title = "Xx"

[[change]]
path = "/title"
policy = "free"
reason = "titles are marketing in Xx"
source = "Xx Act, s. 2"
"#,
    );
    let new = edited("Data analytics for managers", "Machine learning for managers");
    let output = diff(&dir, &new, &["--profile", profile.to_str().unwrap()]);
    assert_eq!(code(&output), 0, "{}{}", stdout(&output), stderr(&output));
    assert!(stdout(&output).contains("titles are marketing in Xx"));
}

#[test]
fn unreadable_inputs_exit_2() {
    let dir = scratch("unreadable");
    let old = write(&dir, "old.toml", OLD);
    let missing = dir.join("missing.toml");
    let output = microcred(&["diff", old.to_str().unwrap(), missing.to_str().unwrap()]);
    assert_eq!(code(&output), 2);
    assert!(stderr(&output).contains("missing.toml"), "{}", stderr(&output));

    let output = diff(&dir, "title = \"unterminated\n", &[]);
    assert_eq!(code(&output), 2);
    assert!(stderr(&output).contains("new.toml:1"), "{}", stderr(&output));

    let output = diff(&dir, OLD, &["--profile", "irland"]);
    assert_eq!(code(&output), 2);
    assert!(
        stderr(&output).contains("did you mean \"ie\"?"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn profiles_lists_the_built_in_profiles() {
    let output = microcred(&["profiles"]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let text = stdout(&output);
    for name in ["eu", "ie", "es", "hr", "ee", "nl-he", "nl-mbo", "mt"] {
        assert!(
            text.lines().any(|l| l.starts_with(&format!("{name} "))),
            "{name} in:\n{text}"
        );
    }
    let output = microcred(&["profiles", "--format", "json"]);
    let list = json(&output);
    let ireland = list
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "ie")
        .unwrap();
    assert_eq!(ireland["country"], "IRL");
    assert!(ireland["rules"].as_u64().unwrap() > 0);
    assert!(!ireland["description"].as_str().unwrap().is_empty());
    assert_eq!(list[0]["name"], "eu");
}

#[test]
fn profiles_shows_one_profile_and_validates_profile_files() {
    let output = microcred(&["profiles", "ie"]);
    assert_eq!(code(&output), 0);
    assert!(
        stdout(&output).contains("ie.qqi.credit-range (range, error)"),
        "{}",
        stdout(&output)
    );

    let template = Path::new(env!("CARGO_MANIFEST_DIR")).join("../rules/profiles/template.toml");
    let output = microcred(&["profiles", template.to_str().unwrap(), "--format", "json"]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    assert_eq!(json(&output)["name"], "xx");

    let dir = scratch("bad-profile");
    let bad = write(
        &dir,
        "bad.toml",
        "[profile]\nname = \"xx\"\ntitle = \"Xx\"\n\n[[rule]]\nid = \"xx.a\"\nkind = \"rnage\"\nseverity = \"error\"\nmessage = \"m\"\nfix = \"f\"\nsource = \"s\"\n",
    );
    let output = microcred(&["profiles", bad.to_str().unwrap()]);
    assert_eq!(code(&output), 2);
    let error = stderr(&output);
    assert!(error.contains("bad.toml:5: "), "{error}");
    assert!(error.contains("did you mean \"range\"?"), "{error}");

    let output = microcred(&["profiles", "nl"]);
    assert_eq!(code(&output), 2);
    assert!(
        stderr(&output).contains("\"nl-he\" or \"nl-mbo\""),
        "{}",
        stderr(&output)
    );
}
