//! Third-party signed Open Badges (Digital Credentials Consortium fixtures): offline verification must
//! verify did:key proofs, reject tampering, catch expiry, and say "could not check" for what needs the
//! network (did:web keys, remote status lists) rather than "valid" or "forged".

mod common;

use std::path::{Path, PathBuf};

use common::{read_json, shared};
use microcred_vc::{verify, CheckStatus, VerificationReport, VerifyContext};

fn credentials(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "json") {
                // A few fixture files are empty placeholders upstream.
                if std::fs::metadata(&path).unwrap().len() > 0 {
                    out.push(path);
                }
            }
        }
    }
    out.sort();
    out
}

/// The fixtures' status lists, under every URL the credentials use for them.
fn status_lists(dcc: &Path, ctx: &mut VerifyContext) {
    let dir = dcc.join("statusLists/didkey-ed25519Signature2020");
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_string();
        let list = read_json(&path);
        ctx.status_lists.insert(
            format!("https://digitalcredentials.github.io/vc-test-fixtures/statusLists/didkey-ed25519Signature2020/{name}"),
            list.clone(),
        );
        ctx.status_lists.insert(
            format!("https://raw.githubusercontent.com/digitalcredentials/verifier-core/refs/heads/main/src/test-fixtures/status/{name}"),
            list,
        );
    }
}

struct Expect {
    did_web: bool,
    tampered: bool,
    out_of_period: bool,
    revoked: bool,
    has_status: bool,
}

fn expectations(path: &Path, credential: &serde_json::Value) -> Expect {
    let p = path.to_str().unwrap();
    let name = path.file_stem().unwrap().to_str().unwrap();
    Expect {
        did_web: p.to_lowercase().contains("/didweb/"),
        tampered: name.ends_with("-tampered"),
        // From the dates, not the names: some fixtures named "noExpiry" do expire.
        out_of_period: out_of_period(credential),
        revoked: name.contains("revoked"),
        has_status: credential.get("credentialStatus").is_some(),
    }
}

fn out_of_period(credential: &serde_json::Value) -> bool {
    let now = VerifyContext::default().now;
    let date = |names: [&str; 2]| {
        names.iter().find_map(|n| {
            credential
                .get(*n)?
                .as_str()
                .and_then(microcred_vc::verify::parse_datetime)
        })
    };
    date(["validFrom", "issuanceDate"]).is_some_and(|d| d > now)
        || date(["validUntil", "expirationDate"]).is_some_and(|d| d < now)
}

fn statuses<'a>(report: &'a VerificationReport, check: &'a str) -> Vec<CheckStatus> {
    report.named(check).map(|c| c.status).collect()
}

#[test]
fn dcc_fixtures_offline() {
    let Some(shared) = shared() else { return };
    let dcc = shared.join("fixtures/dcc");
    let ctx = VerifyContext::default();
    let mut seen = 0;
    for path in credentials(&dcc.join("verifiableCredentials")) {
        let credential = read_json(&path);
        let expect = expectations(&path, &credential);
        let report = verify(&credential, &ctx);
        let shown = format!("{}: {report:#?}", path.display());
        assert_eq!(report.status_of("format"), Some(CheckStatus::Ok), "{shown}");
        let proofs = statuses(&report, "proof");
        if expect.tampered {
            assert!(proofs.contains(&CheckStatus::Failed), "{shown}");
        } else if expect.did_web {
            assert!(proofs.iter().all(|s| *s == CheckStatus::CouldNotCheck), "{shown}");
        } else {
            assert!(proofs.iter().all(|s| *s == CheckStatus::Ok), "{shown}");
        }
        let validity = if expect.out_of_period {
            CheckStatus::Failed
        } else {
            CheckStatus::Ok
        };
        assert_eq!(report.status_of("validity-period"), Some(validity), "{shown}");
        if expect.has_status {
            assert_eq!(
                report.status_of("status"),
                Some(CheckStatus::CouldNotCheck),
                "{shown}"
            );
        }
        // An unchecked status is "could not check", which alone does not make a credential unverified.
        let should_verify = !expect.did_web && !expect.tampered && !expect.out_of_period;
        assert_eq!(report.verified, should_verify, "{shown}");
        seen += 1;
    }
    assert!(seen > 80, "only {seen} fixtures found");
}

#[test]
fn dcc_fixtures_with_given_status_lists() {
    let Some(shared) = shared() else { return };
    let dcc = shared.join("fixtures/dcc");
    let mut ctx = VerifyContext::default();
    status_lists(&dcc, &mut ctx);
    for path in credentials(&dcc.join("verifiableCredentials")) {
        let credential = read_json(&path);
        let expect = expectations(&path, &credential);
        if !expect.has_status {
            continue;
        }
        let name = path.file_stem().unwrap().to_str().unwrap();
        let report = verify(&credential, &ctx);
        let status = report.named("status").next().unwrap();
        let shown = format!("{}: {report:#?}", path.display());
        if name.contains("tamperedStatus") || name.contains("missingTypeStatus") {
            assert_eq!(status.status, CheckStatus::Failed, "{shown}");
            assert!(status.message.contains("STATUS_VERIFICATION_ERROR"), "{shown}");
        } else if name.contains("expiredStatus") || name.contains("notYetValidStatus") {
            assert_eq!(status.status, CheckStatus::CouldNotCheck, "{shown}");
        } else if expect.revoked {
            assert_eq!(status.status, CheckStatus::Failed, "{shown}");
            assert!(status.message.starts_with("revoked"), "{shown}");
        } else {
            assert_eq!(status.status, CheckStatus::Ok, "{shown}");
        }
    }
}
