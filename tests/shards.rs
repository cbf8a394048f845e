//! Shards merged exactly: `run`, `compare`, `sweep` and `sensitivity` split with `--shard I/N` into N
//! parts and merged by `attrition merge` print the bytes the one-machine command prints,
//! in every format, for every shipped scenario and N = 1, 2 and 7 (path counts that are
//! not a multiple of the engine's batches, so that shard edges cut batches and files).
//! And a set of parts that does not belong together, or a part that is not whole, is
//! refused naming the file, with nothing written.

mod common;
use common::{attrition, scratch, stderr};
use std::fs;
use std::path::{Path, PathBuf};

fn shipped() -> Vec<String> {
    let mut files: Vec<String> = fs::read_dir("scenarios")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .map(|p| p.to_str().unwrap().to_string())
        .collect();
    files.sort();
    assert_eq!(files.len(), 10, "{files:?}");
    files
}

/// Runs the binary and returns its standard output, checking it succeeded.
fn ok(args: &[&str]) -> Vec<u8> {
    let o = attrition(args);
    assert!(
        o.status.success(),
        "attrition {}: {}",
        args.join(" "),
        stderr(&o)
    );
    o.stdout
}

/// `command` (its arguments, `-q` added) as `n` shards into `dir`; the parts' paths.
fn shards(command: &[&str], n: u64, dir: &Path) -> Vec<PathBuf> {
    (0..n)
        .map(|i| {
            let part = dir.join(format!("part-{i}-of-{n}.json"));
            let shard = format!("{i}/{n}");
            let mut args = command.to_vec();
            args.extend(["--shard", &shard, "--out", part.to_str().unwrap(), "-q"]);
            ok(&args);
            part
        })
        .collect()
}

/// Checks that merging `command`'s shards for N = 1, 2, 7 prints what `command` prints,
/// in each of `formats` (the parts given in reverse order: merge sorts them).
fn merges_exactly(command: &[&str], formats: &[&str], dir: &Path) {
    let one: Vec<Vec<u8>> = formats
        .iter()
        .map(|f| {
            let mut args = command.to_vec();
            args.extend(["-f", f, "-q"]);
            if *f == "parquet" {
                let out = dir.join("one.parquet");
                args.extend(["--out", out.to_str().unwrap()]);
                ok(&args);
                return fs::read(&out).unwrap();
            }
            ok(&args)
        })
        .collect();
    for n in [1, 2, 7] {
        let mut parts = shards(command, n, dir);
        parts.reverse();
        for (f, want) in formats.iter().zip(&one) {
            let mut args = vec!["merge", "-f", f, "-q"];
            args.extend(parts.iter().map(|p| p.to_str().unwrap()));
            let got = if *f == "parquet" {
                let out = dir.join("merged.parquet");
                args.extend(["--out", out.to_str().unwrap()]);
                ok(&args);
                fs::read(&out).unwrap()
            } else {
                ok(&args)
            };
            assert!(
                &got == want,
                "{} in {n} shards, -f {f}: merged bytes differ from one machine's",
                command.join(" ")
            );
        }
        for p in parts {
            fs::remove_file(p).unwrap();
        }
    }
}

#[test]
fn run_shards_of_every_shipped_scenario_merge_to_the_one_machine_bytes() {
    let dir = scratch("run");
    let files = shipped();
    // All ten files in one run: shard edges fall inside files and between them.
    let mut command = vec!["run"];
    command.extend(files.iter().map(String::as_str));
    command.extend(["-n", "2500"]);
    merges_exactly(&command, &["table", "json", "csv"], &dir);
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn compare_shards_merge_to_the_one_machine_bytes() {
    let dir = scratch("compare");
    let files = shipped();
    // The nine scenarios from 2025-12-31 against status-quo, on the threshold they share;
    // the June one (its own reference date) against itself.
    let january: Vec<&str> = files
        .iter()
        .map(String::as_str)
        .filter(|f| !f.ends_with("2026-06.toml"))
        .collect();
    let base = "scenarios/status-quo.toml";
    let mut command = vec!["compare", base];
    command.extend(january.iter().filter(|f| **f != base));
    command.extend(["--threshold", "2M combined casualties", "-n", "2500"]);
    merges_exactly(&command, &["table", "json"], &dir);
    let june = "scenarios/status-quo-2026-06.toml";
    merges_exactly(
        &["compare", june, june, "-n", "2100"],
        &["table", "json"],
        &dir,
    );
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn sweep_shards_of_every_shipped_scenario_merge_to_the_one_machine_bytes() {
    let dir = scratch("sweep");
    for file in shipped() {
        // A key every scenario has, three values: three points. The scenario with
        // observations draws from its own ranges here: its proposal's pilot (a second
        // of work per point, redone by every shard) is checked shard by shard in the
        // run test above.
        let mut command = vec![
            "sweep",
            &file,
            "--grid",
            "thresholds[0].level=1_900_000,2_100_000,2.6e6",
            "-n",
            "1500",
        ];
        if file.ends_with("status-quo-updated.toml") {
            command.extend(["--proposal", "off"]);
        }
        merges_exactly(&command, &["table", "json", "csv", "parquet"], &dir);
    }
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn sensitivity_shards_merge_to_the_one_machine_bytes() {
    // The pick-freeze design and every tornado run laid end to end: shard edges cut the
    // design's bootstrap blocks (32 base paths), its batches, and the runs. Grouped by
    // side and with --set, --by and --quantiles, which the parts must carry.
    let dir = scratch("sensitivity");
    merges_exactly(
        &["sensitivity", "scenarios/peace-talks.toml", "-n", "1500"],
        &["table", "json", "csv"],
        &dir,
    );
    merges_exactly(
        &[
            "sensitivity",
            "scenarios/status-quo-2026-06.toml",
            "-n",
            "1100",
            "--group",
            "side",
            "--set",
            "noise.sigma=0.2",
            "--by",
            "2027-02-01",
            "--quantiles",
            "0.25,0.5",
        ],
        &["json"],
        &dir,
    );
    // Every other shipped scenario at a few hundred base paths (events, regimes, force
    // inputs, correlations); the one with observations is refused, shard or not.
    for file in shipped() {
        if file.ends_with("peace-talks.toml") || file.ends_with("status-quo-2026-06.toml") {
            continue;
        }
        let command = ["sensitivity", file.as_str(), "-n", "300"];
        if file.ends_with("status-quo-updated.toml") {
            let part = dir.join("refused.json");
            let mut args = command.to_vec();
            args.extend(["--shard", "0/2", "--out", part.to_str().unwrap()]);
            let o = attrition(&args);
            assert_eq!(o.status.code(), Some(2), "{file}: {}", stderr(&o));
            assert!(!part.exists());
            continue;
        }
        merges_exactly(&command, &["json"], &dir);
    }
    // With figures and --out, as the one-machine command writes them.
    let d = |name: &str| dir.join(name).to_str().unwrap().to_string();
    let command = ["sensitivity", "scenarios/status-quo.toml", "-n", "1300"];
    let (one_out, one_figs) = (d("one.csv"), d("one-figs"));
    let mut args = command.to_vec();
    args.extend(["-f", "csv", "-q", "--out", &one_out, "--plot", &one_figs]);
    ok(&args);
    let parts = shards(&command, 3, &dir);
    let (out, figs) = (d("merged.csv"), d("merged-figs"));
    let mut args = vec!["merge", "-f", "csv", "-q", "--out", &out, "--plot", &figs];
    args.extend(parts.iter().map(|p| p.to_str().unwrap()));
    ok(&args);
    assert!(fs::read(&out).unwrap() == fs::read(&one_out).unwrap());
    let mut names: Vec<_> = fs::read_dir(&one_figs)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    names.sort();
    assert!(names.len() >= 4, "{names:?}");
    for f in names {
        let a = fs::read(Path::new(&figs).join(&f)).unwrap();
        let b = fs::read(Path::new(&one_figs).join(&f)).unwrap();
        assert!(a == b, "{f:?} differs");
    }
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn observations_from_a_csv_and_plain_inputs_travel_in_the_parts() {
    // The --observe file is read into the request (merge never opens it), and --plain
    // changes every tally: both must come back from the parts alone.
    let dir = scratch("observe");
    let observe = "scenarios/bench/w1-observations.csv";
    merges_exactly(
        &[
            "run",
            "scenarios/bench/w1.toml",
            "--observe",
            observe,
            "-n",
            "2300",
        ],
        &["json"],
        &dir,
    );
    merges_exactly(
        &[
            "compare",
            "scenarios/status-quo-recent.toml",
            "scenarios/escalation-2026.toml",
            "--observe",
            observe,
            "-n",
            "2100",
        ],
        &["json"],
        &dir,
    );
    merges_exactly(
        &["run", "scenarios/peace-talks.toml", "--plain", "-n", "2500"],
        &["json"],
        &dir,
    );
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn merged_figures_and_out_files_are_the_one_machine_ones() {
    let dir = scratch("figures");
    let d = |name: &str| dir.join(name).to_str().unwrap().to_string();
    // A run with figures (fan charts from their own run over the first paths) and a
    // sweep with figures, each written with --out.
    let run = [
        "run",
        "scenarios/peace-talks.toml",
        "scenarios/status-quo-updated.toml",
        "-n",
        "2300",
    ];
    let sweep = [
        "sweep",
        "scenarios/ceasefire-2026.toml",
        "--grid",
        "phases[0].start=2026-05-01,2026-09-01",
        "--grid",
        "noise.sigma=0.1,0.3",
        "-n",
        "1200",
    ];
    for (name, command) in [("run", &run[..]), ("sweep", &sweep[..])] {
        let (one_out, one_figs) = (d(&format!("{name}-one.json")), d(&format!("{name}-one")));
        let mut args = command.to_vec();
        args.extend(["-f", "json", "-q", "--out", &one_out, "--plot", &one_figs]);
        ok(&args);
        let parts = shards(command, 3, &dir);
        let (out, figs) = (
            d(&format!("{name}-merged.json")),
            d(&format!("{name}-merged")),
        );
        let mut args = vec!["merge", "-f", "json", "-q", "--out", &out, "--plot", &figs];
        args.extend(parts.iter().map(|p| p.to_str().unwrap()));
        ok(&args);
        assert!(
            fs::read(&out).unwrap() == fs::read(&one_out).unwrap(),
            "{name}: --out"
        );
        let names = |dir: &str| {
            let mut v: Vec<String> = fs::read_dir(dir)
                .unwrap()
                .map(|e| e.unwrap().file_name().into_string().unwrap())
                .collect();
            v.sort();
            v
        };
        assert_eq!(names(&figs), names(&one_figs));
        assert!(names(&figs).len() >= 4, "{name}: {:?}", names(&figs));
        for f in names(&figs) {
            let a = fs::read(Path::new(&figs).join(&f)).unwrap();
            let b = fs::read(Path::new(&one_figs).join(&f)).unwrap();
            assert!(a == b, "{name}: {f} differs");
        }
    }
    fs::remove_dir_all(&dir).unwrap();
}

/// Runs `merge` on `parts` with `--out` over a file that holds "precious"; checks exit 2,
/// a message naming `blamed` and saying `says`, and the file untouched.
fn refused(parts: &[&Path], blamed: &str, says: &str, dir: &Path) {
    let out = dir.join("out.txt");
    fs::write(&out, "precious").unwrap();
    let mut args = vec!["merge", "--out", out.to_str().unwrap()];
    args.extend(parts.iter().map(|p| p.to_str().unwrap()));
    let o = attrition(&args);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains(blamed) && err.contains(says),
        "want {blamed:?} and {says:?}: {err}"
    );
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(fs::read_to_string(&out).unwrap(), "precious");
}

#[test]
fn parts_that_do_not_belong_together_or_are_not_whole_are_refused() {
    let dir = scratch("refused");
    let run = ["run", "scenarios/status-quo.toml", "-n", "3000"];
    let parts = shards(&run, 3, &dir);
    let p: Vec<&Path> = parts.iter().map(PathBuf::as_path).collect();
    let name = |i: usize| p[i].to_str().unwrap().to_string();
    // Missing and repeated shards.
    refused(
        &[p[0], p[2]],
        "shard 1/3 is missing",
        "2 of 3 parts given",
        &dir,
    );
    refused(&[p[0], p[1], p[2], p[1]], &name(1), "shard 1/3 again", &dir);
    // Another seed: other inputs.
    let other_dir = dir.join("seed");
    fs::create_dir_all(&other_dir).unwrap();
    let other = shards(
        &["run", "scenarios/status-quo.toml", "-n", "3000", "-s", "9"],
        3,
        &other_dir,
    );
    refused(
        &[p[0], p[1], &other[2]],
        other[2].to_str().unwrap(),
        "its inputs differ",
        &dir,
    );
    // Another shard count.
    let two = shards(
        &["run", "scenarios/status-quo.toml", "-n", "3000"],
        2,
        &other_dir,
    );
    refused(
        &[p[0], p[1], &two[1]],
        two[1].to_str().unwrap(),
        "not of 3",
        &dir,
    );
    // Another command's parts.
    let cmp = shards(
        &[
            "compare",
            "scenarios/status-quo.toml",
            "scenarios/peace-talks.toml",
            "-n",
            "3000",
        ],
        3,
        &other_dir,
    );
    refused(
        &[p[0], p[1], &cmp[2]],
        cmp[2].to_str().unwrap(),
        "it is a part of compare",
        &dir,
    );
    // Truncated, emptied, corrupted (a digit changed: still JSON), not a part at all.
    let bytes = fs::read(p[1]).unwrap();
    let bad = dir.join("bad.json");
    let b = bad.to_str().unwrap().to_string();
    fs::write(&bad, &bytes[..bytes.len() / 2]).unwrap();
    refused(&[p[0], &bad, p[2]], &b, "truncated", &dir);
    fs::write(&bad, b"").unwrap();
    refused(&[p[0], &bad, p[2]], &b, "empty", &dir);
    let text = String::from_utf8(bytes.clone()).unwrap();
    let at = text.find("\"crossings\":[[").expect("a tally") + 14;
    let digit = text[at..]
        .find(|c: char| c.is_ascii_digit() && c != '0')
        .unwrap()
        + at;
    let mut changed = text.clone().into_bytes();
    changed[digit] = if changed[digit] == b'9' {
        b'8'
    } else {
        changed[digit] + 1
    };
    fs::write(&bad, &changed).unwrap();
    refused(
        &[p[0], &bad, p[2]],
        &b,
        "corrupt: its bytes do not match its seal",
        &dir,
    );
    fs::write(
        &bad,
        "{\"schema\": \"attrition.projection\", \"schema_version\": 2}",
    )
    .unwrap();
    refused(&[p[0], &bad, p[2]], &b, "not a part", &dir);
    let newer = text.replacen("\"schema_version\":1", "\"schema_version\":99", 1);
    fs::write(&bad, newer).unwrap();
    refused(&[p[0], &bad, p[2]], &b, "schema version 99", &dir);
    refused(
        &[p[0], p[1], &dir.join("nowhere.json")],
        "nowhere.json",
        "cannot read",
        &dir,
    );
    fs::remove_dir_all(&dir).unwrap();
}

/// A part re-sealed after its tally was changed: the seal passes, the tally's own
/// checks do not (the counts no longer add up).
#[test]
fn a_resealed_part_with_a_tally_that_does_not_add_up_is_refused() {
    let dir = scratch("resealed");
    let parts = shards(&["run", "scenarios/status-quo.toml", "-n", "3000"], 2, &dir);
    let text = fs::read_to_string(&parts[1]).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let mut work: serde_json::Value = serde_json::from_str(lines[1]).unwrap();
    let counts = &mut work["state"]["pieces"][0]["tally"]["crossings"][0];
    let first = counts
        .as_array()
        .unwrap()
        .iter()
        .position(|c| c.as_u64() != Some(0))
        .unwrap();
    counts[first] = serde_json::json!(counts[first].as_u64().unwrap() + 1);
    // Sealed as the writer seals: SHA-256 of the header and work lines.
    let body = format!("{}\n{}\n", lines[0], serde_json::to_string(&work).unwrap());
    let seal = attrition::shard::sha256::hex(body.as_bytes());
    fs::write(&parts[1], format!("{body}{{\"sha256\":\"{seal}\"}}\n")).unwrap();
    let p: Vec<&Path> = parts.iter().map(PathBuf::as_path).collect();
    refused(
        &p,
        parts[1].to_str().unwrap(),
        "corrupt: a tally of job 0",
        &dir,
    );
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn shard_options_are_checked_before_any_work() {
    let dir = scratch("options");
    let out = dir.join("p.json");
    let o = out.to_str().unwrap();
    for (args, says) in [
        (
            vec!["sensitivity", "scenarios/status-quo.toml", "--shard", "0/3"],
            "--out",
        ),
        (
            vec![
                "sensitivity",
                "scenarios/status-quo.toml",
                "--shard",
                "1/3",
                "--out",
                o,
                "-f",
                "json",
            ],
            "--format",
        ),
        (
            vec![
                "sensitivity",
                "scenarios/status-quo.toml",
                "--shard",
                "1/3",
                "--out",
                o,
                "--plot",
                "figs",
            ],
            "--plot",
        ),
        (
            vec![
                "run",
                "scenarios/status-quo.toml",
                "--shard",
                "3/3",
                "--out",
                o,
            ],
            "0 to 2",
        ),
        (
            vec!["run", "scenarios/status-quo.toml", "--shard", "0/3"],
            "--out",
        ),
        (
            vec![
                "run",
                "scenarios/status-quo.toml",
                "--shard",
                "0/3",
                "--out",
                o,
                "-f",
                "csv",
            ],
            "--format",
        ),
        (
            vec![
                "run",
                "scenarios/status-quo.toml",
                "--shard",
                "0/3",
                "--out",
                o,
                "--plot",
                "figs",
            ],
            "--plot",
        ),
        (
            vec![
                "run",
                "scenarios/status-quo.toml",
                "--shard",
                "0/3",
                "--out",
                o,
                "--samples",
                "s.csv",
            ],
            "--samples",
        ),
        (
            vec![
                "compare",
                "scenarios/status-quo.toml",
                "scenarios/peace-talks.toml",
                "--shard",
                "0/3",
                "--out",
                o,
                "-f",
                "json",
            ],
            "--format",
        ),
        (
            vec![
                "sweep",
                "scenarios/status-quo.toml",
                "--grid",
                "noise.sigma=0.1,0.2",
                "--shard",
                "1/2",
            ],
            "--out",
        ),
        (
            vec![
                "sweep",
                "scenarios/status-quo.toml",
                "--grid",
                "noise.sigma=0.1,0.2",
                "--shard",
                "x/2",
                "--out",
                o,
            ],
            "I/N",
        ),
    ] {
        let r = attrition(&args);
        assert_eq!(r.status.code(), Some(2), "{args:?}: {}", stderr(&r));
        assert!(stderr(&r).contains(says), "{args:?}: {}", stderr(&r));
        assert!(!out.exists(), "{args:?} wrote a part");
    }
    // Merge's format is the kind's.
    let parts = shards(
        &[
            "compare",
            "scenarios/status-quo.toml",
            "scenarios/peace-talks.toml",
            "-n",
            "1000",
        ],
        1,
        &dir,
    );
    let r = attrition(&["merge", "-f", "csv", parts[0].to_str().unwrap()]);
    assert_eq!(r.status.code(), Some(2));
    assert!(stderr(&r).contains("table, json"), "{}", stderr(&r));
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn merge_writes_over_neither_the_parts_inputs_nor_its_own_outputs() {
    // The parts name the scenario they were computed from: merge --out over it is
    // refused (it never reads it, but the user would lose it); --out and --plot may not
    // be one path. Exit 2, the file as it was, nothing written.
    let dir = scratch("guards");
    let scenario = dir.join("mine.toml");
    fs::copy("scenarios/status-quo.toml", &scenario).unwrap();
    let before = fs::read(&scenario).unwrap();
    let s = scenario.to_str().unwrap();
    let parts = shards(&["sensitivity", s, "-n", "40"], 2, &dir);
    let mut args = vec!["merge", "--out", s];
    args.extend(parts.iter().map(|p| p.to_str().unwrap()));
    let o = attrition(&args);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("an input of the parts"),
        "{}",
        stderr(&o)
    );
    assert_eq!(fs::read(&scenario).unwrap(), before);
    let same = dir.join("same");
    let same = same.to_str().unwrap();
    let mut args = vec!["merge", "--out", same, "--plot", same];
    args.extend(parts.iter().map(|p| p.to_str().unwrap()));
    let o = attrition(&args);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--plot"), "{}", stderr(&o));
    assert!(!Path::new(same).exists());
    // The one-machine commands refuse it too.
    let o = attrition(&["run", s, "-n", "40", "--out", same, "--plot", same]);
    assert_eq!(o.status.code(), Some(2));
    assert!(!Path::new(same).exists());
    fs::remove_dir_all(&dir).unwrap();
}
