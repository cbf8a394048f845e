//! Property tests, with proptest:
//! - fuzzing the loader and validator: shipped scenarios mutated at random (lines deleted,
//!   duplicated or swapped, truncation, stray tokens, extreme numbers, flipped bytes) must
//!   load or be refused with located diagnostics, never panic; what loads must run;
//! - invariants of results on random valid scenarios: stocks never decrease across report
//!   dates, quantiles are ordered, P(crossed by date) never decreases, killed never
//!   exceeds casualties, and results do not depend on the thread count.
//!
//! Cases default to 1,000 for the fuzzer and 64 for the invariants; longer runs:
//! `PROPTEST_CASES=100000 cargo test --release --test properties` (see docs/reliability.md).

use attrition::engine::{self, RunConfig, Silent};
use attrition::projection::{unexplained, Projection};
use attrition::scenario::load_bytes;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn seeds() -> Vec<Vec<u8>> {
    let mut v = Vec::new();
    for dir in ["scenarios", "scenarios/bench"] {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|e| e == "toml") {
                v.push(std::fs::read(p).unwrap());
            }
        }
    }
    v.sort();
    v
}

const TOKENS: &[&str] = &[
    "=",
    "[",
    "]",
    "{",
    "}",
    ",",
    "\"",
    "nan",
    "inf",
    "-inf",
    "-1",
    "0",
    "1e308",
    "1e-300",
    "2026-02-30",
    "0000-01-01",
    "9999-12-31",
    "\n",
    "[[phases]]\nname = \"p\"\nstart = 2026-01-02\nmultiplier = 2\n",
    "[sides.x]\n",
    "lo",
    "hi",
    "shape = \"pert\"",
    "\u{0}",
    "é",
    "#",
    "'''",
    "[[thresholds]]\nname = \"t\"\nlevel = 1\n",
    "horizon_days = 36525\n",
    "killed = 5\n",
    "sides = []",
    "multipliers = {}",
    "99999999999999999999",
    "[[events]]\nname = \"e\"\nprobability = 1\nstart = 2026-01-02\nmultiplier = 0\n",
    "start = { from = 2026-01-02, monthly_hazard = 1 }",
    "end_monthly_hazard = 1\n",
    "[trend]\npercent_per_month = -99\n",
    "[seasonality]\namplitude = 1\npeak_month = 1\n",
    "correlation = 0.999\n",
    "[regimes]\nstep = \"day\"\ninitial = \"a\"\n[regimes.states.a]\nmultiplier = 2\nnext = { a = 1 }\n",
    // Values at the edges of f64 that once passed validation and failed the run.
    "1e-320",
    "5e-324",
    "1e-160",
    "1e6",
    "1e15",
    "model = \"gamma\"\ncv = 1e-320\n",
    "[trend]\npercent_per_month = 1000\n",
    "[[phases]]\nname = \"q\"\nstart = 2026-01-02\nmultiplier = 1e6\n",
];

#[derive(Clone, Debug)]
enum Mutation {
    DeleteLine(usize),
    DuplicateLine(usize),
    SwapLines(usize, usize),
    Truncate(usize),
    Insert(usize, usize),
    FlipByte(usize, u8),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        any::<usize>().prop_map(Mutation::DeleteLine),
        any::<usize>().prop_map(Mutation::DuplicateLine),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Mutation::SwapLines(a, b)),
        any::<usize>().prop_map(Mutation::Truncate),
        (any::<usize>(), 0..TOKENS.len()).prop_map(|(a, t)| Mutation::Insert(a, t)),
        (any::<usize>(), any::<u8>()).prop_map(|(a, b)| Mutation::FlipByte(a, b)),
    ]
}

fn apply(text: &mut Vec<u8>, m: &Mutation) {
    let lines =
        |t: &Vec<u8>| -> Vec<Vec<u8>> { t.split(|&b| b == b'\n').map(|l| l.to_vec()).collect() };
    match *m {
        Mutation::DeleteLine(i) | Mutation::DuplicateLine(i) | Mutation::SwapLines(i, _) => {
            let mut ls = lines(text);
            if ls.is_empty() {
                return;
            }
            let i = i % ls.len();
            match *m {
                Mutation::DeleteLine(_) => {
                    ls.remove(i);
                }
                Mutation::DuplicateLine(_) => {
                    let l = ls[i].clone();
                    ls.insert(i, l);
                }
                Mutation::SwapLines(_, j) => {
                    let j = j % ls.len();
                    ls.swap(i, j);
                }
                _ => unreachable!(),
            }
            *text = ls.join(&b'\n');
        }
        Mutation::Truncate(at) => {
            let at = at % (text.len() + 1);
            text.truncate(at);
        }
        Mutation::Insert(at, t) => {
            let at = at % (text.len() + 1);
            let tok = TOKENS[t].as_bytes();
            text.splice(at..at, tok.iter().copied());
        }
        Mutation::FlipByte(at, b) => {
            if !text.is_empty() {
                let at = at % text.len();
                text[at] = b;
            }
        }
    }
}

#[test]
fn mutated_scenarios_never_panic_the_loader_or_engine() {
    let seeds = seeds();
    let mut runner = TestRunner::new(Config {
        cases: cases(1000),
        failure_persistence: None,
        ..Config::default()
    });
    let strategy = (0..seeds.len(), prop::collection::vec(mutation(), 1..5));
    runner
        .run(&strategy, |(s, muts)| {
            let mut text = seeds[s].clone();
            for m in &muts {
                apply(&mut text, m);
            }
            let lines = text.split(|&b| b == b'\n').count();
            match load_bytes("fuzz.toml", &text) {
                Err(e) => {
                    prop_assert!(!e.diagnostics.is_empty());
                    for d in &e.diagnostics {
                        prop_assert!(!d.message.is_empty());
                        if let Some(l) = d.line {
                            prop_assert!(l >= 1 && l <= lines + 1, "line {} of {}", l, lines);
                        }
                    }
                }
                Ok(model) => {
                    let config = RunConfig {
                        paths: 8,
                        seed: 1,
                        threads: Some(1),
                        stepping: Default::default(),
                        method: attrition::engine::Method::Plain,
                    };
                    match engine::run(&model, &config, &Silent) {
                        // With observations, 8 paths may all have zero weight: the run
                        // is then refused with a sentence (exit 2 in the CLI), never a
                        // projection of nothing.
                        Ok(tally)
                            if tally
                                .weights
                                .as_ref()
                                .is_some_and(|w| unexplained(&model, w).is_some()) =>
                        {
                            let w = tally.weights.as_ref().unwrap();
                            let msg = unexplained(&model, w).unwrap();
                            prop_assert!(
                                model.observations.iter().all(|o| msg.contains(&o.name)),
                                "{msg}"
                            );
                        }
                        Ok(tally) => {
                            let p = Projection::from_tally(&model, &config, &tally, None);
                            check_invariants(&p)?;
                        }
                        // What validates runs: an overflow must be refused by the loader.
                        Err(e) => prop_assert!(false, "a file that validates failed to run: {e}"),
                    }
                }
            }
            Ok(())
        })
        .unwrap();
}

/// Parameters at the edges of what the loader accepts: noise, rates, stacks of phase,
/// event and regime multipliers, trends and horizons, each drawn from values that include
/// the subnormal, the tiny and the limits.
fn edge_scenario() -> impl Strategy<Value = String> {
    let magnitude = prop_oneof![
        Just("5e-324".to_string()),
        Just("1e-320".to_string()),
        Just("1e-160".to_string()),
        Just("1e-6".to_string()),
        Just("0".to_string()),
        Just("1".to_string()),
        Just("1e6".to_string()),
        Just("1e15".to_string()),
        (-300i32..16).prop_map(|e| format!("1e{e}")),
    ];
    let factor = prop_oneof![
        Just("0".to_string()),
        Just("5e-324".to_string()),
        Just("1e-320".to_string()),
        Just("1".to_string()),
        Just("1e6".to_string()),
        (-300i32..=6).prop_map(|e| format!("1e{e}")),
        (0.5f64..20.0).prop_map(|x| format!("{x}")),
    ];
    let spread = prop_oneof![
        Just("1e-320".to_string()),
        Just("1e-160".to_string()),
        Just("1e-6".to_string()),
        Just("10".to_string()),
        (1e-7f64..11.0).prop_map(|x| format!("{x}")),
    ];
    let noise = prop_oneof![
        Just("model = \"none\"".to_string()),
        (spread, any::<bool>(), any::<bool>()).prop_map(|(v, gamma, cv)| format!(
            "model = \"{}\"\n{} = {v}",
            if gamma { "gamma" } else { "lognormal" },
            if cv { "cv" } else { "sigma" }
        )),
    ];
    (
        noise,
        magnitude.clone(),
        magnitude.clone(),
        prop::collection::vec((factor.clone(), 0u32..40, 0u32..40), 0..70),
        prop::collection::vec(factor.clone(), 0..10),
        proptest::option::of(factor),
        proptest::option::of(-99.0f64..=1000.0),
        prop_oneof![Just(30u32), Just(3650), Just(36_525)],
        any::<bool>(),
    )
        .prop_map(
            |(noise, rate, cas, phases, events, regime, trend, horizon, force)| {
                let mut s = format!(
                    "[scenario]\nname = \"edge\"\nreference_date = 2025-12-31\nhorizon_days = {horizon}\n\n[noise]\n{noise}\n\n"
                );
                for side in ["a", "b"] {
                    s += &format!("[sides.{side}]\ncasualties = {cas}\nrate_per_day = {rate}\n");
                    if force {
                        s += &format!("force = {{ lo = {cas}, hi = 1e15, shape = \"uniform\" }}\nrecruits_per_day = {rate}\n");
                    }
                }
                if force {
                    s += "\n[force]\nlaw = \"linear\"\n";
                }
                // Windows that overlap in part: the loader's bound counts phases where
                // they overlap, so the engine must agree on which days they share.
                for (i, (m, from, len)) in phases.iter().enumerate() {
                    let first = 1 + from % horizon;
                    let last = (first + len).min(horizon);
                    s += &format!(
                        "\n[[phases]]\nname = \"p{i}\"\nstart = {}\nend = {}\nmultiplier = {m}\n",
                        date(first),
                        date(last)
                    );
                }
                for (i, m) in events.iter().enumerate() {
                    s += &format!("\n[[events]]\nname = \"e{i}\"\nprobability = 1\nstart = 2026-01-03\nmultiplier = {m}\nend_monthly_hazard = 0.1\n");
                }
                if let Some(m) = regime {
                    s += &format!("\n[regimes]\nstep = \"month\"\ninitial = \"r\"\n[regimes.states.r]\nmultiplier = {m}\nnext = {{ r = 1 }}\n");
                }
                if let Some(t) = trend {
                    s += &format!("\n[trend]\npercent_per_month = {t}\n");
                }
                s + "\n[[thresholds]]\nname = \"t\"\nlevel = 1e15\n"
            },
        )
}

#[test]
fn what_validates_runs_at_the_edges_of_f64() {
    // `validate` must refuse everything `run` would: a file the loader accepts runs a
    // few paths, on two seeds, without an engine error (cv = 1e-320 used to pass the
    // loader, then fail the run as an overflow naming no line).
    let mut runner = TestRunner::new(Config {
        cases: cases(256),
        failure_persistence: None,
        ..Config::default()
    });
    runner
        .run(&edge_scenario(), |text| {
            match attrition::scenario::load_str("edge.toml", &text) {
                Err(e) => {
                    for d in &e.diagnostics {
                        prop_assert!(d.line.is_some() || !d.key.is_empty(), "{}", d);
                    }
                }
                Ok(model) => {
                    for seed in [1, 2] {
                        let config = RunConfig {
                            paths: 3,
                            seed,
                            threads: Some(1),
                            stepping: Default::default(),
                            method: attrition::engine::Method::Plain,
                        };
                        if let Err(e) = engine::run(&model, &config, &Silent) {
                            prop_assert!(false, "validates but fails to run: {e}\n{text}");
                        }
                    }
                }
            }
            Ok(())
        })
        .unwrap();
}

/// Invariants every projection must satisfy.
fn check_invariants(p: &Projection) -> Result<(), TestCaseError> {
    for t in &p.thresholds {
        let days: Vec<u32> = t
            .crossing
            .iter()
            .map(|q| q.day.unwrap_or(u32::MAX))
            .collect();
        prop_assert!(
            days.windows(2).all(|w| w[0] <= w[1]),
            "crossing quantiles out of order: {:?}",
            days
        );
        let ps: Vec<f64> = t.p_crossed_by.iter().map(|c| c.p).collect();
        prop_assert!(
            ps.windows(2).all(|w| w[0] <= w[1]),
            "P(crossed by) decreases: {:?}",
            ps
        );
        prop_assert!(ps.iter().all(|&x| (0.0..=1.0).contains(&x)));
        prop_assert!(t.p_at_baseline <= ps.first().copied().unwrap_or(1.0));
        prop_assert!(ps.last().copied().unwrap_or(0.0) <= 1.0 - t.p_not_crossed + 1e-12);
        if let Some(m) = &t.mean_of_crossed {
            prop_assert!(m.day.is_finite() && m.day >= 0.0);
        }
    }
    for s in &p.stocks {
        for point in &s.points {
            let q: Vec<f64> = point.quantiles.iter().map(|q| q.value).collect();
            prop_assert!(q.iter().all(|x| x.is_finite() && *x >= 0.0), "{:?}", q);
            prop_assert!(
                q.windows(2).all(|w| w[0] <= w[1]),
                "stock quantiles out of order: {:?}",
                q
            );
        }
        for level in 0..3 {
            let v: Vec<f64> = s
                .points
                .iter()
                .map(|pt| pt.quantiles[level].value)
                .collect();
            prop_assert!(
                v.windows(2).all(|w| w[0] <= w[1]),
                "{} {:?} decreases over time: {:?}",
                s.series,
                s.metric,
                v
            );
        }
    }
    for k in p
        .stocks
        .iter()
        .filter(|s| s.metric == attrition::model::Metric::Killed)
    {
        let c = p
            .stocks
            .iter()
            .find(|s| s.series == k.series && s.metric == attrition::model::Metric::Casualties)
            .unwrap();
        for (kp, cp) in k.points.iter().zip(&c.points) {
            for (kq, cq) in kp.quantiles.iter().zip(&cp.quantiles) {
                prop_assert!(
                    kq.value <= cq.value,
                    "killed {} above casualties {}",
                    kq.value,
                    cq.value
                );
            }
        }
    }
    Ok(())
}

/// A random valid scenario, as text.
fn scenario() -> impl Strategy<Value = String> {
    let side = (
        1e3..2e6f64,
        0.0..0.5f64,
        0.0..3e3f64,
        1.0..2.0f64,
        prop::option::of((0.05..0.4f64, 0.0..0.1f64)),
    );
    (
        prop::collection::vec(side, 1..4),
        0..3usize,
        0.01..1.0f64,
        prop::collection::vec((1..700u32, 0..400u32, 0.0..3.0f64), 0..3),
        prop::collection::vec((1e3..6e6f64, any::<bool>()), 1..3),
        prop::collection::btree_set(1..730u32, 0..4),
        dynamics(),
    )
        .prop_map(|(sides, noise, sigma, phases, thresholds, reports, dynamics)| {
            let mut t = String::from("[scenario]\nname = \"prop\"\nreference_date = 2025-12-31\nhorizon_days = 730\n");
            let reports: Vec<String> = reports.iter().map(|d| format!("\"{}\"", date(*d))).collect();
            t += &format!("report_dates = [{}]\n", reports.join(", "));
            t += &match noise {
                0 => "[noise]\nmodel = \"none\"\n".to_string(),
                1 => format!("[noise]\nmodel = \"lognormal\"\nsigma = {sigma}\n"),
                _ => format!("[noise]\nmodel = \"gamma\"\ncv = {sigma}\n"),
            };
            if let (Some(c), true) = (dynamics.shock, noise > 0) {
                t += &format!("correlation = {c}\n");
            }
            let all_killed = sides.iter().all(|s| s.4.is_some());
            for (i, (base, spread, rate, rspread, killed)) in sides.iter().enumerate() {
                t += &format!("[sides.s{i}]\ncasualties = {{ lo = {base}, hi = {} }}\n", base * (1.0 + spread));
                t += &format!("rate_per_day = {{ lo = {rate}, hi = {}, shape = \"uniform\" }}\n", rate * rspread);
                if let Some((share, extra)) = killed {
                    t += &format!("killed = {}\nkilled_share = {{ lo = {share}, hi = {} }}\n", base * share, share + extra);
                }
            }
            for (i, (start, len, factor)) in phases.iter().enumerate() {
                t += &format!(
                    "[[phases]]\nname = \"p{i}\"\nstart = \"{}\"\nend = \"{}\"\nmultiplier = {factor}\n",
                    date(*start),
                    date((start + len).min(730))
                );
            }
            t += &dynamics.text(sides.len());
            for (i, (level, killed)) in thresholds.iter().enumerate() {
                let metric = if *killed && all_killed { "killed" } else { "casualties" };
                t += &format!("[[thresholds]]\nname = \"t{i}\"\nmetric = \"{metric}\"\nlevel = {level}\n");
            }
            t
        })
}

/// Optional dynamics for a random scenario: events, regimes, season, trend, correlations.
#[derive(Clone, Debug)]
struct Dynamics {
    events: Vec<(f64, u32, u32, f64, Option<u32>)>,
    regimes: Option<(bool, f64, f64, f64)>,
    season: Option<(f64, u32)>,
    trend: Option<(f64, f64)>,
    rho: Option<f64>,
    shock: Option<f64>,
}

fn dynamics() -> impl Strategy<Value = Dynamics> {
    (
        prop::collection::vec(
            (
                0.0..=1.0f64,
                1..700u32,
                0..200u32,
                0.0..3.0f64,
                prop::option::of(1..300u32),
            ),
            0..3,
        ),
        prop::option::of((any::<bool>(), 0.0..1.0f64, 0.0..1.0f64, 0.0..4.0f64)),
        prop::option::of((0.0..1.0f64, 1..13u32)),
        prop::option::of((-5.0..5.0f64, 0.0..5.0f64)),
        prop::option::of(-0.9..0.9f64),
        prop::option::of(0.0..0.95f64),
    )
        .prop_map(|(events, regimes, season, trend, rho, shock)| Dynamics {
            events,
            regimes,
            season,
            trend,
            rho,
            shock,
        })
}

impl Dynamics {
    fn text(&self, sides: usize) -> String {
        let mut t = String::new();
        for (i, (p, start, len, factor, duration)) in self.events.iter().enumerate() {
            t += &format!(
                "[[events]]\nname = \"e{i}\"\nprobability = {p}\nstart = {{ from = {}, to = {} }}\nmultiplier = {factor}\n",
                date(*start),
                date((start + len).min(730))
            );
            if let Some(d) = duration {
                t += &format!("duration_days = {d}\n");
            }
        }
        if let Some((daily, stay_a, stay_b, factor)) = self.regimes {
            let step = if daily { "day" } else { "month" };
            t += &format!(
                "[regimes]\nstep = \"{step}\"\ninitial = \"a\"\n[regimes.states.a]\nmultiplier = 1\nnext = {{ a = {stay_a}, b = {} }}\n[regimes.states.b]\nmultiplier = {factor}\nnext = {{ a = {}, b = {stay_b} }}\n",
                1.0 - stay_a,
                1.0 - stay_b
            );
        }
        if let Some((amplitude, peak)) = self.season {
            t += &format!("[seasonality]\namplitude = {amplitude}\npeak_month = {peak}\n");
        }
        if let Some((lo, width)) = self.trend {
            t += &format!(
                "[trend]\npercent_per_month = {{ lo = {lo}, hi = {} }}\n",
                lo + width
            );
        }
        if let (Some(rho), true) = (self.rho, sides >= 2) {
            t += &format!("[[correlations]]\ninputs = [\"sides.s0.rate_per_day\", \"sides.s1.rate_per_day\"]\nrho = {rho}\n");
        }
        t
    }
}

fn date(day: u32) -> String {
    attrition::Date::parse_iso("2025-12-31")
        .unwrap()
        .add_days(day as i64)
        .to_string()
}

#[test]
fn results_keep_their_invariants_on_random_scenarios() {
    let mut runner = TestRunner::new(Config {
        cases: cases(64),
        failure_persistence: None,
        ..Config::default()
    });
    runner
        .run(&scenario(), |text| {
            let model = attrition::scenario::load_str("prop.toml", &text)
                .map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
            let config = RunConfig {
                paths: 300,
                seed: 3,
                threads: Some(1),
                stepping: Default::default(),
                method: attrition::engine::Method::Plain,
            };
            let tally = engine::run(&model, &config, &Silent).unwrap();
            check_invariants(&Projection::from_tally(&model, &config, &tally, None))
        })
        .unwrap();
}

#[test]
fn random_scenarios_give_the_same_tally_on_one_and_two_threads() {
    let mut runner = TestRunner::new(Config {
        cases: cases(6),
        failure_persistence: None,
        ..Config::default()
    });
    runner
        .run(&scenario(), |text| {
            let model = attrition::scenario::load_str("prop.toml", &text)
                .map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
            let run = |threads| {
                // Eight batches, the last short, so that both workers take some (with
                // fewer paths than a batch, both runs would be one worker's and the
                // comparison could not fail): a path that saw state left by the path
                // before it on the same worker would tell.
                let config = RunConfig {
                    paths: 8 * engine::BATCH_PATHS + 17,
                    seed: 3,
                    threads: Some(threads),
                    stepping: Default::default(),
                    method: attrition::engine::Method::Plain,
                };
                engine::run(&model, &config, &Silent).unwrap()
            };
            prop_assert_eq!(run(1), run(2));
            Ok(())
        })
        .unwrap();
}
