//! Open Badges 3.0 rendering: every Annex I element of the sample description lands in the credential,
//! the credential canonicalises in JSON-LD safe mode (no undefined term), and it signs and verifies
//! with eddsa-rdfc-2022.

use chrono::{DateTime, Utc};
use microcred_model::{Country, Date, Description};
use microcred_vc::render::{self, IssuerProfile, Learner, NationalId, RenderOptions};
use microcred_vc::{CheckStatus, Cryptosuite, ProofOptions, SigningKeyPair, VerifyContext};
use serde_json::Value;
use sha2::{Digest, Sha256};

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
        email: Some(" Aoife.NiBhriain@Example.ie ".into()),
        id: Some("did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK".into()),
        national_id: Some(NationalId {
            value: "1234567TA".into(),
            country: Country::parse("IE").ok(),
        }),
        date_of_birth: Some(Date::parse("1996-03-14").unwrap()),
    }
}

fn issuer() -> IssuerProfile {
    IssuerProfile {
        id: "did:web:credentials.liffey-tu.example.ie".into(),
        name: "Liffey Technological University".into(),
        country: None,
        url: Some("https://www.liffey-tu.example.ie".into()),
        email: None,
    }
}

fn issued() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-28T12:00:00Z")
        .unwrap()
        .to_utc()
}

fn options() -> RenderOptions {
    let mut options = RenderOptions::new(
        "urn:uuid:3f1c2a9e-8b7d-4c1e-9f0a-5d6e7f8a9b0c",
        issued(),
        "c0ffee00c0ffee00",
    );
    options.grade = Some("Distinction".into());
    options
}

fn badge() -> Value {
    render::open_badge(&example(), &learner(), &issuer(), &options())
}

fn at<'a>(value: &'a Value, pointer: &str) -> &'a Value {
    value
        .pointer(pointer)
        .unwrap_or_else(|| panic!("{pointer} is missing in {value:#}"))
}

fn strings(value: &Value) -> Vec<&str> {
    value
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

/// The document with the extension context given inline instead of by URL: the same terms, checked in
/// safe mode without going through the built-in context list.
fn with_inline_extension(mut credential: Value) -> Value {
    credential["@context"][2] = render::extension_context_object();
    credential
}

#[test]
fn the_inline_option_gives_the_same_document_with_the_context_inline() {
    let mut inline = options();
    inline.inline_extension_context = true;
    let b = render::open_badge(&example(), &learner(), &issuer(), &inline);
    assert_eq!(b, with_inline_extension(badge()));
    assert!(b["@context"][2]["@protected"].as_bool().unwrap());
}

#[test]
fn contexts_and_types_are_ob3() {
    let b = badge();
    assert_eq!(
        strings(at(&b, "/@context")),
        [
            render::CREDENTIALS_V2_CONTEXT,
            render::OB_CONTEXT,
            render::EXTENSION_CONTEXT_URL
        ]
    );
    assert_eq!(
        strings(at(&b, "/type")),
        ["VerifiableCredential", "OpenBadgeCredential"]
    );
    assert_eq!(at(&b, "/credentialSubject/type")[0], "AchievementSubject");
    assert_eq!(at(&b, "/credentialSubject/achievement/type")[0], "Achievement");
    assert_eq!(
        at(&b, "/credentialSubject/achievement/achievementType"),
        "MicroCredential"
    );
    assert!(b.get("issuanceDate").is_none(), "VC 2.0 has no issuanceDate");
}

#[test]
fn annex_one_elements_are_all_present() {
    let b = badge();
    let a = at(&b, "/credentialSubject/achievement");
    // 1. learner: DID, hashed email and national id, name, date of birth.
    assert_eq!(
        at(&b, "/credentialSubject/id"),
        "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"
    );
    assert_eq!(at(&b, "/credentialSubject/name"), "Aoife Ní Bhriain");
    let email = at(&b, "/credentialSubject/identifier/0");
    assert_eq!(email["type"], "IdentityObject");
    assert_eq!(email["identityType"], "emailAddress");
    assert_eq!(email["hashed"], true);
    assert_eq!(email["salt"], "c0ffee00c0ffee00");
    let expected = Sha256::digest(b"aoife.nibhriain@example.iec0ffee00c0ffee00");
    let hex: String = expected.iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(email["identityHash"], format!("sha256${hex}"));
    assert_eq!(
        at(&b, "/credentialSubject/identifier/1/identityType"),
        "nationalIdentityNumber"
    );
    assert!(
        !b.to_string().contains("1234567TA"),
        "the national id is only present hashed"
    );
    assert!(
        !b.to_string().to_lowercase().contains("aoife.nibhriain@"),
        "the email is only present hashed"
    );
    assert_eq!(at(&b, "/credentialSubject/learnerBirthDate"), "1996-03-14");
    // 2. title, with its language variants.
    assert_eq!(at(&b, "/name"), "Data Analytics for Business Decisions");
    assert_eq!(a["name"], "Data Analytics for Business Decisions");
    assert_eq!(a["titleByLanguage"]["ga"], "Anailísíocht Sonraí do Chinntí Gnó");
    // 3. country and region of the issuer.
    assert_eq!(at(&b, "/issuer/address/addressCountryCode"), "IE");
    assert_eq!(at(&b, "/issuer/address/addressRegion"), "IE061");
    assert_eq!(
        strings(&a["issuerCountry"]),
        ["http://publications.europa.eu/resource/authority/country/IRL"]
    );
    // 4. awarding bodies, co-awarding.
    assert_eq!(at(&b, "/issuer/id"), "did:web:credentials.liffey-tu.example.ie");
    assert_eq!(a["awardingBody"].as_array().unwrap().len(), 2);
    assert_eq!(a["awardingBody"][1]["name"], "Dublin Data Skillnet");
    assert_eq!(a["awardingBody"][1]["address"]["addressCountryCode"], "IE");
    // 5. date of issuing.
    assert_eq!(at(&b, "/validFrom"), "2026-11-28T12:00:00Z");
    // 6. learning outcomes: narrative, ESCO alignments, structured outcomes.
    let narrative = a["criteria"]["narrative"].as_str().unwrap();
    assert!(
        narrative.contains("- Prepare, clean and document business data sets"),
        "{narrative}"
    );
    assert_eq!(a["learningOutcome"].as_array().unwrap().len(), 3);
    let esco: Vec<&Value> = a["alignment"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| x["targetFramework"] == "ESCO")
        .collect();
    assert_eq!(esco.len(), 3);
    assert_eq!(
        esco[0]["targetUrl"],
        "http://data.europa.eu/esco/skill/5fd5c985-eaaa-47aa-8314-62359c54505a"
    );
    // 7. workload: credits, hours, credit system.
    assert_eq!(a["creditsAvailable"], 10);
    assert_eq!(at(&b, "/credentialSubject/creditsEarned"), 10);
    assert_eq!(a["workload"]["notionalHours"], 250);
    assert_eq!(a["workload"]["volumeOfLearning"], "PT250H");
    assert_eq!(
        a["workload"]["credit"][0]["creditSystem"],
        "http://data.europa.eu/snb/education-credit/6fcec5c5af"
    );
    assert_eq!(a["workload"]["credit"][0]["hoursPerCredit"], 25);
    // 8. level: EQF and NQF alignments, QF-EHEA cycle.
    let eqf = alignment(a, "European Qualifications Framework");
    assert_eq!(eqf["targetUrl"], "http://data.europa.eu/snb/eqf/6");
    assert_eq!(eqf["targetCode"], "6");
    assert_eq!(
        alignment(a, "IE-NFQ")["targetUrl"],
        "http://data.europa.eu/snb/qdr/c_218a7e54"
    );
    assert_eq!(a["qfEheaCycle"], "first");
    // ISCED-F.
    assert!(a["fieldOfStudy"]
        .as_str()
        .unwrap()
        .contains("information and communication technologies"));
    assert_eq!(
        alignment(a, "ISCED-F 2013")["targetUrl"],
        "http://data.europa.eu/snb/isced-f/0688"
    );
    // 9. type of assessment, supervision, result.
    assert_eq!(
        strings(&a["assessment"]["assessmentType"]),
        [
            "http://data.europa.eu/snb/assessment/795dac4096",
            "http://data.europa.eu/snb/assessment/6e6cb2cc78"
        ]
    );
    assert_eq!(
        a["assessment"]["supervision"],
        "http://data.europa.eu/snb/supervision-verification/70be69aaf9"
    );
    assert_eq!(a["resultDescription"][1]["name"], "project work");
    assert_eq!(at(&b, "/credentialSubject/result/0/value"), "Distinction");
    // 10. form of participation.
    assert_eq!(
        strings(&a["participation"]["learningMode"]),
        [
            "http://data.europa.eu/snb/learning-assessment/920fbb3cbe",
            "http://data.europa.eu/snb/learning-assessment/e92d221e4d"
        ]
    );
    assert_eq!(
        a["participation"]["learningSetting"],
        "http://data.europa.eu/snb/learning-setting/6fd4685715"
    );
    assert_eq!(a["participation"]["activityDuration"], "P12W");
    // 11. quality assurance.
    let qa = &a["qualityAssurance"][0];
    assert_eq!(
        qa["qualityAssuranceType"],
        "http://data.europa.eu/snb/accreditation/820101cba6"
    );
    assert_eq!(
        qa["qualityAssuranceBody"]["name"],
        "Quality and Qualifications Ireland"
    );
    assert_eq!(qa["qualityAssuranceReference"], "QQI/VAL/2026/0142");
    assert_eq!(qa["qualityAssuranceValidUntil"], "2031-01-14");
    assert_eq!(qa["externalQualityAssurance"], true);
    // Optional elements: prerequisites, stackability.
    assert!(a["prerequisites"]["en"]
        .as_str()
        .unwrap()
        .starts_with("A level 7 degree"));
    assert_eq!(a["stackability"]["standAlone"], true);
    assert_eq!(a["stackability"]["stacksTowards"].as_array().unwrap().len(), 1);
}

fn alignment<'a>(achievement: &'a Value, framework: &str) -> &'a Value {
    achievement["alignment"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["targetFramework"] == framework)
        .unwrap_or_else(|| panic!("no {framework} alignment"))
}

#[test]
fn every_extension_term_is_defined_in_safe_mode() {
    let canonical = microcred_jsonld::canonicalize(&with_inline_extension(badge()))
        .unwrap_or_else(|e| panic!("safe-mode canonicalisation failed: {e}"));
    assert!(canonical.contains("<https://w3id.org/microcred/vocab#qualityAssuranceType>"));
    assert!(canonical.contains("\"Anailísíocht Sonraí do Chinntí Gnó\"@ga"));
    assert!(canonical.contains("\"PT250H\"^^<http://www.w3.org/2001/XMLSchema#duration>"));
}

#[test]
fn a_term_missing_from_the_extension_would_be_caught() {
    let mut b = with_inline_extension(badge());
    b["credentialSubject"]["achievement"]["notATerm"] = "x".into();
    assert!(
        microcred_jsonld::canonicalize(&b).is_err(),
        "safe mode must reject undefined terms"
    );
}

#[test]
fn the_extension_context_is_built_in_and_the_credential_canonicalises_by_url() {
    let registered = microcred_jsonld::contexts::get(render::EXTENSION_CONTEXT_URL)
        .expect("microcred-jsonld has the extension context built in");
    let ours: Value = serde_json::from_str(render::EXTENSION_CONTEXT).unwrap();
    assert_eq!(
        registered, &ours,
        "the registered copy differs from crates/vc/contexts-ext/microcred-v1.jsonld"
    );
    microcred_jsonld::canonicalize(&badge()).expect("the credential canonicalises with the built-in context");
}

#[test]
fn minimal_inputs_render_and_stay_well_formed() {
    let learner = Learner {
        name: "A. Learner".into(),
        ..Learner::default()
    };
    let b = render::open_badge(&Description::default(), &learner, &issuer(), &options());
    assert_eq!(
        at(&b, "/credentialSubject/achievement/name"),
        "Untitled micro-credential"
    );
    // Fields OB 3.0 requires are there even when the description lacks them.
    assert_eq!(
        at(&b, "/credentialSubject/achievement/description"),
        "Micro-credential: Untitled micro-credential"
    );
    assert!(at(&b, "/credentialSubject/achievement/criteria/narrative").is_string());
    assert!(b["credentialSubject"].get("identifier").is_none());
    assert!(b["credentialSubject"].get("id").is_none());
    microcred_jsonld::canonicalize(&with_inline_extension(b)).expect("safe mode");
}

#[test]
fn rendering_is_deterministic() {
    assert_eq!(badge(), badge());
}

#[test]
fn signed_with_eddsa_rdfc_2022_it_verifies_and_tampering_fails() {
    let key = SigningKeyPair::from_seed(&[7u8; 32]);
    let mut options = ProofOptions::new(key.public());
    options.cryptosuite = Cryptosuite::EddsaRdfc2022;
    options.created = Some("2026-11-28T12:00:00Z".into());
    let mut credential = with_inline_extension(badge());
    credential["issuer"]["id"] = key.public().did_key().into();
    let signed = microcred_vc::sign(&credential, &key, &options).expect("signs");
    let context = VerifyContext {
        now: issued() + chrono::Duration::minutes(1),
        ..VerifyContext::default()
    };
    let report = microcred_vc::verify(&signed, &context);
    assert_eq!(report.status_of("proof"), Some(CheckStatus::Ok), "{report:#?}");

    let mut tampered = signed.clone();
    tampered["credentialSubject"]["achievement"]["workload"]["notionalHours"] = 25.into();
    let report = microcred_vc::verify(&tampered, &context);
    assert_eq!(
        report.status_of("proof"),
        Some(CheckStatus::Failed),
        "{report:#?}"
    );
}
