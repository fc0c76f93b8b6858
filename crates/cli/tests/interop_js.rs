//! Interoperability with the digitalbazaar JavaScript stack (@digitalbazaar/vc + eddsa-rdfc-2022):
//! a credential microcred issues verifies there, and one issued there verifies in microcred.
//! Needs `node` and `interop/js/node_modules` (install: `npm ci --prefix interop/js`); skips otherwise.

use std::path::{Path, PathBuf};
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_microcred");

fn interop_dir() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../interop/js");
    if Command::new("node")
        .arg("--version")
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false)
    {
        if dir.join("node_modules/@digitalbazaar/vc").is_dir() {
            return Some(dir);
        }
        eprintln!(
            "skipped: {} has no node_modules (run `npm ci --prefix interop/js`)",
            dir.display()
        );
    } else {
        eprintln!("skipped: node is not installed");
    }
    None
}

fn node(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::new("node")
        .arg("interop.mjs")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("node runs")
}

#[test]
fn microcred_and_digitalbazaar_verify_each_other() {
    let Some(js) = interop_dir() else { return };
    let work = std::env::temp_dir().join(format!("microcred-interop-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work).unwrap();

    // microcred issues; JavaScript verifies.
    let out = Command::new(BIN)
        .args(["keys", "new", "--plaintext", "--out", "key.json"])
        .current_dir(&work)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let key =
        microcred_vc::keyfile::public_key(&std::fs::read_to_string(work.join("key.json")).unwrap()).unwrap();
    let credential = microcred_vc::sample::ob3_sample_for(&key.did_key());
    std::fs::write(work.join("credential.json"), credential.to_string()).unwrap();
    let signed = Command::new(BIN)
        .args(["sign", "--key", "key.json", "credential.json"])
        .current_dir(&work)
        .output()
        .unwrap();
    assert!(signed.status.success(), "{signed:?}");
    let signed_path = work.join("signed.json");
    std::fs::write(&signed_path, &signed.stdout).unwrap();
    let verdict = node(&js, &["verify", signed_path.to_str().unwrap()]);
    let stdout = String::from_utf8_lossy(&verdict.stdout);
    assert!(
        verdict.status.success() && stdout.contains("\"verified\":true"),
        "{stdout} {}",
        String::from_utf8_lossy(&verdict.stderr)
    );

    // A tampered copy fails there too.
    let mut tampered: serde_json::Value = serde_json::from_slice(&signed.stdout).unwrap();
    tampered["name"] = "Tampered".into();
    let tampered_path = work.join("tampered.json");
    std::fs::write(&tampered_path, tampered.to_string()).unwrap();
    assert!(!node(&js, &["verify", tampered_path.to_str().unwrap()])
        .status
        .success());

    // JavaScript issues; microcred verifies.
    let issued = node(&js, &["issue"]);
    assert!(
        issued.status.success(),
        "{}",
        String::from_utf8_lossy(&issued.stderr)
    );
    std::fs::write(work.join("js-signed.json"), &issued.stdout).unwrap();
    let out = Command::new(BIN)
        .args(["verify", "--format", "json", "js-signed.json"])
        .current_dir(&work)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}
