//! The corpus of broken scenario files in tests/broken/ (written by generate.py there):
//! every file must be refused with exit status 2, a first error line equal to the one in
//! tests/broken/EXPECTED.tsv (file, line and column or key path, and the message), no
//! panic, and no output file. Regenerate the expectations after an intended change with
//! `UPDATE_BROKEN=1 cargo test --test broken_files` and review the diff.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::process::Command;

fn first_error(stderr: &str) -> String {
    stderr.lines().next().unwrap_or("").to_string()
}

#[test]
fn every_broken_file_is_refused_clearly() {
    let dir = Path::new("tests/broken");
    let mut files: Vec<_> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    assert!(files.len() >= 60, "only {} broken files", files.len());
    let out_dir = std::env::temp_dir().join(format!("attrition-broken-{}", std::process::id()));
    fs::create_dir_all(&out_dir).unwrap();
    let out = out_dir.join("result.json");
    let mut got = BTreeMap::new();
    for file in &files {
        let name = file.file_stem().unwrap().to_str().unwrap().to_string();
        let o = Command::new(env!("CARGO_BIN_EXE_attrition"))
            .args([
                "run",
                file.to_str().unwrap(),
                "--out",
                out.to_str().unwrap(),
            ])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{name}: {stderr}");
        assert!(!stderr.contains("panicked"), "{name}: {stderr}");
        assert!(!out.exists(), "{name}: an output file was written");
        assert_eq!(
            fs::read_dir(&out_dir).unwrap().count(),
            0,
            "{name}: files left behind"
        );
        let line = first_error(&stderr);
        assert!(
            line.starts_with(&format!("error: {}", file.display())),
            "{name}: {line}"
        );
        got.insert(name, line);
        let v = Command::new(env!("CARGO_BIN_EXE_attrition"))
            .args(["validate", file.to_str().unwrap()])
            .output()
            .unwrap();
        assert_eq!(v.status.code(), Some(2), "validate {}", file.display());
    }
    let expected_path = dir.join("EXPECTED.tsv");
    let rendered: String = got.iter().map(|(k, v)| format!("{k}\t{v}\n")).collect();
    if std::env::var_os("UPDATE_BROKEN").is_some() {
        fs::write(&expected_path, &rendered).unwrap();
        return;
    }
    let expected = fs::read_to_string(&expected_path).unwrap();
    let mut wrong = Vec::new();
    for line in expected.lines() {
        let (name, want) = line.split_once('\t').unwrap();
        match got.get(name) {
            Some(g) if g == want => {}
            other => wrong.push(format!(
                "{name}:\n  want {want}\n  got  {}",
                other.map_or("(no file)", |s| s)
            )),
        }
    }
    assert_eq!(
        expected.lines().count(),
        got.len(),
        "EXPECTED.tsv and the corpus differ in size"
    );
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
