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

/// The big cases, generated here rather than committed: a 5 MB and a 10 MB unknown key
/// (15 s and 800 MB, 25 s and 1.6 GB to refuse before the limits), a line just past the
/// limit, and a 5 MB file on standard input. Each is refused before the TOML parser
/// runs: exit 2, a short located message, nothing written, fast.
#[test]
fn huge_files_and_lines_are_refused_fast_before_parsing() {
    let base = fs::read_to_string("tests/broken/duplicate-key.toml")
        .unwrap()
        .replace("seed = 1\nseed = 2", "seed = 1");
    let dir = std::env::temp_dir().join(format!("attrition-huge-{}", std::process::id()));
    fs::create_dir_all(&dir).unwrap();
    let out = dir.join("result.json");
    let base_lines = base.lines().count();
    let cases: Vec<(&str, String, String)> = vec![
        (
            "key-5mb",
            format!("{base}{} = 1\n", "k".repeat(5 << 20)),
            "the file is larger than 1048576 bytes".into(),
        ),
        (
            "key-10mb",
            format!("{base}{} = 1\n", "k".repeat(10 << 20)),
            "the file is larger than 1048576 bytes".into(),
        ),
        (
            "line-past-limit",
            format!("{base}{} = 1\n", "k".repeat(32 << 10)),
            format!(
                "{}:1: line {} is 32772 bytes long; lines may be at most 32768 bytes",
                base_lines + 1,
                base_lines + 1
            ),
        ),
    ];
    for (name, text, want) in &cases {
        let file = dir.join(format!("{name}.toml"));
        fs::write(&file, text).unwrap();
        for cmd in ["run", "validate"] {
            let t = std::time::Instant::now();
            let mut c = Command::new(env!("CARGO_BIN_EXE_attrition"));
            c.arg(cmd).arg(&file);
            if cmd == "run" {
                c.arg("--out").arg(&out);
            }
            let o = c.output().unwrap();
            let took = t.elapsed().as_secs_f64();
            let stderr = String::from_utf8_lossy(&o.stderr);
            assert_eq!(o.status.code(), Some(2), "{name} {cmd}: {stderr}");
            assert!(stderr.contains(want.as_str()), "{name} {cmd}: {stderr}");
            assert!(
                stderr.len() < 500,
                "{name} {cmd}: {} bytes of errors",
                stderr.len()
            );
            assert!(!stderr.contains("panicked"));
            assert!(!out.exists(), "{name}: an output file was written");
            assert!(took < 5.0, "{name} {cmd}: {took:.1} s");
        }
        fs::remove_file(&file).unwrap();
    }
    // Standard input is read only to one byte past the limit.
    let mut child = Command::new(env!("CARGO_BIN_EXE_attrition"))
        .args(["validate", "-"])
        .stdin(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().unwrap();
        // The reader may stop early and close the pipe: a write error is expected then.
        let _ = stdin.write_all(cases[0].1.as_bytes());
    }
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("larger than 1048576 bytes"));
    assert_eq!(fs::read_dir(&dir).unwrap().count(), 0, "files left behind");
    fs::remove_dir_all(&dir).unwrap();
}

/// A seed has one range, in the file and on the command line: 0 to 2^63 - 1 (TOML's
/// integers), so any seed that runs can be written into a file.
#[test]
fn the_command_line_takes_the_seeds_a_file_can_hold() {
    let file = "tests/broken/seed-above-toml-range.toml";
    let fixed = std::env::temp_dir().join(format!("attrition-seed-{}.toml", std::process::id()));
    let text = fs::read_to_string(file)
        .unwrap()
        .replace("seed = 18446744073709551615", "seed = 9223372036854775807");
    fs::write(&fixed, text).unwrap();
    let run = |seed: &str| {
        Command::new(env!("CARGO_BIN_EXE_attrition"))
            .args([
                "run",
                fixed.to_str().unwrap(),
                "-n",
                "10",
                "-q",
                "--seed",
                seed,
            ])
            .output()
            .unwrap()
    };
    assert_eq!(run("9223372036854775807").status.code(), Some(0));
    for bad in ["9223372036854775808", "18446744073709551615"] {
        let o = run(bad);
        assert_eq!(o.status.code(), Some(2), "--seed {bad}");
        assert!(String::from_utf8_lossy(&o.stderr).contains("9223372036854775807"));
    }
    let v = Command::new(env!("CARGO_BIN_EXE_attrition"))
        .args(["validate", fixed.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(
        v.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&v.stderr)
    );
    fs::remove_file(&fixed).unwrap();
}
