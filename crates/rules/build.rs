//! Builds every `profiles/*.toml` (except the template) into the binary, the EU baseline first, so that
//! adding a country is adding a file: no Rust to edit.

use std::fmt::Write;
use std::path::Path;

fn main() {
    // Read at run time, not with env!(): a build script binary may be reused by another checkout of the
    // workspace sharing the target directory, and must then look at that checkout's profiles.
    let manifest_dir = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let dir = Path::new(&manifest_dir).join("profiles");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("crates/rules/profiles exists")
        .filter_map(|entry| {
            let path = entry.ok()?.path();
            let name = path.file_name()?.to_str()?.strip_suffix(".toml")?.to_string();
            (name != "template").then_some(name)
        })
        .collect();
    names.sort_by_key(|n| (n != "eu", n.clone()));
    let mut code = String::from("const BUILTIN: &[(&str, &str, &str)] = &[\n");
    for name in &names {
        let path = dir.join(format!("{name}.toml"));
        println!("cargo:rerun-if-changed={}", path.display());
        writeln!(
            code,
            "    ({name:?}, \"{name}.toml\", include_str!({:?})),",
            path.display().to_string()
        )
        .unwrap();
    }
    code.push_str("];\n");
    let out = Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("builtin.rs");
    std::fs::write(out, code).expect("write builtin.rs");
}
