//! A small Open Badges 3.0 credential (the shape of the 1EdTech OB 3.0 proof vector) for benchmarks
//! and examples: unsigned, issued by a placeholder did:key that callers replace with their own.

/// An unsigned OB 3.0 `OpenBadgeCredential`; `issuer.id` is set to the signing key's DID by
/// [`ob3_sample_for`].
pub const OB3_SAMPLE_CREDENTIAL: &str = r#"{
  "@context": [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
  ],
  "id": "urn:uuid:0c7d4b3e-5a1f-4f0e-9a43-2d3c1b7e8f10",
  "type": ["VerifiableCredential", "OpenBadgeCredential"],
  "issuer": {
    "id": "did:key:placeholder",
    "type": ["Profile"],
    "url": "https://university.example.eu",
    "name": "Example University of Applied Sciences"
  },
  "validFrom": "2025-01-15T09:00:00Z",
  "name": "Data Stewardship Micro-credential",
  "credentialSubject": {
    "id": "did:example:learner-4711",
    "type": ["AchievementSubject"],
    "achievement": {
      "id": "https://university.example.eu/achievements/data-stewardship",
      "type": ["Achievement"],
      "criteria": {
        "narrative": "Learners complete four graded assignments on research data management and pass a final assessment."
      },
      "description": "Plan, document and publish research data following FAIR principles.",
      "name": "Data Stewardship"
    }
  }
}"#;

/// The sample credential with `issuer.id` set to `issuer`.
pub fn ob3_sample_for(issuer: &str) -> serde_json::Value {
    let mut credential: serde_json::Value =
        serde_json::from_str(OB3_SAMPLE_CREDENTIAL).expect("sample is JSON");
    credential["issuer"]["id"] = issuer.into();
    credential
}
