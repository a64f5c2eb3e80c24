//! `infra/package` lays out the zip the Functions host accepts.
#![allow(clippy::unwrap_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `infra/package` lays out what the Functions host accepts. The test packages the debug binary
/// (`--binary`) to keep the suite fast; `infra/package` alone builds the release binary.
#[test]
fn the_package_holds_host_json_every_function_and_the_executable() {
    let out = tempfile::tempdir().unwrap();
    let run = std::process::Command::new("bash")
        .arg(root().join("infra/package"))
        .args(["--binary", env!("CARGO_BIN_EXE_event-marketing"), "--out"])
        .arg(out.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(
        run.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(stdout.contains("newest glibc:     2."), "{stdout}");

    // Read the zip with Python's zipfile (the same library that wrote it is not the judge of
    // the layout: the names and modes are checked here).
    let list = std::process::Command::new("python3")
        .args([
            "-c",
            "import sys, zipfile\nfor i in zipfile.ZipFile(sys.argv[1]).infolist(): print(oct(i.external_attr >> 16), i.filename)",
        ])
        .arg(out.path().join("event-marketing.zip"))
        .output()
        .unwrap();
    let listing = String::from_utf8(list.stdout).unwrap();
    let entries: BTreeMap<String, String> = listing
        .lines()
        .filter_map(|l| l.split_once(' '))
        .map(|(mode, name)| (name.to_owned(), mode.to_owned()))
        .collect();
    assert!(entries.contains_key("host.json"), "{listing}");
    assert_eq!(
        entries.get("event-marketing").map(String::as_str),
        Some("0o100755"),
        "{listing}"
    );
    let mut expected = BTreeSet::new();
    for e in std::fs::read_dir(root().join("functions")).unwrap() {
        let name = e.unwrap().file_name().to_string_lossy().into_owned();
        expected.insert(format!("{name}/function.json"));
    }
    let packaged: BTreeSet<String> = entries
        .keys()
        .filter(|k| k.ends_with("/function.json"))
        .cloned()
        .collect();
    assert_eq!(packaged, expected);
    assert_eq!(entries.len(), expected.len() + 2, "nothing else: {listing}");
}
