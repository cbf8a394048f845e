//! Observations at the command line: refusals that name the file, line and key (or the
//! CSV line), the weighted run's outputs, and `--min-effective-paths`.

mod common;
use common::{attrition, scratch, stderr, stdout};
use std::fs;

const BASE: &str = r#"[scenario]
name = "obs"
reference_date = 2025-12-31
horizon = 2026-12-31
report_dates = [2026-06-30]
paths = 4096

[noise]
model = "lognormal"
sigma = 0.3

[sides.russia]
casualties = [1_100_000, 1_300_000]
rate_per_day = [950, 1_150]
killed = [275_000, 325_000]
killed_share = [0.229, 0.271]

[sides.ukraine]
casualties = [500_000, 600_000]
rate_per_day = [404, 541]

[[thresholds]]
name = "2M"
level = 2_000_000
"#;

fn with(dir: &std::path::Path, name: &str, extra: &str) -> String {
    let p = dir.join(name);
    fs::write(&p, format!("{BASE}{extra}")).unwrap();
    p.display().to_string()
}

#[test]
fn bad_observations_exit_2_naming_file_line_and_key() {
    let d = scratch("bad");
    let cases = [
        (
            "[[observations]]\nname = \"o\"\ndate = 2025-06-30\nvalue = [1, 2]\n",
            "observations[0].date",
            "before the reference date",
        ),
        (
            "[[observations]]\nname = \"o\"\ndate = 2027-06-30\nvalue = [1, 2]\n",
            "observations[0].date",
            "after the horizon",
        ),
        (
            "[[observations]]\nname = \"o\"\ndate = 2026-06-30\nvalue = 1_300_000\n",
            "observations[0].value",
            "a point figure needs a stated error",
        ),
        (
            "[[observations]]\nname = \"o\"\ndate = 2026-06-30\nsides = [\"ukraine\"]\nmetric = \"killed\"\nvalue = [1, 2]\n",
            "observations[0].metric",
            "does not project killed",
        ),
        (
            "[[observations]]\nname = \"o\"\ndate = 2026-06-30\nsides = [\"rusia\"]\nvalue = [1, 2]\n",
            "observations[0].sides[0]",
            "did you mean 'russia'",
        ),
        (
            "[[observations]]\nname = \"o\"\ndate = 2026-06-30\nvalue = [1, 2]\nsource = \"CSIS\"\n",
            "observations[0].source",
            "[sources.CSIS]",
        ),
        (
            "[[observations]]\nname = \"o\"\ndate = 2026-06-30\nvalue = [1, 2]\nsource = \"CSIS\"\n[sources.CSIS]\nbias = { lo = 0, hi = 1.1, shape = \"uniform\" }\n",
            "sources.CSIS.bias",
            "above 0",
        ),
        (
            "[[observations]]\nname = \"o\"\ndate = 2026-06-30\nvalue = [1, 2]\nwhen = 3\n",
            "observations[0].when",
            "unknown key",
        ),
        (
            "[[observations]]\nname = \"o\"\ndate = 2026-06-30\nvalue = [2, 1]\n",
            "observations[0].value",
            "lo (2) is above hi (1)",
        ),
        (
            "[[observations]]\nname = \"o\"\ndate = 2026-06-30\nvalue = [0, 2]\n",
            "observations[0].value",
            "must be above 0",
        ),
        (
            "[[observations]]\nname = \"o\"\ndate = 2026-06-30\nvalue = { lo = -5, hi = 2, shape = \"normal\" }\n",
            "observations[0].value",
            "is negative",
        ),
        (
            "[[observations]]\nname = \"o\"\ndate = 2026-06-30\nmetric = \"deaths\"\nvalue = [1, 2]\n",
            "observations[0].metric",
            "unknown metric 'deaths'",
        ),
        (
            "[[observations]]\nname = \"o\"\ndate = 2026-06-30\nvalue = [1, 2]\n[[observations]]\nname = \"o\"\ndate = 2026-06-30\nvalue = [1, 2]\n",
            "observations[1].name",
            "already named 'o'",
        ),
        (
            "[[observations]]\nname = \"o\"\ndate = 2026-06-30\nvalue = [1, 2]\nsource = \"CSIS\"\n[sources.CSIS]\nbias = { lo = 1.2, hi = 0.9 }\n",
            "sources.CSIS.bias",
            "above hi",
        ),
    ];
    for (i, (extra, key, words)) in cases.iter().enumerate() {
        let f = with(&d, &format!("bad{i}.toml"), extra);
        let o = attrition(&["run", &f, "-q"]);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{extra}: {err}");
        assert!(
            err.contains(&f) && err.contains(key) && err.contains(words),
            "{extra}: {err}"
        );
        // file:line:column
        assert!(err.contains(&format!("{f}:")), "{err}");
        assert!(stdout(&o).is_empty());
    }
}

#[test]
fn observations_no_path_explains_exit_2_naming_them() {
    let d = scratch("none");
    let f = with(
        &d,
        "none.toml",
        "[[observations]]\nname = \"far off\"\ndate = 2026-06-30\nsides = [\"russia\"]\nvalue = { lo = 5_000_000, hi = 5_100_000, shape = \"uniform\" }\n",
    );
    let o = attrition(&["run", &f, "-q", "-f", "json"]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("no path explains") && err.contains("'far off' (2026-06-30)"),
        "{err}"
    );
    assert!(stdout(&o).is_empty(), "no NaN output");
}

#[test]
fn observe_csv_adds_observations_and_refuses_bad_rows_by_line() {
    let d = scratch("csv");
    let f = with(&d, "s.toml", "[sources.MoD]\nbias = [0.9, 1.1]\n");
    let csv = d.join("obs.csv");
    fs::write(
        &csv,
        "name,date,sides,metric,lo,hi,source\nUK MoD,2026-04-30,russia,casualties,1200000,1400000,MoD\nboth,2026-06-30,russia+ukraine,,1800000,2000000,\n",
    )
    .unwrap();
    let o = attrition(&[
        "run",
        &f,
        "--observe",
        csv.to_str().unwrap(),
        "-f",
        "json",
        "-q",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let p = &v["projections"][0];
    assert_eq!(p["observations"][0]["name"], "UK MoD");
    assert_eq!(p["observations"][0]["source"], "MoD");
    assert_eq!(
        p["observations"][1]["sides"],
        serde_json::json!(["russia", "ukraine"])
    );
    assert!(p["run"]["weights"]["effective_paths"].as_f64().unwrap() > 100.0);
    // The same observations in the file give the same bytes.
    let g = with(
        &d,
        "t.toml",
        "[sources.MoD]\nbias = [0.9, 1.1]\n[[observations]]\nname = \"UK MoD\"\ndate = 2026-04-30\nsides = [\"russia\"]\nvalue = [1200000, 1400000]\nsource = \"MoD\"\n[[observations]]\nname = \"both\"\ndate = 2026-06-30\nvalue = [1800000, 2000000]\n",
    );
    let o2 = attrition(&["run", &g, "-f", "json", "-q"]);
    let strip = |b: &[u8]| String::from_utf8_lossy(b).replace(&g, "F").replace(&f, "F");
    assert_eq!(strip(&o.stdout), strip(&o2.stdout));
    // compare weights every scenario by --observe as by its own [[observations]]; a
    // missing --observe file is refused, not ignored.
    let cmp = |files: &[&str], extra: &[&str]| {
        let o = attrition(
            &[
                &["compare"],
                files,
                &["-n", "4096", "-f", "json", "-q"],
                extra,
            ]
            .concat(),
        );
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        o.stdout
    };
    assert_eq!(
        cmp(&[&f, &f], &["--observe", csv.to_str().unwrap()]),
        cmp(&[&g, &g], &[])
    );
    assert_ne!(cmp(&[&f, &f], &[]), cmp(&[&g, &g], &[]));
    let missing = d.join("missing.csv");
    let o = attrition(&[
        "compare",
        &f,
        &f,
        "--observe",
        missing.to_str().unwrap(),
        "-q",
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("missing.csv"), "{}", stderr(&o));

    for (row, words) in [
        (
            "x,2026-04-30,russia,,1300000,,",
            "a point figure needs a stated error",
        ),
        ("x,2026-04-30,russia,,1300000,1300000,", "a point figure"),
        ("x,2026-13-30,russia,,1,2,", "date"),
        ("x,2026-04-30,rusia,,1,2,", "unknown side 'rusia'"),
        (
            "x,2026-04-30,ukraine,killed,1,2,",
            "does not project killed",
        ),
        (
            "x,2026-04-30,russia,,1,2,BBC",
            "'BBC' is not a [sources.NAME]",
        ),
        ("x,2026-04-30,russia,,2,1,", "0 < lo < hi"),
    ] {
        let bad = d.join("bad.csv");
        fs::write(&bad, format!("name,date,sides,metric,lo,hi,source\nok,2026-04-30,russia,,1200000,1400000,\n{row}\n")).unwrap();
        let o = attrition(&["run", &f, "--observe", bad.to_str().unwrap(), "-q"]);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{row}: {err}");
        assert!(
            err.contains(&format!("{}:3:", bad.display())) && err.contains(words),
            "{row}: {err}"
        );
    }
}

#[test]
fn min_effective_paths_runs_rounds_that_equal_one_run() {
    let d = scratch("rounds");
    let f = with(
        &d,
        "r.toml",
        "[[observations]]\nname = \"June\"\ndate = 2026-06-30\nsides = [\"russia\"]\nvalue = { lo = 1_440_000, hi = 1_520_000 }\n",
    );
    let o = attrition(&[
        "run",
        &f,
        "-f",
        "json",
        "-q",
        "--min-effective-paths",
        "3000",
        // The scenario's own draws, whose effective sample size needs rounds.
        "--proposal",
        "off",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let run = &v["projections"][0]["run"];
    assert!(run["weights"]["effective_paths"].as_f64().unwrap() >= 3000.0);
    let paths = run["paths"].as_u64().unwrap();
    assert!(paths > 4096, "it added paths: {paths}");
    let n = paths.to_string();
    let once = attrition(&["run", &f, "-f", "json", "-q", "-n", &n, "--proposal", "off"]);
    assert_eq!(once.stdout, o.stdout, "rounds and one run differ");
    // A cap stops it short, and says so by the effective sample size it reports.
    let o = attrition(&[
        "run",
        &f,
        "-f",
        "json",
        "-q",
        "--min-effective-paths",
        "1000000",
        "--max-paths",
        "8192",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["projections"][0]["run"]["paths"], 8192);
    // Without observations there is nothing to reach.
    let plain = with(&d, "p.toml", "");
    let o = attrition(&["run", &plain, "--min-effective-paths", "10", "-q"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no observations"));
}

#[test]
fn a_weighted_run_warns_on_few_effective_paths_and_samples_carry_log_weights() {
    let d = scratch("warn");
    let f = with(
        &d,
        "w.toml",
        "[[observations]]\nname = \"killed\"\ndate = 2026-06-30\nsides = [\"russia\"]\nmetric = \"killed\"\nvalue = { lo = 400_000, hi = 450_000 }\n",
    );
    let samples = d.join("s.csv");
    let s = samples.to_str().unwrap();
    let o = attrition(&["run", &f, "--samples", s, "--proposal", "off"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("warning:") && stderr(&o).contains("effective sample size"),
        "{}",
        stderr(&o)
    );
    let table = stdout(&o);
    assert!(
        table.contains("weighted by 1 observation:") && table.contains("prior percentile"),
        "{table}"
    );
    let text = fs::read_to_string(&samples).unwrap();
    let header: Vec<&str> = text.lines().next().unwrap().split(',').collect();
    assert_eq!(header.last(), Some(&"log_weight"));
    assert!(header.contains(&"observed.killed"));
    let rows = text.lines().skip(1).count();
    assert_eq!(rows, 4096);
    let lw: Vec<f64> = text
        .lines()
        .skip(1)
        .map(|l| l.rsplit(',').next().unwrap().parse().unwrap())
        .collect();
    assert!(lw.iter().all(|&x| x <= 0.0));
    // The reported effective sample size is Kish's of these weights.
    let (s1, s2) = lw
        .iter()
        .fold((0.0, 0.0), |(a, b), &x| (a + x.exp(), b + (2.0 * x).exp()));
    let o = attrition(&["run", &f, "-f", "json", "-q", "--proposal", "off"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let ess = v["projections"][0]["run"]["weights"]["effective_paths"]
        .as_f64()
        .unwrap();
    assert!(
        (ess / (s1 * s1 / s2) - 1.0).abs() < 1e-4,
        "{ess} vs {}",
        s1 * s1 / s2
    );
    // Drawn from a proposal, the samples' log weights carry its density ratio: they still
    // give the reported effective sample size, now far larger, and no warning.
    let o = attrition(&["run", &f, "--samples", s, "-f", "json"]);
    assert!(!stderr(&o).contains("warning:"), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let w = &v["projections"][0]["run"]["weights"];
    assert!(w["proposal"]["pilot_paths"].as_u64().unwrap() > 0);
    let ess_q = w["effective_paths"].as_f64().unwrap();
    let text = fs::read_to_string(&samples).unwrap();
    let (s1, s2) = text.lines().skip(1).fold((0.0, 0.0), |(a, b), l| {
        let x: f64 = l.rsplit(',').next().unwrap().parse().unwrap();
        (a + x.exp(), b + (2.0 * x).exp())
    });
    assert!((ess_q / (s1 * s1 / s2) - 1.0).abs() < 1e-4, "{ess_q}");
    assert!(ess_q > 20.0 * ess, "{ess_q} against {ess}");
}
