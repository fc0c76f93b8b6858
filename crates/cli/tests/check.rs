//! `microcred check` end to end: every problem is reported with its message AND its place.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

/// A scratch directory of this test binary's own, removed and recreated per test name.
fn scratch(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("microcred-check-{}-{test}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn microcred(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_microcred"))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

/// Runs `check --format json` and returns the exit code and the parsed document.
fn check_json(args: &[&str], dir: &Path) -> (i32, Value) {
    let mut all = vec!["check", "--format", "json"];
    all.extend_from_slice(args);
    let output = microcred(&all, dir);
    let stdout = String::from_utf8_lossy(&output.stdout);
    let document = serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {stdout}"));
    (output.status.code().unwrap(), document)
}

fn findings(document: &Value, file_index: usize) -> Vec<Value> {
    document["files"][file_index]["findings"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

fn finding(findings: &[Value], rule: &str) -> Value {
    findings
        .iter()
        .find(|f| f["rule"] == rule)
        .cloned()
        .unwrap_or_else(|| panic!("no finding of rule {rule} in {findings:#?}"))
}

/// The template of `microcred init`, which complies with the profile it is made for.
fn template(dir: &Path, profile: &str) -> String {
    let output = microcred(&["init", "--profile", profile], dir);
    assert!(output.status.success());
    String::from_utf8(output.stdout).unwrap()
}

fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("{needle:?} not in text"))
        + 1
}

#[test]
fn the_init_template_complies_with_its_profile() {
    let dir = scratch("init");
    for profile in microcred_rules::Profile::names() {
        let path = write(&dir, &format!("{profile}.toml"), &template(&dir, profile));
        let (code, document) = check_json(&["--profile", profile, path.to_str().unwrap()], &dir);
        assert_eq!(code, 0, "the {profile} template: {document:#}");
        assert_eq!(document["files"][0]["compliant"], true);
        let all = findings(&document, 0);
        let warnings: Vec<&Value> = all.iter().filter(|f| f["severity"] == "warning").collect();
        assert!(
            warnings.is_empty(),
            "the {profile} template draws warnings: {warnings:#?}"
        );
    }
}

#[test]
fn missing_element_is_reported_at_the_file_start_with_its_element() {
    let dir = scratch("missing");
    let text = template(&dir, "eu");
    let start = text.find("quality_assurance = [").unwrap();
    let end = start + text[start..].find("]\n").unwrap() + 2;
    write(&dir, "no-qa.toml", &format!("{}{}", &text[..start], &text[end..]));
    let (code, document) = check_json(&["no-qa.toml"], &dir);
    assert_eq!(code, 1);
    let qa = finding(&findings(&document, 0), "eu.mandatory.quality-assurance");
    assert_eq!(qa["severity"], "error");
    assert!(qa["element"].as_str().unwrap().contains("element 11"), "{qa}");
    assert_eq!(qa["location"], "no-qa.toml:1:1");
}

#[test]
fn credits_outside_the_profile_range_point_at_the_points() {
    let dir = scratch("credits");
    let text = template(&dir, "ie").replace("points = 5 }", "points = 40 }");
    write(&dir, "big.toml", &text);
    let (code, document) = check_json(&["--profile", "ie", "big.toml"], &dir);
    assert_eq!(code, 1);
    let range = finding(&findings(&document, 0), "ie.qqi.credit-range");
    assert!(range["message"].as_str().unwrap().contains("40"), "{range}");
    let line = line_of(&text, "points = 40");
    let column = text.lines().nth(line - 1).unwrap().find("40").unwrap() + 1;
    assert_eq!(range["location"], format!("big.toml:{line}:{column}"));
}

#[test]
fn wrong_type_unknown_value_and_bad_duration_point_at_the_value() {
    let dir = scratch("values");
    let cases = [
        (
            "hours = \"forty\"",
            "workload = { hours = \"forty\" }\n",
            "wrong type",
            "a number",
        ),
        (
            "writen exam",
            "assessment = { types = [\"writen exam\"] }\n",
            "unknown assessment type",
            "\"written-exam\"",
        ),
        (
            "10 weeks",
            "participation = { duration = \"10 weeks\" }\n",
            "not an xsd:duration",
            "P10W",
        ),
        (
            "eqf = 9",
            "level = { eqf = 9 }\n",
            "EQF level 9 does not exist",
            "1 to 8",
        ),
        (
            "titel",
            "titel = \"Data\"\n",
            "unknown key `titel`",
            "did you mean `title`?",
        ),
    ];
    for (index, (needle, body, message, fix)) in cases.iter().enumerate() {
        let text = format!("# case {index}\ncountries = [\"IRL\"]\n{body}");
        let name = format!("case{index}.toml");
        write(&dir, &name, &text);
        let (code, document) = check_json(&[&name], &dir);
        assert_eq!(
            code, 1,
            "a model error is a finding, not unreadable input: {document:#}"
        );
        let format = finding(&findings(&document, 0), "format");
        assert!(format["message"].as_str().unwrap().contains(message), "{format}");
        assert!(format["fix"].as_str().unwrap().contains(fix), "{format}");
        let value = needle
            .trim_start_matches("hours = ")
            .trim_start_matches("eqf = ")
            .trim_matches('"');
        let column = text.lines().nth(2).unwrap().find(value).unwrap() + 1;
        // The column of the value, or of its opening quote.
        let location = format["location"].as_str().unwrap();
        assert!(
            location == format!("{name}:3:{column}") || location == format!("{name}:3:{}", column - 1),
            "{location} for {needle}"
        );
    }
}

#[test]
fn malformed_toml_is_unreadable_with_line_and_column() {
    let dir = scratch("syntax");
    write(&dir, "broken.toml", "title = \"Data\"\ncountries = [IRL]\n");
    let (code, document) = check_json(&["broken.toml"], &dir);
    assert_eq!(code, 2);
    let format = finding(&findings(&document, 0), "format");
    assert!(
        format["message"]
            .as_str()
            .unwrap()
            .starts_with("TOML syntax error"),
        "{format}"
    );
    assert_eq!(format["location"], "broken.toml:2:14");
}

#[test]
fn a_missing_file_is_unreadable() {
    let dir = scratch("absent");
    let output = microcred(&["check", "absent.toml"], &dir);
    assert_eq!(output.status.code(), Some(2));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("absent.toml:1:1: error [format]"), "{stdout}");
    assert!(stdout.contains("cannot read the file"), "{stdout}");
}

#[test]
fn a_bad_spreadsheet_cell_is_reported_at_its_row_and_column() {
    let dir = scratch("csv");
    let csv = "id,title_en,eqf_level,countries\n\
               a,Data literacy,6,IRL\n\
               b,Cloud basics,nine,IRL\n";
    write(&dir, "roster.csv", csv);
    let (code, document) = check_json(&["roster.csv"], &dir);
    assert_eq!(code, 1);
    let files = document["files"].as_array().unwrap();
    assert_eq!(files.len(), 2, "one entry per row");
    assert_eq!(files[0]["file"], "roster.csv row 2");
    assert_eq!(files[1]["file"], "roster.csv row 3");
    let format = finding(&findings(&document, 1), "format");
    assert_eq!(format["location"], "roster.csv row 3, column C (eqf_level)");
    assert!(
        format["message"]
            .as_str()
            .unwrap()
            .contains("\"nine\" is not an EQF level"),
        "{format}"
    );
    // Row 2 reads; its missing elements are reported in their columns or at the row.
    let row2 = findings(&document, 0);
    assert!(row2.iter().all(|f| f["rule"] != "format"), "{row2:#?}");
    assert_eq!(
        finding(&row2, "eu.mandatory.quality-assurance")["location"],
        "roster.csv row 2"
    );
}

#[test]
fn an_unknown_spreadsheet_column_names_it_and_suggests_the_nearest() {
    let dir = scratch("header");
    write(&dir, "typo.csv", "id,title_en,eqf_levle\na,Data,6\n");
    let (code, document) = check_json(&["typo.csv"], &dir);
    assert_eq!(code, 2);
    let format = finding(&findings(&document, 0), "format");
    assert_eq!(format["location"], "typo.csv row 1, column C (eqf_levle)");
    assert!(
        format["fix"].as_str().unwrap().contains("\"eqf_level\""),
        "{format}"
    );
}

#[test]
fn the_commission_sample_lacks_quality_assurance_and_has_an_implausible_duration() {
    let shared = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared"));
    let sample = shared.join("fixtures/elm/Sample-MC-Annex1-unsigned.jsonld");
    if !sample.exists() {
        eprintln!(
            "skipped: {} is absent (the shared fixtures are not beside this clone)",
            sample.display()
        );
        return;
    }
    let dir = scratch("elm");
    let (code, document) = check_json(&[sample.to_str().unwrap()], &dir);
    assert_eq!(code, 1);
    let entry = &document["files"][0];
    assert_eq!(entry["compliant"], false);
    let present: Vec<u64> = entry["elements"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["present"] == true)
        .map(|e| e["number"].as_u64().unwrap())
        .collect();
    assert_eq!(present, [2, 3, 4, 6, 7, 8, 9, 10], "recognised elements");
    let all = findings(&document, 0);
    let qa = finding(&all, "eu.mandatory.quality-assurance");
    assert_eq!(qa["severity"], "error");
    // Reported at the qualification, where an Accreditation would be written.
    assert!(
        qa["location"]
            .as_str()
            .unwrap()
            .ends_with("#/credentialSubject/hasClaim/specifiedBy"),
        "{qa}"
    );
    let duration = all
        .iter()
        .find(|f| f["message"].as_str().is_some_and(|m| m.contains("P60M")))
        .unwrap_or_else(|| panic!("no finding about P60M in {all:#?}"));
    assert!(
        duration["location"]
            .as_str()
            .unwrap()
            .ends_with("#/credentialSubject/hasClaim/influencedBy/specifiedBy/volumeOfLearning"),
        "{duration}"
    );
}

#[test]
fn text_output_has_one_line_per_finding_and_a_summary() {
    let dir = scratch("text");
    write(&dir, "small.toml", "title = \"Data\"\ncountries = [\"IRL\"]\n");
    let output = microcred(&["check", "small.toml"], &dir);
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let line = stdout
        .lines()
        .find(|l| l.contains("[eu.mandatory.awarding-body]"))
        .unwrap();
    assert!(
        line.starts_with("small.toml:1:1: error [eu.mandatory.awarding-body] awarding body"),
        "{line}"
    );
    assert!(line.contains(" — fix: ") && line.contains("(source: "), "{line}");
    let summary = stdout.lines().last().unwrap();
    assert!(summary.starts_with("small.toml: NOT compliant"), "{summary}");
    assert!(
        summary.contains("2 title") && summary.contains("missing: "),
        "{summary}"
    );
}

#[test]
fn schema_is_json_and_lists_vocabularies() {
    let dir = scratch("schema");
    let output = microcred(&["schema"], &dir);
    assert!(output.status.success());
    let schema: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(
        schema["properties"]["quality_assurance"]["items"]["properties"]["type"]["examples"][0],
        "institutional"
    );
}

#[test]
fn every_invalid_value_of_a_file_is_reported_and_the_rest_still_checked() {
    let dir = scratch("many");
    let text = "title = \"Data\"\nlevel = { eqf = 12 }\nassessment = { types = [\"quiz\", \"orale exam\"] }\nworkload = { hours = \"lots\" }\n";
    write(&dir, "many.toml", text);
    let (code, document) = check_json(&["many.toml"], &dir);
    assert_eq!(code, 1);
    let all = findings(&document, 0);
    let format: Vec<&str> = all
        .iter()
        .filter(|f| f["rule"] == "format")
        .map(|f| f["location"].as_str().unwrap())
        .collect();
    assert_eq!(format, ["many.toml:2:17", "many.toml:3:33", "many.toml:4:22"]);
    // The valid rest was checked: the title is there, the awarding body is reported missing.
    finding(&all, "eu.mandatory.awarding-body");
    assert!(all.iter().all(|f| f["rule"] != "eu.mandatory.title"), "{all:#?}");
}

#[test]
fn spreadsheets_without_rows_or_that_are_not_spreadsheets_are_reported() {
    let dir = scratch("odd-sheets");
    write(&dir, "header-only.csv", "id,title_en\n");
    let (code, document) = check_json(&["header-only.csv"], &dir);
    assert_eq!(code, 1, "{document:#}");
    assert!(finding(&findings(&document, 0), "format")["message"]
        .as_str()
        .unwrap()
        .contains("no description rows"));
    write(&dir, "fake.xlsx", "this is not a workbook");
    let (code, document) = check_json(&["fake.xlsx"], &dir);
    assert_eq!(code, 2, "{document:#}");
    assert!(finding(&findings(&document, 0), "format")["message"]
        .as_str()
        .unwrap()
        .contains("cannot open the workbook"));
}
