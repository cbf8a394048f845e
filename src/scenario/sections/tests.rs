//! The loader on valid files, and on each kind of mistake: the key path, line and message.

use crate::model::{Metric, Noise, PhaseEffect, Rate};
use crate::sample::Dist;
use crate::scenario::{load_bytes, load_str, Diagnostic};

const GOOD: &str = r#"
[scenario]
name = "t"
reference_date = 2025-12-31
horizon = 2026-12-31
report_dates = [2026-03-31, "2026-06-30"]
paths = 1000
seed = 5

[noise]
model = "lognormal"
sigma = 0.3

[sides.russia]
casualties = { lo = 1_100_000, hi = 1_300_000 }
rate_per_day = { total = "casualties", from = 2022-02-24 }
killed = [275_000, 325_000]
killed_share = { lo = 0.2, hi = 0.3, shape = "uniform" }

[sides.ukraine]
casualties = { lo = 500_000, hi = 600_000 }
rate_per_day = { lo = 300, mode = 400, hi = 450, shape = "pert" }

[[phases]]
name = "offensive"
start = 2026-04-01
end = 2026-06-30
multiplier = { lo = 1.2, hi = 1.5 }

[[phases]]
name = "lull"
start = 2026-10-01
multipliers = { russia = 0.5, ukraine = { lo = 0.4, hi = 0.6, shape = "triangular", mode = 0.5 } }

[[thresholds]]
name = "2M"
level = 2_000_000

[[thresholds]]
name = "russia killed"
metric = "killed"
sides = ["russia"]
level = 400_000
"#;

fn errors(text: &str) -> Vec<Diagnostic> {
    load_str("t.toml", text)
        .expect_err("expected the file to be refused")
        .diagnostics
}

/// Replaces `from` (which must occur) in GOOD and returns the diagnostics.
fn errors_with(from: &str, to: &str) -> Vec<Diagnostic> {
    assert!(GOOD.contains(from), "test bug: {from:?} not in GOOD");
    errors(&GOOD.replacen(from, to, 1))
}

fn line_of(text: &str, needle: &str) -> usize {
    text[..text.find(needle).unwrap()].matches('\n').count() + 1
}

#[test]
fn reads_every_section_of_a_good_file() {
    let m = load_str("t.toml", GOOD).unwrap();
    assert_eq!(m.horizon_days, 365);
    assert_eq!(m.report_days, vec![90, 181]);
    assert_eq!((m.default_paths, m.default_seed), (1000, 5));
    assert_eq!(m.noise, Noise::LogNormal { sigma: 0.3 });
    assert!(matches!(
        m.sides[0].rate,
        Rate::ImpliedByBaseline { days: 1406 }
    ));
    assert!(matches!(m.sides[1].rate, Rate::PerDay(Dist::Pert { .. })));
    assert!(m.sides[1].killed.is_none());
    assert_eq!((m.phases[0].first_day, m.phases[0].last_day), (91, 181));
    // A phase without an end runs to the horizon.
    assert_eq!((m.phases[1].first_day, m.phases[1].last_day), (274, 365));
    assert!(matches!(&m.phases[1].effect, PhaseEffect::PerSide(v) if v.len() == 2));
    assert_eq!(m.thresholds[0].sides, vec![0, 1]);
    assert_eq!(m.thresholds[1].metric, Metric::Killed);
}

#[test]
fn noise_can_be_given_by_cv_and_the_two_forms_agree() {
    let gamma = load_str(
        "t.toml",
        &GOOD.replace("model = \"lognormal\"", "model = \"gamma\""),
    )
    .unwrap();
    let Noise::Gamma { shape } = gamma.noise else {
        panic!()
    };
    // W1g: k = 1 / (exp(sigma^2) - 1), about 10.62 for sigma = 0.3.
    assert!((shape - 1.0 / 0.09f64.exp_m1()).abs() < 1e-12);
    let by_cv = load_str(
        "t.toml",
        &GOOD.replace("sigma = 0.3", &format!("cv = {}", 0.09f64.exp_m1().sqrt())),
    )
    .unwrap();
    let Noise::LogNormal { sigma } = by_cv.noise else {
        panic!()
    };
    assert!((sigma - 0.3).abs() < 1e-12);
}

#[test]
fn a_utf8_bom_is_accepted_and_utf16_is_refused() {
    let mut with_bom = vec![0xEF, 0xBB, 0xBF];
    with_bom.extend_from_slice(GOOD.as_bytes());
    assert!(load_bytes("t.toml", &with_bom).is_ok());
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(GOOD.encode_utf16().flat_map(|u| u.to_le_bytes()))
        .collect();
    let e = load_bytes("t.toml", &utf16).unwrap_err();
    assert!(e.diagnostics[0].message.contains("UTF-16"));
    let e = load_bytes("t.toml", &[0x80, 0x81, 0x00, 0x12]).unwrap_err();
    assert!(e.diagnostics[0].message.contains("not UTF-8"));
}

/// (replace this, with this) -> (key path, words the message must hold).
const CASES: &[(&str, &str, &str, &str)] = &[
    (
        "seed = 5",
        "seeed = 5",
        "scenario.seeed",
        "did you mean 'seed'?",
    ),
    ("[noise]", "[noize]", "noize", "did you mean 'noise'?"),
    (
        "paths = 1000",
        "paths = \"many\"",
        "scenario.paths",
        "expected a whole number, found a string",
    ),
    (
        "paths = 1000",
        "paths = 0",
        "scenario.paths",
        "between 1 and",
    ),
    ("paths = 1000", "paths = -4", "scenario.paths", "negative"),
    (
        "lo = 1_100_000, hi = 1_300_000",
        "lo = 1_400_000, hi = 1_300_000",
        "sides.russia.casualties",
        "lo (1400000) is above hi (1300000)",
    ),
    (
        "lo = 500_000, hi = 600_000",
        "lo = -5, hi = 600_000",
        "sides.ukraine.casualties",
        "negative",
    ),
    (
        "lo = 500_000, hi = 600_000",
        "lo = nan, hi = 600_000",
        "sides.ukraine.casualties.lo",
        "finite",
    ),
    (
        "lo = 500_000, hi = 600_000",
        "lo = 500_000, hi = inf",
        "sides.ukraine.casualties.hi",
        "finite",
    ),
    (
        "lo = 500_000, hi = 600_000",
        "lo = 0, hi = 600_000",
        "sides.ukraine.casualties",
        "above 0",
    ),
    (
        "lo = 500_000, hi = 600_000",
        "lo = 500_000, hi = 600_000, shape = \"weibull\"",
        "sides.ukraine.casualties.shape",
        "unknown shape",
    ),
    (
        "lo = 500_000, hi = 600_000",
        "lo = 500_000, hi = 600_000, mode = 5",
        "sides.ukraine.casualties.mode",
        "not used by shape \"lognormal\"",
    ),
    (
        "lo = 300, mode = 400, hi = 450",
        "lo = 300, hi = 450",
        "sides.ukraine.rate_per_day.mode",
        "needs lo, mode, hi",
    ),
    (
        "lo = 300, mode = 400, hi = 450",
        "lo = 300, mode = 500, hi = 450",
        "sides.ukraine.rate_per_day",
        "mode (500) must lie between",
    ),
    (
        "killed = [275_000, 325_000]",
        "killed = [275_000]",
        "sides.russia.killed",
        "exactly two numbers",
    ),
    (
        "killed = [275_000, 325_000]",
        "killed = [275_000, 1_400_000]",
        "sides.russia.killed",
        "part of the casualties",
    ),
    (
        "lo = 0.2, hi = 0.3, shape",
        "lo = 0.2, hi = 1.3, shape",
        "sides.russia.killed_share",
        "above 1",
    ),
    (
        "killed_share = { lo = 0.2, hi = 0.3, shape = \"uniform\" }",
        "",
        "sides.russia.killed_share",
        "missing",
    ),
    (
        "from = 2022-02-24 }",
        "from = 2026-02-24 }",
        "sides.russia.rate_per_day.from",
        "not before",
    ),
    (
        "from = 2022-02-24 }",
        "from = 2022-02-24, to = 2026-01-05 }",
        "sides.russia.rate_per_day.to",
        "after the reference date",
    ),
    ("from = 2022-02-24 }", "from = 2022-02-30 }", "", "invalid"),
    (
        "total = \"casualties\"",
        "total = \"killed\"",
        "sides.russia.rate_per_day.total",
        "not a total",
    ),
    (
        "horizon = 2026-12-31",
        "horizon = 2025-06-30",
        "scenario.horizon",
        "not after the reference date",
    ),
    (
        "horizon = 2026-12-31",
        "horizon = 2300-01-01",
        "scenario.horizon",
        "at most 36525 days",
    ),
    (
        "horizon = 2026-12-31",
        "horizon_days = 0",
        "scenario.horizon_days",
        "at least 1",
    ),
    ("horizon = 2026-12-31", "", "scenario.horizon", "missing"),
    (
        "horizon = 2026-12-31",
        "horizon = 2026-12-31\nhorizon_days = 20",
        "scenario.horizon_days",
        "not both",
    ),
    (
        "horizon = 2026-12-31",
        "horizon = 2026-12-31T10:00:00",
        "scenario.horizon",
        "drop the time of day",
    ),
    (
        "[2026-03-31, \"2026-06-30\"]",
        "[2026-06-30, 2026-03-31]",
        "scenario.report_dates[1]",
        "increasing order",
    ),
    (
        "[2026-03-31, \"2026-06-30\"]",
        "[2026-03-31, \"2026-06-31\"]",
        "scenario.report_dates[1]",
        "30 days",
    ),
    (
        "[2026-03-31, \"2026-06-30\"]",
        "[2027-03-31]",
        "scenario.report_dates[0]",
        "after the horizon",
    ),
    (
        "[2026-03-31, \"2026-06-30\"]",
        "[2025-03-31]",
        "scenario.report_dates[0]",
        "not after the reference date",
    ),
    (
        "model = \"lognormal\"",
        "model = \"lognormla\"",
        "noise.model",
        "did you mean 'lognormal'?",
    ),
    (
        "sigma = 0.3",
        "sigma = -0.3",
        "noise.sigma",
        "must be from 1e-6",
    ),
    ("sigma = 0.3", "", "noise.sigma", "missing"),
    (
        "start = 2026-04-01",
        "start = 2027-04-01",
        "phases[0].start",
        "after the horizon",
    ),
    (
        "start = 2026-04-01",
        "start = 2025-04-01",
        "phases[0].start",
        "not after the reference date",
    ),
    (
        "end = 2026-06-30",
        "end = 2026-03-30",
        "phases[0].end",
        "before the start",
    ),
    (
        "multiplier = { lo = 1.2, hi = 1.5 }",
        "multiplier = { lo = 1.2, hi = 1.5 }\nsides = [\"rusia\"]",
        "phases[0].sides[0]",
        "did you mean 'russia'?",
    ),
    (
        "multiplier = { lo = 1.2, hi = 1.5 }",
        "multiplier = { lo = 1.2, hi = 1.5 }\nsides = [\"russia\", \"russia\"]",
        "phases[0].sides[1]",
        "listed twice",
    ),
    (
        "multiplier = { lo = 1.2, hi = 1.5 }",
        "",
        "phases[0].multiplier",
        "missing",
    ),
    (
        "russia = 0.5, ukraine",
        "belarus = 0.5, ukraine",
        "phases[1].multipliers.belarus",
        "unknown side 'belarus'",
    ),
    (
        "sides = [\"russia\"]",
        "sides = [\"ukraine\"]",
        "thresholds[1].metric",
        "side 'ukraine' does not project killed",
    ),
    (
        "metric = \"killed\"",
        "metric = \"deaths\"",
        "thresholds[1].metric",
        "metrics are: casualties, killed",
    ),
    (
        "level = 2_000_000",
        "level = 0",
        "thresholds[0].level",
        "must be above 0",
    ),
    (
        "name = \"russia killed\"",
        "name = \"2M\"",
        "thresholds[1].name",
        "already named",
    ),
    (
        "[sides.ukraine]",
        "[sides.combined]",
        "sides.combined",
        "not a usable side name",
    ),
    ("[scenario]", "[scenario]\n[scenario]", "", "invalid TOML"),
    (
        "name = \"t\"",
        "name = \"t\"\nname = \"u\"",
        "",
        "duplicate key",
    ),
    ("name = \"t\"", "name = \"t", "", "invalid TOML"),
    (
        "name = \"lull\"",
        "name = \"offensive\"",
        "phases[1].name",
        "already named",
    ),
    (
        "name = \"lull\"",
        "name = \" \"",
        "phases[1].name",
        "must not be empty",
    ),
    (
        "name = \"russia killed\"",
        "name = \"\"",
        "thresholds[1].name",
        "must not be empty",
    ),
    (
        "lo = 300, mode = 400, hi = 450, shape = \"pert\"",
        "lo = 300, hi = 450, shape = \"pert\"",
        "sides.ukraine.rate_per_day.mode",
        "shape \"pert\" needs lo, mode, hi",
    ),
];

#[test]
fn each_mistake_is_named_with_its_key_and_line() {
    for &(from, to, key, words) in CASES {
        let diags = errors_with(from, to);
        let hit = diags
            .iter()
            .find(|d| d.key == key && d.message.contains(words));
        assert!(
            hit.is_some(),
            "replacing {from:?} by {to:?}: wanted {key}: ...{words}..., got:\n{diags:#?}"
        );
        let d = hit.unwrap();
        assert!(d.line.is_some() || key.is_empty(), "{key} has no line");
        if !to.is_empty() && !key.is_empty() {
            // The reported line is inside the replaced text (or the table holding it).
            let at = line_of(GOOD, from);
            let line = d.line.unwrap();
            assert!(
                line + 30 >= at && line <= at + to.matches('\n').count(),
                "{key}: line {line}, edit at {at}"
            );
        }
    }
}

#[test]
fn every_problem_in_a_file_is_reported_at_once() {
    let text = GOOD
        .replace("seed = 5", "seeed = 5")
        .replace("sigma = 0.3", "sigma = -1")
        .replace("level = 2_000_000", "level = -2");
    let diags = errors(&text);
    let keys: Vec<&str> = diags.iter().map(|d| d.key.as_str()).collect();
    assert!(keys.contains(&"scenario.seeed"), "{keys:?}");
    assert!(keys.contains(&"noise.sigma"), "{keys:?}");
    assert!(keys.contains(&"thresholds[0].level"), "{keys:?}");
    let first = diags.iter().find(|d| d.key == "scenario.seeed").unwrap();
    assert_eq!(first.line, Some(line_of(&text, "seeed")));
    assert_eq!(
        first.to_string(),
        format!(
            "t.toml:{}:1: scenario.seeed: unknown key 'seeed'; did you mean 'seed'?",
            first.line.unwrap()
        )
    );
}

#[test]
fn empty_and_section_less_files_say_what_is_needed() {
    assert!(errors("")[0].message.contains("empty"));
    assert!(errors("  \n# only a comment\n")[0]
        .message
        .contains("no settings"));
    let d = errors("[scenario]\nname = \"x\"\n");
    let keys: Vec<&str> = d.iter().map(|d| d.key.as_str()).collect();
    for k in ["scenario.reference_date", "noise", "sides"] {
        assert!(keys.contains(&k), "{k} not in {keys:?}");
    }
}

/// GOOD with `from` replaced by `to`.
fn good_with(from: &str, to: &str) -> String {
    assert!(GOOD.contains(from), "test bug: {from:?} not in GOOD");
    GOOD.replace(from, to)
}

/// The first diagnostic of `text`, which must be refused.
fn first(text: &str) -> Diagnostic {
    errors(text).remove(0)
}

#[test]
fn noise_too_small_for_f64_is_refused_at_its_key() {
    // cv = 1e-320 passed validation, then the gamma shape 1 / cv^2 was infinite and the
    // run failed as an overflow naming no line.
    for (model, key, value) in [
        ("gamma", "cv", "1e-320"),
        ("gamma", "cv", "1e-155"),
        ("gamma", "sigma", "5e-324"),
        ("lognormal", "sigma", "1e-9"),
        ("lognormal", "cv", "0"),
    ] {
        let text = good_with(
            "model = \"lognormal\"\nsigma = 0.3",
            &format!("model = \"{model}\"\n{key} = {value}"),
        );
        let d = first(&text);
        assert_eq!(d.key, format!("noise.{key}"), "{d}");
        assert_eq!(d.line, Some(line_of(&text, &format!("{key} = {value}"))));
        assert!(d.message.contains("must be from 1e-6"), "{d}");
    }
    let text = good_with(
        "model = \"lognormal\"\nsigma = 0.3",
        "model = \"gamma\"\ncv = 1e-6",
    );
    assert!(load_str("t.toml", &text).is_ok());
}

#[test]
fn seeds_are_toml_integers_from_0_to_2_pow_63_minus_1() {
    let top = good_with("seed = 5", "seed = 9223372036854775807");
    assert_eq!(
        load_str("t.toml", &top).unwrap().default_seed,
        i64::MAX as u64
    );
    assert_eq!(
        load_str("t.toml", &good_with("seed = 5", "seed = 0"))
            .unwrap()
            .default_seed,
        0
    );
    for big in ["9223372036854775808", "18446744073709551615"] {
        let text = good_with("seed = 5", &format!("seed = {big}"));
        let d = first(&text);
        assert_eq!(d.key, "scenario.seed");
        assert_eq!(d.line, Some(line_of(&text, "seed =")));
        assert!(d.message.contains("above 9223372036854775807"), "{d}");
    }
    let d = first(&good_with("seed = 5", "seed = 99999999999999999999"));
    assert_eq!(d.key, "scenario.seed");
}

/// A one-side scenario of `days` days with `extra` appended.
fn small(days: u32, extra: &str) -> String {
    format!(
        "[scenario]\nname = \"x\"\nreference_date = 2025-12-31\nhorizon_days = {days}\n\n[noise]\nmodel = \"lognormal\"\nsigma = 0.3\n\n[sides.a]\ncasualties = 1\nrate_per_day = 1\n\n[[thresholds]]\nname = \"t\"\nlevel = 1e15\n{extra}"
    )
}

fn phases(n: usize, multiplier: &str) -> String {
    (0..n)
        .map(|i| {
            format!("[[phases]]\nname = \"p{i}\"\nstart = 2026-01-01\nmultiplier = {multiplier}\n")
        })
        .collect()
}

#[test]
fn factors_that_could_overflow_are_refused_at_the_largest() {
    // Sixty overlapping phases of a million each: 1e360 a day, which the engine could
    // only refuse at run time, naming no line.
    let text = small(30, &phases(60, "1e6"));
    let d = first(&text);
    assert!(
        d.key.starts_with("phases[") && d.key.ends_with("].multiplier"),
        "{d}"
    );
    assert!(d.line.is_some() && d.message.contains("1e300"), "{d}");
    // Forty are 1e240: finite, and accepted.
    assert!(load_str("t.toml", &small(30, &phases(40, "1e6"))).is_ok());
    // +1000% a month compounds past 1e300 within 30 years, not within a month.
    let trend = "[trend]\npercent_per_month = 1000\n";
    let d = first(&small(36_525, trend));
    assert_eq!(d.key, "trend.percent_per_month");
    assert!(d.line.is_some(), "{d}");
    assert!(load_str("t.toml", &small(30, trend)).is_ok());
    // Events, regimes and seasonality count too.
    let events: String = (0..10)
        .map(|i| format!("[[events]]\nname = \"e{i}\"\nprobability = 1\nstart = 2026-01-02\nmultiplier = 1e6\n"))
        .collect();
    let text = small(30, &format!("{events}{}", phases(42, "1e6")));
    assert!(
        first(&text).message.contains("events up to 1e60"),
        "{}",
        first(&text)
    );
}

#[test]
fn counts_beyond_the_limits_are_refused_at_the_first_one_too_many() {
    use crate::model::{MAX_EVENTS, MAX_PHASES, MAX_SIDES, MAX_THRESHOLDS};
    let thresholds: String = (0..=MAX_THRESHOLDS)
        .map(|i| format!("[[thresholds]]\nname = \"u{i}\"\nlevel = 10\n"))
        .collect();
    let d = first(&small(30, &thresholds));
    assert_eq!(d.key, format!("thresholds[{MAX_THRESHOLDS}]"));
    assert!(
        d.message
            .contains(&format!("give at most {MAX_THRESHOLDS}")),
        "{d}"
    );
    let ok: String = (1..MAX_THRESHOLDS)
        .map(|i| format!("[[thresholds]]\nname = \"u{i}\"\nlevel = 10\n"))
        .collect();
    assert!(load_str("t.toml", &small(30, &ok)).is_ok());

    let d = first(&small(30, &phases(MAX_PHASES + 1, "1")));
    assert_eq!(d.key, format!("phases[{MAX_PHASES}]"));
    assert!(load_str("t.toml", &small(30, &phases(MAX_PHASES, "1"))).is_ok());

    let events: String = (0..=MAX_EVENTS)
        .map(|i| format!("[[events]]\nname = \"e{i}\"\nprobability = 1\nstart = 2026-01-02\nmultiplier = 0.5\n"))
        .collect();
    assert_eq!(
        first(&small(30, &events)).key,
        format!("events[{MAX_EVENTS}]")
    );

    let sides: String = (0..=MAX_SIDES)
        .map(|i| format!("[sides.s{i}]\ncasualties = 1\nrate_per_day = 1\n"))
        .collect();
    let d = first(&small(30, &sides));
    assert_eq!(d.key, format!("sides.s{}", MAX_SIDES - 1));
    assert!(
        d.message.contains(&format!("give at most {MAX_SIDES}")),
        "{d}"
    );
}

#[test]
fn regimes_beyond_the_limit_or_with_long_names_are_refused() {
    use crate::model::{MAX_NAME_CHARS, MAX_REGIMES};
    let states = |n: usize, name: &dyn Fn(usize) -> String| -> String {
        let mut s = format!("[regimes]\nstep = \"day\"\ninitial = \"{}\"\n", name(0));
        for i in 0..n {
            s += &format!(
                "[regimes.states.{}]\nmultiplier = 1\nnext = {{ {} = 1 }}\n",
                name(i),
                name(0)
            );
        }
        s
    };
    let d = first(&small(30, &states(MAX_REGIMES + 1, &|i| format!("r{i}"))));
    assert_eq!(d.key, "regimes.states");
    assert!(d.message.contains(&format!("at most {MAX_REGIMES}")), "{d}");
    assert!(load_str(
        "t.toml",
        &small(30, &states(MAX_REGIMES, &|i| format!("r{i}")))
    )
    .is_ok());
    let long = |i: usize| format!("r{i}{}", "x".repeat(MAX_NAME_CHARS));
    let d = first(&small(30, &states(1, &long)));
    assert!(d.message.contains("1 to 100 characters"), "{d}");
    assert!(d.key.len() < 200);
}

#[test]
fn names_and_titles_are_bounded() {
    let long = "n".repeat(101);
    let d = first(&good_with("name = \"lull\"", &format!("name = \"{long}\"")));
    assert_eq!(d.key, "phases[1].name");
    assert!(
        d.message.contains("101 characters long; give at most 100"),
        "{d}"
    );
    assert!(d.message.len() < 200, "{d}");
    let d = first(&good_with("name = \"t\"", &format!("name = \"{long}\"")));
    assert_eq!(d.key, "scenario.name");
    let d = first(&good_with("[sides.ukraine]", &format!("[sides.u{long}]")));
    assert!(d.message.contains("at most 100 characters"), "{d}");
    assert!(load_str(
        "t.toml",
        &good_with("name = \"lull\"", &format!("name = \"{}\"", &long[1..]))
    )
    .is_ok());
}

#[test]
fn echoed_input_is_cut_and_escaped() {
    // A 20,000-character key (under the line limit) is quoted as 60 and an ellipsis.
    let key = "k".repeat(20_000);
    let text = good_with("seed = 5", &format!("seed = 5\n{key} = 1"));
    let d = first(&text);
    assert!(
        d.message
            .starts_with(&format!("unknown key '{}…'", "k".repeat(60))),
        "{}",
        &d.message[..100]
    );
    assert!(d.to_string().len() < 400, "{} bytes", d.to_string().len());
    // Control characters in a quoted key are escaped, not sent to the terminal.
    let text = good_with("seed = 5", "seed = 5\n\"x\\u001b[2J\" = 1");
    let d = first(&text);
    assert!(d.to_string().contains("x\\u{1b}[2J"), "{d}");
    assert!(!d.to_string().contains('\u{1b}'));
    let d = first(&good_with(
        "model = \"lognormal\"",
        "model = \"log\\u0007normal\"",
    ));
    assert!(d.message.contains("'log\\u{7}normal'"), "{d}");
}

#[test]
fn oversized_input_is_refused_before_parsing() {
    use crate::model::{MAX_FILE_BYTES, MAX_LINE_BYTES};
    // A 5 MB key took 15 s and 800 MB to refuse: now it is the file size, at once.
    let huge = format!("{GOOD}{} = 1\n", "k".repeat(5 << 20));
    let t = std::time::Instant::now();
    let d = load_bytes("t.toml", huge.as_bytes())
        .unwrap_err()
        .diagnostics;
    assert!(t.elapsed().as_secs_f64() < 1.0, "{:?}", t.elapsed());
    assert!(
        d[0].message
            .contains(&format!("larger than {MAX_FILE_BYTES} bytes")),
        "{}",
        d[0]
    );
    // A long line in a small file: its line number.
    let long = format!("{GOOD}{} = 1\n", "k".repeat(MAX_LINE_BYTES + 1));
    let d = &load_bytes("t.toml", long.as_bytes())
        .unwrap_err()
        .diagnostics[0];
    let line = GOOD.lines().count() + 1;
    assert_eq!((d.line, d.column), (Some(line), Some(1)));
    assert!(
        d.message
            .contains(&format!("line {line} is {} bytes long", MAX_LINE_BYTES + 5)),
        "{d}"
    );
    // At the limit, the line is read (and the key refused as unknown, quoted short).
    let edge = format!("{GOOD}{} = 1\n", "k".repeat(MAX_LINE_BYTES - 4));
    let d = &load_bytes("t.toml", edge.as_bytes())
        .unwrap_err()
        .diagnostics[0];
    assert!(d.message.starts_with("unknown key"), "{d}");
}

#[test]
fn nul_bytes_bad_utf8_and_deep_nesting_are_located() {
    let text = good_with("seed = 5", "seed = 5\0");
    let d = &load_bytes("t.toml", text.as_bytes())
        .unwrap_err()
        .diagnostics[0];
    assert_eq!(d.line, Some(line_of(GOOD, "seed = 5")));
    assert_eq!(d.column, Some(9));
    assert!(d.message.contains("NUL"), "{d}");
    let mut bytes = GOOD.as_bytes().to_vec();
    let at = GOOD.find("seed").unwrap();
    bytes[at + 1] = 0xE9;
    let d = &load_bytes("t.toml", &bytes).unwrap_err().diagnostics[0];
    assert_eq!(
        (d.line, d.column),
        (Some(line_of(GOOD, "seed = 5")), Some(2))
    );
    assert!(d.message.contains("0xE9"), "{d}");
    // A dotted key 100 levels deep: the parser's "recursion limit" has no place; the
    // loader finds it.
    let deep = format!("{GOOD}\n[{}]\n", vec!["a"; 100].join("."));
    let d = first(&deep);
    assert_eq!(
        (d.line, d.column),
        (Some(GOOD.lines().count() + 2), Some(2)),
        "{d}"
    );
    assert!(d.message.contains("nested too deeply"), "{d}");
    let deep = format!("{GOOD}\nx = {}{}\n", "[".repeat(300), "]".repeat(300));
    let d = first(&deep);
    assert_eq!(d.line, Some(GOOD.lines().count() + 2), "{d}");
    assert!(d.column.is_some());
}

#[test]
fn phases_that_never_overlap_do_not_add_up_in_the_overflow_bound() {
    // Sixty phases of a million each, one after the other: never more than one at a time.
    let sequential: String = (0..60)
        .map(|i| {
            format!(
                "[[phases]]\nname = \"p{i}\"\nstart = {}\nend = {}\nmultiplier = 1e6\n",
                crate::date::Date::from_ymd(2026, 1, 1)
                    .unwrap()
                    .add_days(i * 10),
                crate::date::Date::from_ymd(2026, 1, 1)
                    .unwrap()
                    .add_days(i * 10 + 9),
            )
        })
        .collect();
    assert!(load_str("t.toml", &small(1000, &sequential)).is_ok());
}
