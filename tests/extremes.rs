//! Numeric extremes: correct results or a clear refusal, never NaN, wrapped counters or
//! silently wrong numbers.

use attrition::engine::{self, EngineError, RunConfig, Silent};
use attrition::scenario::load_str;
use attrition::Projection;

fn scenario(horizon_days: u32, sides: &str, extra: &str) -> String {
    format!(
        "[scenario]\nname = \"x\"\nreference_date = 2025-12-31\nhorizon_days = {horizon_days}\nreport_dates = [2026-01-10]\n\n[noise]\nmodel = \"lognormal\"\nsigma = 0.3\n\n{sides}\n{extra}"
    )
}

fn run(text: &str, paths: u64) -> Result<Projection, EngineError> {
    let model = load_str("x.toml", text).unwrap_or_else(|e| panic!("{e}"));
    let config = RunConfig {
        paths,
        seed: 1,
        threads: Some(2),
        stepping: Default::default(),
        method: attrition::engine::Method::Plain,
    };
    engine::run(&model, &config, &Silent).map(|t| Projection::from_tally(&model, &config, &t, None))
}

const ONE_SIDE: &str = "[sides.a]\ncasualties = 1000\nrate_per_day = 0\n";

#[test]
fn zero_rates_leave_stocks_flat_and_never_cross() {
    let p = run(
        &scenario(
            365,
            ONE_SIDE,
            "[[thresholds]]\nname = \"t\"\nlevel = 2000\n",
        ),
        100,
    )
    .unwrap();
    assert_eq!(p.thresholds[0].p_not_crossed, 1.0);
    assert!(p.thresholds[0]
        .crossing
        .iter()
        .all(|q| q.day.is_none() && q.date.is_none()));
    assert!(p.thresholds[0].mean_of_crossed.is_none());
    assert!(p.stocks[0].points[0]
        .quantiles
        .iter()
        .all(|q| q.value == 1000.0));
}

#[test]
fn a_threshold_already_crossed_at_the_baseline_crosses_on_day_0() {
    let p = run(
        &scenario(
            365,
            ONE_SIDE,
            "[[thresholds]]\nname = \"t\"\nlevel = 1000\n",
        ),
        50,
    )
    .unwrap();
    let t = &p.thresholds[0];
    assert_eq!(t.p_at_baseline, 1.0);
    assert!(t.crossing.iter().all(|q| q.day == Some(0)));
    assert_eq!(t.mean_of_crossed.as_ref().unwrap().day, 0.0);
}

#[test]
fn an_unreachable_threshold_is_reported_as_not_crossed() {
    let sides = "[sides.a]\ncasualties = 1000\nrate_per_day = [10, 20]\n";
    let p = run(
        &scenario(3650, sides, "[[thresholds]]\nname = \"t\"\nlevel = 1e15\n"),
        200,
    )
    .unwrap();
    assert_eq!(p.thresholds[0].p_not_crossed, 1.0);
    assert_eq!(p.thresholds[0].p_not_crossed_se, 0.0);
}

#[test]
fn a_single_path_runs() {
    let sides = "[sides.a]\ncasualties = 1000\nrate_per_day = [10, 20]\n";
    let p = run(
        &scenario(365, sides, "[[thresholds]]\nname = \"t\"\nlevel = 2000\n"),
        1,
    )
    .unwrap();
    let q: Vec<Option<u32>> = p.thresholds[0].crossing.iter().map(|q| q.day).collect();
    assert!(
        q.iter().all(|d| *d == q[0]),
        "one path has one crossing day: {q:?}"
    );
    assert_eq!(p.run.paths, 1);
}

#[test]
fn a_fifty_year_horizon_runs_and_crosses_where_expected() {
    // 10 a day from 0 reaches 100,000 after about 10,000 days (27 years).
    let sides = "[sides.a]\ncasualties = 0\nrate_per_day = 10\n";
    let p = run(
        &scenario(
            18_262,
            sides,
            "[[thresholds]]\nname = \"t\"\nlevel = 100_000\n",
        ),
        200,
    )
    .unwrap();
    let median = p.thresholds[0].crossing[2].day.unwrap();
    // The sum of 10,000 mean-one multipliers with CV 0.31 has an sd of 31 days of rate.
    // The median of 200 paths has an SE near 2.7 days: 20 days is over 7 SE.
    assert!((9_990..=10_030).contains(&median), "{median}");
    assert_eq!(p.thresholds[0].p_not_crossed, 0.0);
}

#[test]
fn the_largest_accepted_numbers_stay_finite() {
    // Every stated number at its limit, over 100 years: about 3.7e19 per side, finite.
    let sides = "[sides.a]\ncasualties = 1e15\nrate_per_day = 1e15\n[sides.b]\ncasualties = 1e15\nrate_per_day = 1e15\n";
    let p = run(
        &scenario(
            36_525,
            sides,
            "[[thresholds]]\nname = \"t\"\nlevel = 1e15\n",
        ),
        20,
    )
    .unwrap();
    assert_eq!(p.thresholds[0].p_at_baseline, 1.0);
    for s in &p.stocks {
        assert!(s.points[0]
            .quantiles
            .iter()
            .all(|q| q.value.is_finite() && q.value >= 1e15));
    }
}

#[test]
fn overflow_is_refused_not_reported_as_numbers() {
    // Sixty overlapping phases, each multiplying by a million: 1e360, beyond f64.
    let mut phases = String::new();
    for i in 0..60 {
        phases += &format!("[[phases]]\nname = \"p{i}\"\nstart = 2026-01-01\nmultiplier = 1e6\n");
    }
    let sides = "[sides.a]\ncasualties = 1\nrate_per_day = 1\n";
    let text = scenario(
        30,
        sides,
        &format!("{phases}[[thresholds]]\nname = \"t\"\nlevel = 1e15\n"),
    );
    // The loader proves it cannot be run (`validate` refuses what `run` would), at a
    // multiplier's key and line.
    let e = load_str("x.toml", &text).unwrap_err().diagnostics.remove(0);
    assert!(e.key.ends_with("].multiplier") && e.line.is_some(), "{e}");
    let dir = std::env::temp_dir().join(format!("attrition-overflow-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("overflow.toml");
    std::fs::write(&file, &text).unwrap();
    for args in [vec!["run", "-n", "10"], vec!["validate"]] {
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_attrition"))
            .args(&args)
            .arg(&file)
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(2));
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert!(
            stderr.contains(".multiplier: side 'a' could lose about 1e"),
            "{stderr}"
        );
        assert!(o.stdout.is_empty());
    }
    std::fs::remove_dir_all(&dir).unwrap();
    // The engine's own guard stays: a model built past the loader is still refused.
    let fine = text.replace("multiplier = 1e6", "multiplier = 1");
    let mut model = load_str("x.toml", &fine).unwrap();
    for p in &mut model.phases {
        if let attrition::model::PhaseEffect::Shared { factor, .. } = &mut p.effect {
            *factor = attrition::sample::Dist::Fixed(1e6);
        }
    }
    let config = RunConfig {
        paths: 10,
        seed: 1,
        threads: Some(1),
        stepping: Default::default(),
        method: attrition::engine::Method::Plain,
    };
    assert!(matches!(
        engine::run(&model, &config, &Silent),
        Err(EngineError::NonFinite { .. })
    ));
}

#[test]
fn limits_are_enforced_at_the_border() {
    let sides = "[sides.a]\ncasualties = 1\nrate_per_day = 1\n";
    let t = "[[thresholds]]\nname = \"t\"\nlevel = 10\n";
    assert!(load_str("x.toml", &scenario(36_525, sides, t)).is_ok());
    let e = load_str("x.toml", &scenario(36_526, sides, t)).unwrap_err();
    assert!(e.to_string().contains("at most 36525 days"), "{e}");
    let text = scenario(10, sides, t).replace("[noise]", "paths = 1_000_000_001\n[noise]");
    assert!(load_str("x.toml", &text)
        .unwrap_err()
        .to_string()
        .contains("between 1 and 1000000000"));
    let config = RunConfig {
        paths: 1_000_000_001,
        seed: 1,
        threads: Some(1),
        stepping: Default::default(),
        method: attrition::engine::Method::Plain,
    };
    let model = load_str("x.toml", &scenario(10, sides, t)).unwrap();
    assert_eq!(
        engine::run(&model, &config, &Silent).unwrap_err(),
        EngineError::Paths(1_000_000_001)
    );
}

#[test]
fn dynamics_at_their_limits_run_to_a_century_without_overflow() {
    // A hazard of 1e-300 a month (the event practically never starts: its geometric wait
    // saturates), a daily regime chain that switches every day for 100 years, a trend of
    // -99% a month (rates fall to nothing) and a trend of +1000% a month capped by
    // overflow detection.
    let extra = "[[events]]\nname = \"never\"\nprobability = 1\nstart = { from = 2026-01-01, monthly_hazard = 1e-300 }\nmultiplier = 0\n\n\
        [regimes]\nstep = \"day\"\ninitial = \"a\"\n[regimes.states.a]\nmultiplier = 1\nnext = { b = 1 }\n[regimes.states.b]\nmultiplier = 2\nnext = { a = 1 }\n\n\
        [trend]\npercent_per_month = -99\n\n[[thresholds]]\nname = \"t\"\nlevel = 1e12\n";
    let p = run(
        &scenario(
            36_525,
            "[sides.a]\ncasualties = 1000\nrate_per_day = 10\n",
            extra,
        ),
        20,
    )
    .unwrap();
    assert_eq!(p.events[0].p_happened, 0.0);
    // Alternating every day over 36,525 days: 18,263 days in a, 18,262 in b.
    assert_eq!(p.regimes[0].share_of_days, 18_263.0 / 36_525.0);
    assert_eq!(p.thresholds[0].p_not_crossed, 1.0);
    // +1000% a month over a century compounds past 1e308: the loader refuses it at the
    // trend's key, before any run.
    let grow = extra.replace("percent_per_month = -99", "percent_per_month = 1000");
    let text = scenario(
        36_525,
        "[sides.a]\ncasualties = 1000\nrate_per_day = 10\n",
        &grow,
    )
    .replace("report_dates = [2026-01-10]", "report_dates = [2125-12-31]");
    let e = load_str("x.toml", &text).unwrap_err().diagnostics.remove(0);
    assert_eq!(e.key, "trend.percent_per_month", "{e}");
    assert!(e.line.is_some());
}
