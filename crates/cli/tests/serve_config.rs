//! Start-up configuration that cannot work is refused at once, before the server listens.

use std::process::Command;

#[test]
fn a_short_master_key_stops_the_server_at_start_up() {
    let dir = std::env::temp_dir().join(format!("microcred-serve-config-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for (command, value) in [("serve", ""), ("demo", "too-short")] {
        let output = Command::new(env!("CARGO_BIN_EXE_microcred"))
            .args([command, "--listen", "127.0.0.1:0", "--database"])
            .arg(format!("sqlite://{}/db-{command}.db", dir.display()))
            .env("MICROCRED_MASTER_KEY", value)
            .output()
            .expect("run microcred");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{command}: {stderr}");
        assert!(
            stderr.contains("MICROCRED_MASTER_KEY is set but shorter than 32 characters"),
            "{stderr}"
        );
        assert!(
            !dir.join(format!("db-{command}.db")).exists(),
            "nothing is created: {command}"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}
