//! Revocation and suspension through signed Bitstring Status Lists, and a pluggable resolver for what
//! offline verification cannot know (did:web documents, remote lists).

use std::cell::Cell;

use microcred_vc::did::did_web_document;
use microcred_vc::sample::ob3_sample_for;
use microcred_vc::status::{allocate_random_index, status_entry, status_list_credential, Bitstring};
use microcred_vc::{
    sign, verify, CheckStatus, Cryptosuite, ProofOptions, Resolution, Resolver, SigningKeyPair, VerifyContext,
};
use serde_json::Value;

const LIST_URL: &str = "https://uni.example/status/1";
const SUSPENSION_URL: &str = "https://uni.example/status/2";

struct Issuer {
    key: SigningKeyPair,
}

impl Issuer {
    fn new() -> Self {
        Issuer {
            key: SigningKeyPair::from_seed(&[9; 32]),
        }
    }

    fn sign(&self, document: &Value) -> Value {
        sign(document, &self.key, &ProofOptions::new(self.key.public())).unwrap()
    }

    fn list(&self, url: &str, purpose: &str, set: &[usize]) -> Value {
        let mut bits = Bitstring::new(0);
        for &i in set {
            bits.set(i, true).unwrap();
        }
        let did = self.key.public().did_key();
        self.sign(&status_list_credential(
            url,
            &did,
            purpose,
            &bits,
            "2025-01-01T00:00:00Z",
        ))
    }

    fn credential(&self, index: usize) -> Value {
        let mut credential = ob3_sample_for(&self.key.public().did_key());
        credential["@context"]
            .as_array_mut()
            .unwrap()
            .push("https://www.w3.org/ns/credentials/status/v1".into());
        credential["credentialStatus"] = Value::Array(vec![
            status_entry(LIST_URL, "revocation", index),
            status_entry(SUSPENSION_URL, "suspension", index),
        ]);
        self.sign(&credential)
    }
}

fn status_messages(report: &microcred_vc::VerificationReport) -> Vec<(CheckStatus, String)> {
    report
        .named("status")
        .map(|c| (c.status, c.message.clone()))
        .collect()
}

#[test]
fn revoked_and_suspended_are_failed_with_their_word() {
    let issuer = Issuer::new();
    let index = allocate_random_index(131_072, |_| false).unwrap();
    let credential = issuer.credential(index);
    let mut ctx = VerifyContext::default();

    // Offline and without the lists: could not check, never "revoked".
    let report = verify(&credential, &ctx);
    assert!(
        report
            .named("status")
            .all(|c| c.status == CheckStatus::CouldNotCheck),
        "{report:#?}"
    );
    assert!(
        report.verified,
        "an unchecked status alone does not fail a credential: {report:#?}"
    );

    ctx.status_lists
        .insert(LIST_URL.into(), issuer.list(LIST_URL, "revocation", &[]));
    ctx.status_lists.insert(
        SUSPENSION_URL.into(),
        issuer.list(SUSPENSION_URL, "suspension", &[]),
    );
    let report = verify(&credential, &ctx);
    assert!(
        report.named("status").all(|c| c.status == CheckStatus::Ok),
        "{report:#?}"
    );
    assert!(report.verified);

    ctx.status_lists
        .insert(LIST_URL.into(), issuer.list(LIST_URL, "revocation", &[index]));
    let report = verify(&credential, &ctx);
    let statuses = status_messages(&report);
    assert_eq!(statuses[0].0, CheckStatus::Failed);
    assert!(statuses[0].1.starts_with("revoked"), "{statuses:?}");
    assert!(!report.verified);

    ctx.status_lists
        .insert(LIST_URL.into(), issuer.list(LIST_URL, "revocation", &[]));
    ctx.status_lists.insert(
        SUSPENSION_URL.into(),
        issuer.list(SUSPENSION_URL, "suspension", &[index]),
    );
    let statuses = status_messages(&verify(&credential, &ctx));
    assert_eq!(statuses[1].0, CheckStatus::Failed);
    assert!(statuses[1].1.starts_with("suspended"), "{statuses:?}");
}

#[test]
fn forged_or_wrong_lists_are_status_verification_errors() {
    let issuer = Issuer::new();
    let credential = issuer.credential(5);
    let mut ctx = VerifyContext::default();
    let mut forged = issuer.list(LIST_URL, "revocation", &[]);
    forged["credentialSubject"]["encodedList"] = Bitstring::new(0).encode().replace('A', "B").into();
    ctx.status_lists.insert(LIST_URL.into(), forged);
    ctx.status_lists.insert(
        SUSPENSION_URL.into(),
        issuer.list(SUSPENSION_URL, "revocation", &[]),
    );
    let statuses = status_messages(&verify(&credential, &ctx));
    assert_eq!(statuses[0].0, CheckStatus::Failed);
    assert!(
        statuses[0].1.contains("STATUS_VERIFICATION_ERROR"),
        "{statuses:?}"
    );
    // A list for another purpose than the entry's.
    assert_eq!(statuses[1].0, CheckStatus::Failed);
    assert!(
        statuses[1].1.contains("STATUS_VERIFICATION_ERROR"),
        "{statuses:?}"
    );
}

#[test]
fn out_of_range_index_is_a_range_error() {
    let issuer = Issuer::new();
    let credential = issuer.credential(200_000);
    let mut ctx = VerifyContext::default();
    ctx.status_lists
        .insert(LIST_URL.into(), issuer.list(LIST_URL, "revocation", &[]));
    ctx.status_lists.insert(
        SUSPENSION_URL.into(),
        issuer.list(SUSPENSION_URL, "suspension", &[]),
    );
    let statuses = status_messages(&verify(&credential, &ctx));
    assert!(statuses[0].1.contains("RANGE_ERROR"), "{statuses:?}");
}

/// A resolver the way the server or the CLI's --online mode plugs in.
struct FakeNetwork {
    did_doc: Value,
    list: Value,
    calls: Cell<u32>,
}

impl Resolver for FakeNetwork {
    fn status_list(&self, url: &str) -> Resolution {
        self.calls.set(self.calls.get() + 1);
        if url == LIST_URL {
            Resolution::Found(self.list.clone())
        } else {
            Resolution::Unavailable(format!("{url} answered HTTP 500"))
        }
    }
    fn did_document(&self, did: &str) -> Resolution {
        self.calls.set(self.calls.get() + 1);
        if self.did_doc["id"] == did {
            Resolution::Found(self.did_doc.clone())
        } else {
            Resolution::Unavailable(format!("{did} not found"))
        }
    }
}

#[test]
fn did_web_issuer_through_a_resolver() {
    let key = SigningKeyPair::from_seed(&[3; 32]);
    let did_doc = did_web_document("uni.example", key.public()).unwrap();
    let did = did_doc["id"].as_str().unwrap().to_string();
    let vm = format!("{did}#{}", key.public().to_multibase());
    let mut options = ProofOptions::new(key.public());
    options.verification_method = vm;
    options.cryptosuite = Cryptosuite::EddsaJcs2022;
    let mut credential = ob3_sample_for(&did);
    credential["credentialStatus"] = status_entry(LIST_URL, "revocation", 1);
    let credential = sign(&credential, &key, &options).unwrap();

    // Offline: the proof could not be checked, which is not "forged".
    let report = verify(&credential, &VerifyContext::default());
    assert_eq!(
        report.status_of("proof"),
        Some(CheckStatus::CouldNotCheck),
        "{report:#?}"
    );
    assert!(!report.verified);

    let mut bits = Bitstring::new(0);
    bits.set(1, true).unwrap();
    let list = sign(
        &status_list_credential(LIST_URL, &did, "revocation", &bits, "2025-01-01T00:00:00Z"),
        &key,
        &options,
    )
    .unwrap();
    let network = FakeNetwork {
        did_doc: did_doc.clone(),
        list,
        calls: Cell::new(0),
    };
    let ctx = VerifyContext {
        resolver: Some(&network),
        ..VerifyContext::default()
    };
    let report = verify(&credential, &ctx);
    assert_eq!(report.status_of("proof"), Some(CheckStatus::Ok), "{report:#?}");
    assert_eq!(
        report.status_of("status"),
        Some(CheckStatus::Failed),
        "{report:#?}"
    );
    assert!(network.calls.get() >= 2);

    // A DID document given by the user works the same without a resolver.
    let mut ctx = VerifyContext::default();
    ctx.did_documents.insert(did.clone(), did_doc);
    assert_eq!(
        verify(&credential, &ctx).status_of("proof"),
        Some(CheckStatus::Ok)
    );
}
