//! ELM v3 rendering: the credential has the shape of the Commission's Annex I sample, carries every
//! Annex I element (quality assurance as an Accreditation, which the sample lacks), and the authoring
//! crate's ELM import reads the elements back.

use chrono::{DateTime, Utc};
use microcred_model::{Country, Date, Description};
use microcred_vc::render::{self, IssuerProfile, Learner, NationalId, RenderOptions};
use serde_json::Value;

fn example() -> Description {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/data-analytics.toml");
    let text = std::fs::read_to_string(path).expect("examples/data-analytics.toml is part of the repository");
    microcred_authoring::parse_toml(&text, path)
        .expect("the example description reads")
        .value
}

fn learner() -> Learner {
    Learner {
        name: "Aoife Ní Bhriain".into(),
        given_name: Some("Aoife".into()),
        family_name: Some("Ní Bhriain".into()),
        email: Some("aoife@example.ie".into()),
        id: None,
        national_id: Some(NationalId {
            value: "1234567TA".into(),
            country: Country::parse("IRL").ok(),
        }),
        date_of_birth: Some(Date::parse("1996-03-14").unwrap()),
    }
}

fn issuer() -> IssuerProfile {
    IssuerProfile {
        id: "https://www.liffey-tu.example.ie".into(),
        name: "Liffey Technological University".into(),
        ..IssuerProfile::default()
    }
}

fn options() -> RenderOptions {
    let issued: DateTime<Utc> = DateTime::parse_from_rfc3339("2026-11-28T12:00:00Z")
        .unwrap()
        .to_utc();
    let mut options = RenderOptions::new("urn:uuid:6c1d2f4e-1a2b-4c3d-8e9f-0a1b2c3d4e5f", issued, "salt");
    options.grade = Some("Merit".into());
    options
}

fn credential() -> Value {
    render::elm(&example(), &learner(), &issuer(), &options())
}

fn at<'a>(value: &'a Value, pointer: &str) -> &'a Value {
    value
        .pointer(pointer)
        .unwrap_or_else(|| panic!("{pointer} is missing"))
}

#[test]
fn has_the_shape_of_the_commission_sample() {
    let ours = credential();
    assert_eq!(ours["@context"][0], render::CREDENTIALS_V1_CONTEXT);
    assert_eq!(ours["@context"][1], render::ELM_CONTEXT);
    assert_eq!(ours["type"][1], "EuropeanDigitalCredential");
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/fixtures/elm/Sample-MC-Annex1-unsigned.jsonld"
    );
    let Ok(text) = std::fs::read_to_string(path) else {
        println!("skipped the comparison with the Commission sample: {path} is absent");
        return;
    };
    let sample: Value = serde_json::from_str(&text).unwrap();
    // The paths where the sample puts each Annex I element exist in ours too (arrays where we may have
    // several values are looked into at index 0).
    let paths = [
        "/credentialSubject/type",
        "/credentialSubject/fullName",
        "/credentialSubject/dateOfBirth",
        "/credentialSubject/nationalID/notation",
        "/credentialSubject/contactPoint/emailAddress/id",
        "/credentialSubject/hasClaim/type",
        "/credentialSubject/hasClaim/title",
        "/credentialSubject/hasClaim/awardedBy/awardingBody/legalName",
        "/credentialSubject/hasClaim/specifiedBy/title",
        "/credentialSubject/hasClaim/specifiedBy/learningOutcome/0/title",
        "/credentialSubject/hasClaim/specifiedBy/learningOutcome/0/relatedESCOSkill/0/id",
        "/credentialSubject/hasClaim/specifiedBy/volumeOfLearning",
        "/credentialSubject/hasClaim/specifiedBy/creditPoint/framework/id",
        "/credentialSubject/hasClaim/specifiedBy/creditPoint/point",
        "/credentialSubject/hasClaim/specifiedBy/eqfLevel/id",
        "/credentialSubject/hasClaim/specifiedBy/nqfLevel/id",
        "/credentialSubject/hasClaim/specifiedBy/thematicArea/0/id",
        "/credentialSubject/hasClaim/specifiedBy/mode/id",
        "/credentialSubject/hasClaim/specifiedBy/learningSetting/id",
        "/credentialSubject/hasClaim/specifiedBy/dcType/id",
        "/credentialSubject/hasClaim/specifiedBy/entryRequirement/noteLiteral",
        "/credentialSubject/hasClaim/provenBy/grade/noteLiteral",
        "/credentialSubject/hasClaim/provenBy/idVerification/id",
        // The sample has one assessment type, ours a list of them.
        "/credentialSubject/hasClaim/provenBy/specifiedBy/dcType",
        "/credentialSubject/hasClaim/provenBy/specifiedBy/gradingScheme/title",
        "/issuer/legalName",
        "/issuer/location/address/countryCode/id",
        "/validFrom",
    ];
    for path in paths {
        assert!(
            sample.pointer(path).is_some(),
            "the sample has no {path}: fix the list"
        );
        let ours_path = first_of_lists(path);
        assert!(ours.pointer(&ours_path).is_some(), "ours has no {ours_path}");
    }
}

/// Where ours holds a list and the sample a single object, the sample's path is looked up at index 0.
fn first_of_lists(path: &str) -> String {
    const LISTS: [&str; 4] = ["awardingBody", "creditPoint", "mode", "location"];
    let segments: Vec<&str> = path.split('/').collect();
    let mut out = Vec::new();
    for (i, segment) in segments.iter().enumerate() {
        out.push(segment.to_string());
        let next_is_index = segments.get(i + 1).is_some_and(|s| s.parse::<usize>().is_ok());
        if LISTS.contains(segment) && !next_is_index && i + 1 < segments.len() {
            out.push("0".into());
        }
    }
    out.join("/")
}

#[test]
fn carries_every_annex_one_element() {
    let c = credential();
    let claim = at(&c, "/credentialSubject/hasClaim");
    let spec = &claim["specifiedBy"];
    // 1. learner
    assert_eq!(at(&c, "/credentialSubject/fullName/en"), "Aoife Ní Bhriain");
    assert_eq!(at(&c, "/credentialSubject/dateOfBirth"), "1996-03-14T00:00:00Z");
    assert_eq!(
        at(&c, "/credentialSubject/nationalID/spatial/id"),
        "http://publications.europa.eu/resource/authority/country/IRL"
    );
    // 2. title in every language
    assert_eq!(claim["title"]["ga"], "Anailísíocht Sonraí do Chinntí Gnó");
    assert_eq!(spec["title"]["en"], "Data Analytics for Business Decisions");
    // 3. country and region (NUTS) of the issuer
    assert_eq!(
        at(&c, "/issuer/location/0/address/countryCode/id"),
        "http://publications.europa.eu/resource/authority/country/IRL"
    );
    assert_eq!(
        at(&c, "/issuer/location/0/spatialCode/0/id"),
        "http://data.europa.eu/nuts/code/IE061"
    );
    // 4. awarding bodies
    let bodies = claim["awardedBy"]["awardingBody"].as_array().unwrap();
    assert_eq!(bodies.len(), 2);
    assert_eq!(bodies[1]["legalName"]["en"], "Dublin Data Skillnet");
    // 5. date of issuing
    assert_eq!(c["validFrom"], "2026-11-28T12:00:00Z");
    assert_eq!(claim["awardedBy"]["awardingDate"], "2026-11-28T12:00:00Z");
    // 6. learning outcomes with ESCO skills
    assert_eq!(spec["learningOutcome"].as_array().unwrap().len(), 3);
    assert_eq!(
        spec["learningOutcome"][2]["relatedESCOSkill"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    // 7. workload
    assert_eq!(spec["volumeOfLearning"], "PT250H");
    assert_eq!(spec["creditPoint"][0]["point"], "10");
    assert_eq!(
        spec["creditPoint"][0]["framework"]["id"],
        "http://data.europa.eu/snb/education-credit/6fcec5c5af"
    );
    // 8. level
    assert_eq!(spec["eqfLevel"]["id"], "http://data.europa.eu/snb/eqf/6");
    assert_eq!(spec["nqfLevel"]["id"], "http://data.europa.eu/snb/qdr/c_218a7e54");
    assert_eq!(
        spec["thematicArea"][0]["id"],
        "http://data.europa.eu/snb/isced-f/0688"
    );
    // 9. assessment
    let assessment = &claim["provenBy"];
    assert_eq!(
        assessment["specifiedBy"]["dcType"][0]["id"],
        "http://data.europa.eu/snb/assessment/795dac4096"
    );
    assert_eq!(
        assessment["idVerification"]["id"],
        "http://data.europa.eu/snb/supervision-verification/70be69aaf9"
    );
    assert_eq!(assessment["grade"]["noteLiteral"]["en"], "Merit");
    // 10. participation
    assert_eq!(
        spec["mode"][1]["id"],
        "http://data.europa.eu/snb/learning-assessment/e92d221e4d"
    );
    assert_eq!(
        spec["learningSetting"]["id"],
        "http://data.europa.eu/snb/learning-setting/6fd4685715"
    );
    assert_eq!(
        spec["dcType"]["id"],
        "http://data.europa.eu/snb/learning-opportunity/74a4a268e8"
    );
    // 11. quality assurance: one Accreditation per record
    let accreditation = &spec["accreditation"][0];
    assert_eq!(accreditation["type"], "Accreditation");
    assert_eq!(
        accreditation["dcType"]["id"],
        "http://data.europa.eu/snb/accreditation/820101cba6"
    );
    assert_eq!(
        accreditation["accreditingAgent"]["legalName"]["en"],
        "Quality and Qualifications Ireland"
    );
    assert_eq!(accreditation["identifier"]["notation"], "QQI/VAL/2026/0142");
    assert_eq!(accreditation["expiryDate"], "2031-01-14T00:00:00Z");
    assert_eq!(accreditation["limitQualification"]["id"], spec["id"]);
    assert_eq!(spec["accreditation"].as_array().unwrap().len(), 2);
    // Optional: prerequisites, stackability.
    assert!(spec["entryRequirement"]["noteLiteral"]["en"]
        .as_str()
        .unwrap()
        .starts_with("A level 7 degree"));
    assert_eq!(spec["isPartialQualification"], false);
    assert!(spec["additionalNote"][0]["noteLiteral"]["en"]
        .as_str()
        .unwrap()
        .contains("Can count towards"));
}

#[test]
fn every_key_is_an_elm_term() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/contexts/elm-edc-ap-context.jsonld"
    );
    let Ok(text) = std::fs::read_to_string(path) else {
        println!("skipped: {path} is absent");
        return;
    };
    let context: Value = serde_json::from_str(&text).unwrap();
    let terms = context["@context"].as_object().unwrap();
    // Terms of the VC 1.1 context that ELM credentials use at their top level.
    let vc_terms = [
        "id",
        "type",
        "@context",
        "credentialSubject",
        "credentialSchema",
        "issuer",
        "issued",
        "validFrom",
        "expirationDate",
    ];
    let mut unknown = Vec::new();
    collect_unknown(&credential(), terms, &vc_terms, "", &mut unknown);
    assert!(
        unknown.is_empty(),
        "keys the ELM context does not define: {unknown:?}"
    );
}

fn collect_unknown(
    value: &Value,
    terms: &serde_json::Map<String, Value>,
    vc: &[&str],
    at: &str,
    out: &mut Vec<String>,
) {
    match value {
        Value::Object(map) => {
            for (key, inner) in map {
                // Language maps have language tags as keys.
                let is_language_map = at.ends_with("/title") || map.keys().all(|k| k.len() == 2);
                if !is_language_map && !terms.contains_key(key) && !vc.contains(&key.as_str()) {
                    out.push(format!("{at}/{key}"));
                }
                collect_unknown(inner, terms, vc, &format!("{at}/{key}"), out);
            }
        }
        Value::Array(items) => items
            .iter()
            .enumerate()
            .for_each(|(i, v)| collect_unknown(v, terms, vc, &format!("{at}/{i}"), out)),
        _ => {}
    }
}

#[test]
fn the_elm_import_reads_the_elements_back() {
    let original = example();
    let imported = microcred_authoring::import_elm(&credential(), "rendered.jsonld")
        .expect("imports")
        .value;
    assert_eq!(imported.title, original.title);
    assert_eq!(imported.countries, original.countries);
    assert_eq!(imported.awarding_bodies, original.awarding_bodies);
    assert_eq!(imported.learning_outcomes.len(), 3);
    for (back, source) in imported.learning_outcomes.iter().zip(&original.learning_outcomes) {
        assert_eq!(back.text, source.text);
        assert_eq!(back.esco_skills, source.esco_skills);
    }
    assert_eq!(imported.workload.hours, original.workload.hours);
    assert_eq!(imported.workload.ects(), Some(10.0));
    assert_eq!(imported.level.eqf, original.level.eqf);
    assert_eq!(
        imported.level.nqf.as_ref().map(|n| &n.level),
        original.level.nqf.as_ref().map(|n| &n.level)
    );
    assert_eq!(imported.field, original.field);
    assert_eq!(imported.assessment.types, original.assessment.types);
    assert_eq!(imported.assessment.supervision, original.assessment.supervision);
    assert_eq!(
        imported.assessment.grading_scheme,
        original.assessment.grading_scheme
    );
    assert_eq!(imported.participation.modes, original.participation.modes);
    assert_eq!(imported.participation.setting, original.participation.setting);
    assert_eq!(
        imported.participation.opportunity_type,
        original.participation.opportunity_type
    );
    assert_eq!(imported.participation.duration, original.participation.duration);
    assert_eq!(imported.prerequisites, original.prerequisites);
    assert_eq!(imported.further_information, original.further_information);
    assert_eq!(imported.quality_assurance.len(), 2);
    let (back, source) = (&imported.quality_assurance[0], &original.quality_assurance[0]);
    assert_eq!(back.qa_type, source.qa_type);
    assert_eq!(back.body, source.body);
    assert_eq!(back.body_id, source.body_id);
    assert_eq!(back.valid_until, source.valid_until);
}

#[test]
fn minimal_inputs_render_without_panicking() {
    let learner = Learner {
        name: String::new(),
        ..Learner::default()
    };
    let issuer = IssuerProfile {
        id: "not an iri".into(),
        name: "X".into(),
        ..IssuerProfile::default()
    };
    let c = render::elm(&Description::default(), &learner, &issuer, &options());
    assert_eq!(at(&c, "/credentialSubject/fullName/en"), "(name not given)");
    assert!(at(&c, "/issuer/id").as_str().unwrap().starts_with("urn:uuid:"));
}

#[test]
fn further_information_as_text_becomes_a_note() {
    let description = Description {
        further_information: Some("Ask the registry office".into()),
        ..Description::default()
    };
    let c = render::elm(&description, &learner(), &issuer(), &options());
    let spec = at(&c, "/credentialSubject/hasClaim/specifiedBy");
    assert!(spec.get("homepage").is_none());
    assert_eq!(
        spec["additionalNote"][0]["noteLiteral"]["en"],
        "Ask the registry office"
    );
}
