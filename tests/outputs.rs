//! What every command writes, and what it must never touch: an output that is an input
//! (or a symbolic or hard link to one) is refused with exit 2 before anything is written;
//! standard output that fails ends quietly on a closed pipe and with exit 1 on a full
//! disk; figures are written all or nothing; a killed run's temporary file is cleaned up
//! by the next run that writes the same target.

mod common;
use common::{attrition, scratch, stderr};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const SERIES: &str = "data/ua_gs_russian_personnel.csv";
const CORRECTIONS: &str = "data/ua_gs_russian_losses_corrections.csv";

fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    v.sort();
    v
}

/// The inputs, and the names of their copies (`w0s.csv`: a scenario file named as a
/// samples file could be).
const COPIES: [(&str, &str); 5] = [
    ("scenarios/status-quo-recent.toml", "s.toml"),
    ("scenarios/bench/w0.toml", "w0.toml"),
    ("scenarios/bench/w0.toml", "w0s.csv"),
    (SERIES, "series.csv"),
    (CORRECTIONS, "corr.csv"),
];

/// A folder holding copies of the inputs a command reads, with a symbolic and a hard
/// link to each.
struct Inputs {
    dir: PathBuf,
}

impl Inputs {
    fn new(test: &str) -> Inputs {
        let dir = scratch(test);
        for (from, to) in COPIES {
            fs::copy(from, dir.join(to)).unwrap();
            std::os::unix::fs::symlink(dir.join(to), dir.join(format!("soft-{to}"))).unwrap();
            fs::hard_link(dir.join(to), dir.join(format!("hard-{to}"))).unwrap();
        }
        Inputs { dir }
    }

    fn path(&self, name: &str) -> String {
        self.dir.join(name).to_str().unwrap().to_string()
    }

    /// Every input still holds what it held, and no file appeared.
    fn untouched(&self, what: &str) {
        for (from, to) in COPIES {
            assert_eq!(
                fs::read(self.dir.join(to)).unwrap(),
                fs::read(from).unwrap(),
                "{what}: {to} changed"
            );
        }
        assert_eq!(
            names(&self.dir).len(),
            3 * COPIES.len(),
            "{what}: {:?}",
            names(&self.dir)
        );
    }
}

/// Runs `args` with `{target}` replaced by each spelling of `input` (the file, a symbolic
/// link, a hard link): each is refused with exit 2, naming the flag, and nothing changes.
fn refused(inputs: &Inputs, args: &[&str], flag: &str, input: &str) {
    for spelling in [
        input.to_string(),
        format!("soft-{input}"),
        format!("hard-{input}"),
    ] {
        let target = inputs.path(&spelling);
        let args: Vec<String> = args
            .iter()
            .map(|a| {
                a.replace("{target}", &target)
                    .replace("{dir}", &inputs.path(""))
            })
            .collect();
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let o = attrition(&args);
        let what = format!("{args:?}");
        assert_eq!(o.status.code(), Some(2), "{what}: {}", stderr(&o));
        let err = stderr(&o);
        assert!(
            err.contains(flag) && err.contains("would be overwritten"),
            "{what}: {err}"
        );
        inputs.untouched(&what);
    }
}

#[test]
fn no_command_writes_over_its_inputs() {
    let i = Inputs::new("clobber");
    let s = i.path("s.toml");
    let w0 = i.path("w0.toml");
    let series = i.path("series.csv");
    let corr = i.path("corr.csv");
    let run = ["run", &w0, "-n", "100", "-q"];
    refused(
        &i,
        &[&run[..], &["--out", "{target}"]].concat(),
        "--out",
        "w0.toml",
    );
    let w0s = i.path("w0s.csv");
    let run_csv = ["run", &w0s, "-n", "100", "-q"];
    refused(
        &i,
        &[&run_csv[..], &["--samples", "{target}"]].concat(),
        "--samples",
        "w0s.csv",
    );
    let compare = ["compare", &w0, &s, "-n", "100", "-q"];
    for input in ["w0.toml", "s.toml"] {
        refused(
            &i,
            &[&compare[..], &["--out", "{target}"]].concat(),
            "--out",
            input,
        );
    }
    let fit = ["fit", &series, "--corrections", &corr, "--last", "90"];
    for input in ["series.csv", "corr.csv"] {
        refused(
            &i,
            &[&fit[..], &["--out", "{target}"]].concat(),
            "--out",
            input,
        );
    }
    let backtest = [
        "backtest",
        &s,
        &series,
        "--corrections",
        &corr,
        "--origins",
        "2025-06-01..2025-07-01",
        "--paths",
        "200",
        "--replicates",
        "100",
    ];
    for input in ["s.toml", "series.csv", "corr.csv"] {
        refused(
            &i,
            &[&backtest[..], &["--out", "{target}"]].concat(),
            "--out",
            input,
        );
    }
    fs::remove_dir_all(&i.dir).unwrap();
}

/// `run SCENARIO -n 200 -q --plot DIR`.
fn plot_run(scenario: &Path, dir: &Path) -> std::process::Output {
    attrition(&[
        "run",
        scenario.to_str().unwrap(),
        "-n",
        "200",
        "-q",
        "--plot",
        dir.to_str().unwrap(),
    ])
}

#[test]
fn a_figure_never_replaces_an_input_and_figures_are_all_or_nothing() {
    let dir = scratch("figures");
    let figs = dir.join("figs");
    let o = plot_run(Path::new("scenarios/bench/w0.toml"), &figs);
    assert!(o.status.success(), "{}", stderr(&o));
    let made = names(&figs);
    assert!(made.len() >= 2, "{made:?}");

    // A scenario file kept in the figure folder under a figure's name is refused.
    let other = dir.join("other");
    fs::create_dir(&other).unwrap();
    let inside = other.join(&made[0]);
    fs::copy("scenarios/bench/w0.toml", &inside).unwrap();
    let o = attrition(&["run", inside.to_str().unwrap(), "-n", "200", "-q", "--plot"])
        .status
        .code();
    assert_eq!(o, Some(2), "--plot without a folder is a usage error");
    let o = plot_run(&inside, &other);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("would be overwritten"),
        "{}",
        stderr(&o)
    );
    assert_eq!(names(&other), vec![made[0].clone()]);
    assert_eq!(
        fs::read(&inside).unwrap(),
        fs::read("scenarios/bench/w0.toml").unwrap()
    );

    // One figure cannot be written (a folder stands in its place): none is.
    let blocked = dir.join("blocked");
    fs::create_dir(&blocked).unwrap();
    fs::create_dir(blocked.join(made.last().unwrap())).unwrap();
    let o = plot_run(Path::new("scenarios/bench/w0.toml"), &blocked);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("no figure was written"),
        "{}",
        stderr(&o)
    );
    assert_eq!(names(&blocked), vec![made.last().unwrap().clone()]);

    // A refused run creates no figure folder.
    let never = dir.join("never");
    let o = attrition(&[
        "run",
        "scenarios/bench/w0.toml",
        "-n",
        "0",
        "--plot",
        never.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let broken = dir.join("broken.toml");
    fs::write(&broken, "[scenario]\nname = 1\n").unwrap();
    let o = attrition(&[
        "run",
        broken.to_str().unwrap(),
        "--plot",
        never.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(!never.exists(), "a refused run left its --plot folder");

    // `plot` never writes over the result it reads.
    let json = dir.join("r.json");
    let o = attrition(&[
        "run",
        "scenarios/bench/w0.toml",
        "-n",
        "200",
        "-q",
        "-f",
        "json",
        "-o",
        json.to_str().unwrap(),
    ]);
    assert!(o.status.success());
    let trap = dir.join("trap");
    fs::create_dir(&trap).unwrap();
    let svg = made.iter().find(|n| n.ends_with(".svg")).unwrap();
    fs::copy(&json, trap.join(svg)).unwrap();
    let o = attrition(&[
        "plot",
        trap.join(svg).to_str().unwrap(),
        "--out",
        trap.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert_eq!(fs::read(trap.join(svg)).unwrap(), fs::read(&json).unwrap());
    assert_eq!(names(&trap).len(), 1);
    fs::remove_dir_all(&dir).unwrap();
}

/// Every command that prints, as a new user would call it.
fn printing_commands() -> Vec<Vec<&'static str>> {
    vec![
        vec!["run", "scenarios/bench/w0.toml", "-n", "200", "-q"],
        vec![
            "compare",
            "scenarios/status-quo-recent.toml",
            "scenarios/escalation-2026.toml",
            "-n",
            "200",
            "-q",
        ],
        vec!["validate", "scenarios/status-quo.toml"],
        vec!["schema"],
        vec!["completions", "bash"],
        vec!["fit", SERIES, "--last", "90", "--replicates", "100"],
        vec![
            "backtest",
            "scenarios/status-quo-recent.toml",
            SERIES,
            "--origins",
            "2025-06-01..2025-07-01",
            "--paths",
            "200",
            "--replicates",
            "100",
            "--horizons",
            "30",
        ],
        vec!["--help"],
        vec!["--version"],
    ]
}

/// Runs `args` with `stdout` as standard output: its exit status and standard error.
fn with_stdout(args: &[&str], stdout: Stdio) -> (Option<i32>, String) {
    let o = Command::new(env!("CARGO_BIN_EXE_attrition"))
        .args(args)
        .stdout(stdout)
        .output()
        .unwrap();
    (o.status.code(), stderr(&o))
}

#[test]
fn a_full_disk_on_standard_output_is_an_error_not_a_panic() {
    for args in printing_commands() {
        let full = fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let (code, err) = with_stdout(&args, full.into());
        assert_eq!(code, Some(1), "{args:?}: {err}");
        assert!(
            err.contains("cannot write to standard output") && !err.contains("panicked"),
            "{args:?}: {err}"
        );
    }
}

#[test]
fn a_closed_pipe_on_standard_output_ends_quietly() {
    for args in printing_commands() {
        // The reading end is closed before the command starts: its first write fails.
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let (code, err) = with_stdout(&args, writer.into());
        assert_eq!(code, Some(0), "{args:?}: {err}");
        assert!(
            !err.contains("panicked") && !err.contains("error"),
            "{args:?}: {err}"
        );
    }
}

#[test]
fn a_killed_runs_temporary_file_goes_with_the_next_run() {
    let dir = scratch("killed");
    let samples = dir.join("paths.csv");
    let mut child = Command::new(env!("CARGO_BIN_EXE_attrition"))
        .args([
            "run",
            "scenarios/bench/w1.toml",
            "-n",
            "200000000",
            "-q",
            "--samples",
        ])
        .arg(&samples)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let temp = dir.join(format!(".paths.csv.{}.attrition-tmp", child.id()));
    let started = Instant::now();
    while !temp.exists() || fs::metadata(&temp).unwrap().len() == 0 {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "no temporary file"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(temp.exists(), "SIGKILL leaves the temporary file");
    let o = attrition(
        &[
            "run",
            "scenarios/bench/w0.toml",
            "-n",
            "100",
            "-q",
            "--samples",
        ]
        .iter()
        .copied()
        .chain([samples.to_str().unwrap()])
        .collect::<Vec<_>>(),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(names(&dir), vec!["paths.csv".to_string()]);
    fs::remove_dir_all(&dir).unwrap();
}
