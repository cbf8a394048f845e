//! Scenario dynamics against exact answers: events, regimes, correlations, seasonality,
//! trend and force-dependent attrition. Fixed seeds; tolerances from the Monte Carlo
//! standard error, stated at each test.

use attrition::engine::{self, RunConfig, Silent, Stepping, Tally};
use attrition::scenario::load_str;
use attrition::{Date, Model, Projection};

fn model(text: &str) -> Model {
    load_str("test.toml", text).unwrap_or_else(|e| panic!("{e}"))
}

fn config(paths: u64, seed: u64, stepping: Stepping) -> RunConfig {
    RunConfig {
        paths,
        seed,
        threads: Some(2),
        stepping,
        method: attrition::engine::Method::Plain,
    }
}

fn run(m: &Model, paths: u64, seed: u64) -> (Tally, Projection) {
    let c = config(paths, seed, Stepping::Auto);
    let tally = engine::run(m, &c, &Silent).unwrap();
    let p = Projection::from_tally(m, &c, &tally, None);
    (tally, p)
}

/// A two-sided scenario from day 0 = 2025-12-31 with the given extra sections.
fn two_sides(noise: &str, horizon_days: u32, reports: &str, extra: &str) -> String {
    format!(
        "[scenario]\nname = \"t\"\nreference_date = 2025-12-31\nhorizon_days = {horizon_days}\nreport_dates = [{reports}]\n\n\
         [noise]\n{noise}\n\n\
         [sides.a]\ncasualties = 1_000_000\nrate_per_day = 1000\n\n\
         [sides.b]\ncasualties = 500_000\nrate_per_day = 400\n\n{extra}"
    )
}

/// The median of a stock at a report date: for fixed inputs without noise every path has
/// the same value, and the histogram returns it within its 1e-4 relative accuracy.
fn stock(p: &Projection, series: &str, report: usize) -> f64 {
    let s = p.stocks.iter().find(|s| s.series == series).unwrap();
    s.points[report].quantiles[2].value
}

fn close(got: f64, want: f64) {
    assert!(
        (got - want).abs() <= 1e-4 * want.abs() + 1.0,
        "{got} vs exact {want}"
    );
}

fn within_se(got: f64, exact: f64, se: f64, k: f64) {
    assert!(
        (got - exact).abs() <= k * se,
        "{got} vs exact {exact}: {:.1} se",
        (got - exact).abs() / se
    );
}

#[test]
fn a_certain_event_on_a_fixed_date_cuts_losses_to_the_residual_from_that_date() {
    // Day 0 = 2025-12-31; the ceasefire starts on 2026-03-01 = day 60 and keeps 10% of
    // the fighting: by day 100, side a lost 59 * 1000 + 41 * 100 exactly.
    let extra =
        "[[events]]\nname = \"ceasefire\"\nprobability = 1\nstart = 2026-03-01\nmultiplier = 0.1\n";
    let m = model(&two_sides("model = \"none\"", 200, "2026-04-10", extra));
    let (tally, p) = run(&m, 100, 1);
    close(
        stock(&p, "a", 0),
        1_000_000.0 + 59.0 * 1000.0 + 41.0 * 100.0,
    );
    close(stock(&p, "b", 0), 500_000.0 + 59.0 * 400.0 + 41.0 * 40.0);
    assert_eq!(tally.events[0].happened, 100);
    assert_eq!(p.events[0].p_happened, 1.0);
    // A duration of 10 days: rates return on day 70.
    let m = model(&two_sides(
        "model = \"none\"",
        200,
        "2026-04-10",
        &format!("{extra}duration_days = 10\n"),
    ));
    let (_, p) = run(&m, 10, 1);
    close(
        stock(&p, "a", 0),
        1_000_000.0 + 90.0 * 1000.0 + 10.0 * 100.0,
    );
}

#[test]
fn an_event_of_probability_p_happens_on_that_share_of_paths() {
    // Fixed p = 0.3: the count is Binomial(n, 0.3); 4 SE. A uniform probability range
    // [0.2, 0.6] gives P = E[p] = 0.4 exactly. Power: with 100,000 paths the SE is 0.0015,
    // so a 3% relative bias (0.009) is 6 SE and fails.
    let n = 100_000;
    for (prob, exact) in [
        ("0.3", 0.3),
        ("{ lo = 0.2, hi = 0.6, shape = \"uniform\" }", 0.4),
    ] {
        let extra = format!("[[events]]\nname = \"e\"\nprobability = {prob}\nstart = {{ from = 2026-01-10, to = 2026-06-30 }}\nmultiplier = 0.5\n\n[[thresholds]]\nname = \"t\"\nlevel = 1_700_000\n");
        let m = model(&two_sides(
            "model = \"lognormal\"\nsigma = 0.3",
            400,
            "",
            &extra,
        ));
        let (tally, p) = run(&m, n, 7);
        let se = (exact * (1.0 - exact) / n as f64).sqrt();
        within_se(tally.events[0].happened as f64 / n as f64, exact, se, 4.0);
        assert_eq!(
            p.events[0].thresholds[0].with_event.paths
                + p.events[0].thresholds[0].without_event.paths,
            n
        );
    }
}

#[test]
fn a_monthly_hazard_starts_the_event_by_the_geometric_law() {
    // A 20% monthly hazard from day 1: the event starts within 365 days with probability
    // 1 - 0.8^(365 / 30.436875) exactly; 4 SE over 40,000 paths.
    let extra = "[[events]]\nname = \"e\"\nprobability = 1\nstart = { from = 2026-01-01, monthly_hazard = 0.2 }\nmultiplier = 0.5\n\n[[thresholds]]\nname = \"t\"\nlevel = 1_700_000\n";
    let m = model(&two_sides("model = \"none\"", 365, "", extra));
    let n = 40_000;
    let (tally, _) = run(&m, n, 3);
    let exact = 1.0 - 0.8f64.powf(365.0 / (365.2425 / 12.0));
    let se = (exact * (1.0 - exact) / n as f64).sqrt();
    within_se(tally.events[0].happened as f64 / n as f64, exact, se, 4.0);
}

fn regime_text(step: &str) -> String {
    // Stationary distribution of [[0.9, 0.1], [0.3, 0.7]]: pi = (0.75, 0.25). Starting
    // from it, every day's regime has exactly that law, so the mean share of days is pi.
    format!(
        "[regimes]\nstep = \"{step}\"\ninitial = {{ grind = 0.75, offensive = 0.25 }}\n\
         [regimes.states.grind]\nmultiplier = 1\nnext = {{ grind = 0.9, offensive = 0.1 }}\n\
         [regimes.states.offensive]\nmultiplier = 2\nnext = {{ grind = 0.3, offensive = 0.7 }}\n\n\
         [[thresholds]]\nname = \"t\"\nlevel = 1_700_000\n"
    )
}

#[test]
fn a_regime_chain_spends_its_stationary_share_of_time_in_each_regime() {
    for step in ["day", "month"] {
        let m = model(&two_sides("model = \"none\"", 730, "", &regime_text(step)));
        let (_, p) = run(&m, 20_000, 11);
        // The reported SE is the standard error over paths of each path's share.
        within_se(p.regimes[0].share_of_days, 0.75, p.regimes[0].se, 4.0);
        within_se(p.regimes[1].share_of_days, 0.25, p.regimes[1].se, 4.0);
        assert!((p.regimes[0].share_of_days + p.regimes[1].share_of_days - 1.0).abs() < 1e-12);
    }
}

#[test]
fn regime_multipliers_scale_the_losses_of_the_days_spent_in_them() {
    // Daily chain, no noise, no threshold to stop at: on every path, side a's stock at
    // the horizon is 1,000,000 + 1000 (days in grind) + 2000 (days in offensive), and the
    // days add up to the horizon.
    let text = two_sides("model = \"none\"", 730, "2027-12-31", &regime_text("day"))
        .replace("level = 1_700_000", "level = 1e12");
    let m = model(&text);
    let cols = engine::samples::columns(&m);
    let at = |name: &str| cols.iter().position(|c| c == name).unwrap();
    let (g, o) = (at("regimes.grind.days"), at("regimes.offensive.days"));
    let mut rows = Vec::new();
    engine::run_with_samples(&m, &config(500, 2, Stepping::Auto), &Silent, &mut |r| {
        rows.extend_from_slice(r);
        Ok(())
    })
    .unwrap();
    for row in rows.chunks(cols.len()) {
        assert_eq!(row[g] + row[o], 730.0);
    }
    // Per path through the engine's stocks: compare min and max over paths with the
    // samples' extreme day counts (the histogram is exact to 1e-4).
    let stocks: Vec<f64> = rows
        .chunks(cols.len())
        .map(|r| 1_000_000.0 + 1000.0 * r[g] + 2000.0 * r[o])
        .collect();
    let (_, p) = run(&m, 500, 2);
    let sorted = {
        let mut v = stocks.clone();
        v.sort_by(f64::total_cmp);
        v
    };
    let want_median = sorted[249]; // the histogram's lower median of 500 values
    close(stock(&p, "a", 0), want_median);
}

/// Pearson correlation of two columns.
fn correlation(x: &[f64], y: &[f64]) -> f64 {
    let n = x.len() as f64;
    let (mx, my) = (x.iter().sum::<f64>() / n, y.iter().sum::<f64>() / n);
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (a, b) in x.iter().zip(y) {
        sxy += (a - mx) * (b - my);
        sxx += (a - mx) * (a - mx);
        syy += (b - my) * (b - my);
    }
    sxy / (sxx * syy).sqrt()
}

fn sample_columns(m: &Model, n: u64, names: &[&str]) -> Vec<Vec<f64>> {
    let cols = engine::samples::columns(m);
    let idx: Vec<usize> = names
        .iter()
        .map(|n| cols.iter().position(|c| c == n).unwrap())
        .collect();
    let mut out = vec![Vec::new(); names.len()];
    engine::run_with_samples(m, &config(n, 5, Stepping::Auto), &Silent, &mut |rows| {
        for row in rows.chunks(cols.len()) {
            for (o, &i) in out.iter_mut().zip(&idx) {
                o.push(row[i]);
            }
        }
        Ok(())
    })
    .unwrap();
    out
}

#[test]
fn a_stated_correlation_is_recovered_from_the_samples() {
    // Lognormal rates: their logs are normal with exactly the copula's correlation. The
    // sample correlation's SE is (1 - rho^2) / sqrt(n); 4 SE over 20,000 paths.
    let n = 20_000;
    for rho in [0.7, -0.5] {
        let text = format!(
            "[scenario]\nname = \"c\"\nreference_date = 2025-12-31\nhorizon_days = 10\n\n[noise]\nmodel = \"none\"\n\n\
             [sides.a]\ncasualties = 1\nrate_per_day = [900, 1200]\n\n[sides.b]\ncasualties = 1\nrate_per_day = [300, 500]\n\n\
             [[correlations]]\ninputs = [\"sides.a.rate_per_day\", \"sides.b.rate_per_day\"]\nrho = {rho}\n\n\
             [[thresholds]]\nname = \"t\"\nlevel = 1e9\n"
        );
        let m = model(&text);
        let c = sample_columns(&m, n, &["sides.a.rate_per_day", "sides.b.rate_per_day"]);
        let logs: Vec<Vec<f64>> = c
            .iter()
            .map(|v| v.iter().map(|x| x.ln()).collect())
            .collect();
        let r = correlation(&logs[0], &logs[1]);
        within_se(r, rho, (1.0 - rho * rho) / (n as f64).sqrt(), 4.0);
    }
}

#[test]
fn a_stated_rank_correlation_is_recovered_with_any_shapes() {
    // spearman = 0.6 between a uniform and a triangular input: Spearman's rho of the
    // samples (Pearson of the ranks) has SE about (1 - rho^2) / sqrt(n) or less.
    let n = 20_000;
    let text = "[scenario]\nname = \"c\"\nreference_date = 2025-12-31\nhorizon_days = 10\n\n[noise]\nmodel = \"none\"\n\n\
        [sides.a]\ncasualties = { lo = 1, hi = 2, shape = \"uniform\" }\nrate_per_day = 1\n\n\
        [sides.b]\ncasualties = { lo = 1, mode = 1.2, hi = 3, shape = \"triangular\" }\nrate_per_day = 1\n\n\
        [[correlations]]\ninputs = [\"sides.a.casualties\", \"sides.b.casualties\"]\nspearman = 0.6\n\n\
        [[thresholds]]\nname = \"t\"\nlevel = 1e9\n";
    let c = sample_columns(
        &model(text),
        n,
        &["sides.a.casualties", "sides.b.casualties"],
    );
    let ranks = |v: &[f64]| {
        let mut idx: Vec<usize> = (0..v.len()).collect();
        idx.sort_by(|&i, &j| v[i].total_cmp(&v[j]));
        let mut r = vec![0.0; v.len()];
        for (k, &i) in idx.iter().enumerate() {
            r[i] = k as f64;
        }
        r
    };
    let r = correlation(&ranks(&c[0]), &ranks(&c[1]));
    within_se(r, 0.6, (1.0 - 0.36) / (n as f64).sqrt(), 4.0);
}

#[test]
fn seasonality_and_trend_multiply_each_calendar_month_as_documented() {
    // No noise, fixed inputs: the stock at 2026-12-31 is the sum over the days of 2026 of
    // rate * profile[month] * (1.02)^(months since December 2025), computed here day by
    // day from the calendar.
    let profile = [1.2, 1.1, 1.0, 0.9, 0.8, 0.7, 0.7, 0.8, 0.9, 1.0, 1.1, 1.2];
    let extra = format!(
        "[seasonality]\nmonths = {profile:?}\nsides = [\"a\"]\n\n[trend]\npercent_per_month = 2\nsides = [\"a\"]\n"
    );
    let m = model(&two_sides("model = \"none\"", 400, "2026-12-31", &extra));
    let (_, p) = run(&m, 10, 1);
    let start = Date::parse_iso("2025-12-31").unwrap();
    let mut want = 1_000_000.0;
    for d in 1..=365 {
        let (_, month, _) = start.add_days(d).ymd();
        want += 1000.0 * profile[month as usize - 1] * 1.02f64.powi(month as i32);
    }
    close(stock(&p, "a", 0), want);
    close(stock(&p, "b", 0), 500_000.0 + 365.0 * 400.0);
}

#[test]
fn a_square_law_without_noise_follows_the_closed_form_lanchester_solution() {
    // Daily square law: x' = x - a y, y' = y - b x with a = r_x / y0, b = r_y / x0. Its
    // closed form: x_t = ((x0 - c y0) (1 + s)^t + (x0 + c y0) (1 - s)^t) / 2 with
    // s = sqrt(a b), c = sqrt(a / b); casualties are the force lost. (The continuous
    // solution x0 cosh(s t) - c y0 sinh(s t) differs from it by O(s^2 t).)
    let (x0, y0, rx, ry) = (300_000.0f64, 200_000.0f64, 1500.0, 900.0);
    let text = format!(
        "[scenario]\nname = \"l\"\nreference_date = 2025-12-31\nhorizon_days = 400\nreport_dates = [2026-04-10, 2026-12-31]\n\n\
         [noise]\nmodel = \"none\"\n\n[force]\nlaw = \"square\"\n\n\
         [sides.x]\ncasualties = 0\nrate_per_day = {rx}\nforce = {x0}\n\n\
         [sides.y]\ncasualties = 0\nrate_per_day = {ry}\nforce = {y0}\n"
    );
    let m = model(&text);
    let (_, p) = run(&m, 10, 1);
    let (a, b) = (rx / y0, ry / x0);
    let (s, c) = ((a * b).sqrt(), (a / b).sqrt());
    let x = |t: i32| ((x0 - c * y0) * (1.0 + s).powi(t) + (x0 + c * y0) * (1.0 - s).powi(t)) / 2.0;
    let y = |t: i32| ((y0 - x0 / c) * (1.0 + s).powi(t) + (y0 + x0 / c) * (1.0 - s).powi(t)) / 2.0;
    for (r, t) in [(0, 100), (1, 365)] {
        close(stock(&p, "x", r), x0 - x(t));
        close(stock(&p, "y", r), y0 - y(t));
    }
}

#[test]
fn the_linear_law_with_inflows_matches_an_independent_recursion() {
    // Linear law with recruits and return to duty, no noise: the same equations written
    // out here step by step (docs/scenarios.md, Force-dependent attrition).
    let text = "[scenario]\nname = \"l\"\nreference_date = 2025-12-31\nhorizon_days = 300\nreport_dates = [2026-10-27]\n\n\
        [noise]\nmodel = \"none\"\n\n[force]\nlaw = \"linear\"\n\n\
        [sides.x]\ncasualties = 10\nrate_per_day = 1200\nforce = 250_000\nrecruits_per_day = 500\nreturn_to_duty = 0.3\n\n\
        [sides.y]\ncasualties = 20\nrate_per_day = 700\nforce = 180_000\nrecruits_per_day = 800\nreturn_to_duty = 0.1\n";
    let (_, p) = run(&model(text), 10, 1);
    let (mut fx, mut fy, mut cx, mut cy) = (250_000.0f64, 180_000.0f64, 10.0, 20.0);
    for _ in 0..300 {
        let lx = (1200.0 * (fx / 250_000.0) * (fy / 180_000.0)).min(fx);
        let ly = (700.0 * (fy / 180_000.0) * (fx / 250_000.0)).min(fy);
        cx += lx;
        cy += ly;
        fx += 500.0 - 0.7 * lx;
        fy += 800.0 - 0.9 * ly;
    }
    close(stock(&p, "x", 0), cx);
    close(stock(&p, "y", 0), cy);
}

#[test]
fn gamma_jumps_with_events_equal_daily_stepping_in_distribution() {
    // Events cut each path's jumps at their own dates. Two-sample KS on crossing days,
    // 40,000 paths per method: critical value 0.0138 at alpha = 0.001.
    let extra = "[[events]]\nname = \"e\"\nprobability = 0.5\nstart = { from = 2026-02-01, to = 2026-08-31 }\nmultiplier = 0.2\nduration_days = [30, 200]\n\n\
        [[thresholds]]\nname = \"t\"\nlevel = 1_800_000\n";
    let m = model(&two_sides(
        "model = \"gamma\"\ncv = 0.5",
        1000,
        "2026-06-30",
        extra,
    ));
    let n = 40_000;
    let jumps = engine::run(&m, &config(n, 1, Stepping::Auto), &Silent).unwrap();
    let daily = engine::run(&m, &config(n, 2, Stepping::Daily), &Silent).unwrap();
    let (a, b) = (&jumps.crossings[0], &daily.crossings[0]);
    let d = (0..=m.horizon_days)
        .map(|day| (a.crossed_by(day) as f64 - b.crossed_by(day) as f64).abs() / n as f64)
        .fold(0.0, f64::max);
    assert!(d < 0.0138, "KS distance {d}");
}

#[test]
fn dynamics_do_not_depend_on_the_thread_count() {
    let text = std::fs::read_to_string("scenarios/peace-talks.toml").unwrap();
    let m = model(&text);
    let one = engine::run(
        &m,
        &RunConfig {
            threads: Some(1),
            ..config(5_000, 9, Stepping::Auto)
        },
        &Silent,
    )
    .unwrap();
    let two = engine::run(&m, &config(5_000, 9, Stepping::Auto), &Silent).unwrap();
    assert_eq!(one, two);
}

#[test]
fn the_first_input_of_a_correlation_draws_what_it_draws_without_it() {
    // Common random numbers survive a correlation: the first input listed keeps its own
    // uniform, so its draws are bit-identical to a run without the correlation.
    let base = "[scenario]\nname = \"c\"\nreference_date = 2025-12-31\nhorizon_days = 10\n\n[noise]\nmodel = \"none\"\n\n\
        [sides.a]\ncasualties = 1\nrate_per_day = [900, 1200]\n\n[sides.b]\ncasualties = 1\nrate_per_day = [300, 500]\n\n\
        [[thresholds]]\nname = \"t\"\nlevel = 1e9\n";
    let tied = format!("{base}[[correlations]]\ninputs = [\"sides.a.rate_per_day\", \"sides.b.rate_per_day\"]\nrho = 0.8\n");
    let cols = ["sides.a.rate_per_day", "sides.b.rate_per_day"];
    let free = sample_columns(&model(base), 2_000, &cols);
    let with = sample_columns(&model(&tied), 2_000, &cols);
    assert_eq!(free[0], with[0]);
    assert_ne!(free[1], with[1]);
}
