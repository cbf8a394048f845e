//! What each renderer writes for a scenario whose names hold control characters: the
//! table and CSV show them as escapes (nothing raw reaches a terminal), the JSON as
//! `\u001b`, the figures as visible text in valid XML. And the table's event lines say
//! how often each subset never crosses.

mod common;
use common::{attrition, scratch, stdout};
use std::fs;

/// Whether `s` holds a control character other than a line break.
fn raw(s: &str) -> bool {
    s.chars().any(|c| c.is_control() && c != '\n')
}

#[test]
fn control_characters_reach_no_output_raw() {
    let dir = scratch("control");
    let text = fs::read_to_string("scenarios/peace-talks.toml")
        .unwrap()
        .replacen("name = \"peace-talks\"", "name = \"x\\u001b[2J\"", 1)
        .replacen(
            "name = \"2M combined casualties\"",
            "name = \"2M\\u0007 \\u009b31m\"",
            1,
        );
    let file = dir.join("ctrl.toml");
    fs::write(&file, text).unwrap();
    let file = file.to_str().unwrap();
    for format in ["table", "csv", "json"] {
        let o = attrition(&["run", file, "-n", "500", "-q", "-f", format]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let out = stdout(&o);
        assert!(!raw(&out), "{format}: a raw control character");
        let shown = if format == "json" {
            "x\\u001b[2J"
        } else {
            "x\\x1b[2J"
        };
        assert!(out.contains(shown), "{format}: {out}");
    }
    let figs = dir.join("figs");
    let o = attrition(&[
        "run",
        file,
        "-n",
        "500",
        "-q",
        "--plot",
        figs.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let mut n = 0;
    for e in fs::read_dir(&figs).unwrap() {
        let path = e.unwrap().path();
        let svg = fs::read_to_string(&path).unwrap();
        if path.extension().is_some_and(|x| x == "json") {
            // The figures' saved data: JSON, escaped as JSON.
            assert!(!raw(&svg), "figures.json");
            continue;
        }
        let doc = roxmltree::Document::parse(&svg).expect("valid XML");
        let texts: String = doc.descendants().filter_map(|n| n.text()).collect();
        assert!(!raw(&texts));
        n += usize::from(texts.contains("x\\u{1b}[2J"));
    }
    assert!(n >= 4, "the name is shown, escaped, in the figures ({n})");
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_table_gives_p_not_crossed_with_and_without_the_event() {
    let o = attrition(&["run", "scenarios/peace-talks.toml", "-n", "3000", "-q"]);
    assert!(o.status.success());
    let out = stdout(&o);
    let lines: Vec<&str> = out
        .lines()
        .filter(|l| {
            l.trim_start().starts_with("with event") || l.trim_start().starts_with("without")
        })
        .collect();
    assert_eq!(lines.len(), 2, "{out}");
    for l in lines {
        assert!(l.contains("P(not crossed) = 0."), "{l}");
    }
}

#[test]
fn the_backtest_table_escapes_the_names_it_quotes() {
    let dir = std::env::temp_dir().join(format!("attrition-renderers-bt-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    let series = dir.join("russian\u{1b}[2J.csv");
    fs::copy("data/ua_gs_russian_personnel.csv", &series).unwrap();
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_attrition"))
        .args(["backtest", "scenarios/status-quo-recent.toml"])
        .arg(&series)
        .args([
            "--origins",
            "2025-01-01..2025-02-01",
            "-n",
            "200",
            "--replicates",
            "100",
        ])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let table = String::from_utf8(o.stdout).unwrap();
    assert!(!raw(&table), "{table}");
    assert!(table.contains("russian\\x1b[2J.csv"), "{table}");
    fs::remove_dir_all(&dir).unwrap();
}
