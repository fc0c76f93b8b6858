//! ELM import on the European Commission's own samples (skipped when the shared fixtures are absent).

use std::path::{Path, PathBuf};

use microcred_authoring::{read_description, Location};
use microcred_model::{AssessmentType, Mode, Supervision};

fn fixture(name: &str) -> Option<PathBuf> {
    let path = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/fixtures/elm"
    ))
    .join(name);
    if path.exists() {
        Some(path)
    } else {
        eprintln!(
            "skipped: {} is absent (the shared fixtures are not beside this clone)",
            path.display()
        );
        None
    }
}

fn pointer(location: Location) -> String {
    match location {
        Location::Pointer { pointer, .. } => pointer,
        other => panic!("expected a JSON pointer location, got {other}"),
    }
}

#[test]
fn annex1_sample_imports_its_elements() {
    let Some(path) = fixture("Sample-MC-Annex1-unsigned.jsonld") else {
        return;
    };
    let located = read_description(&path).unwrap();
    let description = &located.value;
    assert_eq!(
        description.title.best("en"),
        Some("Digital micro-credential creation")
    );
    assert_eq!(
        description
            .countries
            .iter()
            .map(|c| c.alpha3())
            .collect::<Vec<_>>(),
        ["IRL"]
    );
    assert_eq!(description.awarding_bodies.len(), 1);
    assert_eq!(
        description.awarding_bodies[0].name.best("en"),
        Some("University of Zed")
    );
    assert_eq!(description.learning_outcomes.len(), 2);
    assert_eq!(description.learning_outcomes[0].esco_skills.len(), 3);
    assert_eq!(description.workload.hours, Some(60.0));
    assert_eq!(description.workload.ects(), Some(2.0));
    assert_eq!(description.level.eqf.map(|l| l.get()), Some(6));
    assert_eq!(
        description.level.nqf.as_ref().map(|l| l.framework.as_str()),
        Some("RQF")
    );
    assert_eq!(description.field.as_ref().map(|f| f.code()), Some("003"));
    assert_eq!(description.assessment.types, [AssessmentType::Artefact]);
    assert_eq!(
        description.assessment.supervision,
        Some(Supervision::UnsupervisedNoId)
    );
    assert_eq!(description.participation.modes, [Mode::Blended]);
    assert_eq!(description.languages, ["en"]);
    // The activity's 60 *months*, kept so that the rules engine can flag it.
    let duration = description.participation.duration.unwrap();
    assert_eq!(duration.months, 60.0);
    // No Accreditation in the sample: element 11 is absent.
    assert!(description.quality_assurance.is_empty());

    let at = |path: &str| pointer(located.locations.locate(path));
    assert_eq!(
        at("/workload/hours"),
        "/credentialSubject/hasClaim/specifiedBy/volumeOfLearning"
    );
    assert_eq!(
        at("/participation/duration"),
        "/credentialSubject/hasClaim/influencedBy/specifiedBy/volumeOfLearning"
    );
    assert_eq!(at("/countries/0"), "/issuer/location/address/countryCode");
    assert_eq!(
        at("/level/eqf"),
        "/credentialSubject/hasClaim/specifiedBy/eqfLevel"
    );
    // A missing element points at the specification, where ELM would hold it.
    assert_eq!(
        at("/quality_assurance"),
        "/credentialSubject/hasClaim/specifiedBy"
    );
}

#[test]
fn certificate_of_participation_imports_the_activity() {
    let Some(path) = fixture("Sample-CertOfPart-unsigned.jsonld") else {
        return;
    };
    let description = read_description(&path).unwrap().value;
    assert_eq!(description.title.best("en"), Some("EDC Updates Webinar"));
    assert_eq!(description.participation.modes, [Mode::Online]);
    assert_eq!(description.workload.hours, Some(2.0));
    assert_eq!(description.participation.duration.map(|d| d.months), Some(2.0));
    assert!(description.learning_outcomes.is_empty());
}

/// The sample carries no accreditation; one added to its qualification becomes element 11.
#[test]
fn an_accreditation_becomes_quality_assurance() {
    let Some(path) = fixture("Sample-MC-Annex1-unsigned.jsonld") else {
        return;
    };
    let mut document: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    document["credentialSubject"]["hasClaim"]["specifiedBy"]["accreditation"] = serde_json::json!([{
        "id": "urn:epass:accreditation:1",
        "type": "Accreditation",
        "dcType": { "id": "http://data.europa.eu/snb/accreditation/820101cba6", "type": "Concept" },
        "accreditingAgent": { "id": "urn:epass:org:qqi", "type": "Organisation",
                              "legalName": { "en": "Quality and Qualifications Ireland" } },
        "issued": "2024-01-01T00:00:00Z",
        "expiryDate": "2029-01-01T00:00:00Z"
    }]);
    let located = microcred_authoring::import_elm(&document, "with-qa.jsonld").unwrap();
    let qa = &located.value.quality_assurance;
    assert_eq!(qa.len(), 1);
    assert_eq!(qa[0].qa_type, Some(microcred_model::QaType::ProgrammeQa));
    assert_eq!(qa[0].body.as_deref(), Some("Quality and Qualifications Ireland"));
    assert_eq!(
        qa[0].valid_until.map(|d| d.to_string()).as_deref(),
        Some("2029-01-01")
    );
    assert_eq!(
        pointer(located.locations.locate("/quality_assurance/0/valid_until")),
        "/credentialSubject/hasClaim/specifiedBy/accreditation/0/expiryDate"
    );
}

#[test]
fn unknown_structures_and_deep_nesting_are_ignored() {
    let mut deep = serde_json::json!({ "leaf": true });
    for _ in 0..100 {
        deep = serde_json::json!({ "type": "Accreditation", "nested": deep });
    }
    let document = serde_json::json!({
        "type": ["VerifiableCredential", "EuropeanDigitalCredential"],
        "credentialSubject": { "hasClaim": { "title": { "en": "Odd" }, "specifiedBy": 42, "provenBy": ["x", 1] } },
        "issuer": "urn:nowhere",
        "extra": deep,
    });
    let located = microcred_authoring::import_elm(&document, "odd.jsonld").unwrap();
    assert_eq!(located.value.title.best("en"), Some("Odd"));
}

/// A qualification published on its own (no credential around it) imports the same elements.
#[test]
fn a_qualification_on_its_own_imports() {
    let Some(path) = fixture("Sample-MC-Annex1-unsigned.jsonld") else {
        return;
    };
    let document: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let mut qualification = document["credentialSubject"]["hasClaim"]["specifiedBy"].clone();
    qualification["type"] = serde_json::json!("Qualification");
    qualification["publisher"] = document["issuer"].clone();
    assert!(microcred_authoring::is_elm(&qualification));
    let located = microcred_authoring::import_elm(&qualification, "qualification.jsonld").unwrap();
    let description = &located.value;
    assert_eq!(
        description.title.best("en"),
        Some("Digital micro-credential creation")
    );
    assert_eq!(
        description
            .countries
            .iter()
            .map(|c| c.alpha3())
            .collect::<Vec<_>>(),
        ["IRL"]
    );
    assert_eq!(description.workload.ects(), Some(2.0));
    // Without an activity, the qualification's maximum duration (P1M) is the duration.
    assert_eq!(description.participation.duration.map(|d| d.months), Some(1.0));
    assert_eq!(
        pointer(located.locations.locate("/participation/duration")),
        "/maximumDuration"
    );
}
