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
    // A missing element points at the document root.
    assert_eq!(at("/quality_assurance"), "");
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
