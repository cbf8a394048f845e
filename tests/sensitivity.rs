//! Sobol indices against answers known without the engine: W0's closed form integrated
//! by Gauss-Hermite quadrature, an input that alone decides an output, an exactly
//! additive output, inputs that cannot enter a threshold; total >= first; and the same
//! tally on one thread and two.

use attrition::engine::sensitivity::{Grouping, SobolTally};
use attrition::engine::{RunConfig, Silent, Stepping};
use attrition::sensitivity::{self, Design, OutputIndices, OutputKind, Sensitivity};
use attrition::Model;

fn load(text: &str) -> Model {
    attrition::scenario::load_str("t.toml", text).unwrap()
}

fn config(paths: u64, threads: usize) -> RunConfig {
    RunConfig {
        paths,
        seed: 20260127,
        threads: Some(threads),
        stepping: Stepping::Auto,
        method: attrition::engine::Method::Plain,
    }
}

/// The indices of `model` (every threshold, inputs alone) from `paths` base paths.
fn analyse(model: &Model, paths: u64) -> (Sensitivity, SobolTally) {
    let design = Design::new(model, Grouping::Input, None).unwrap();
    let c = config(paths, 2);
    let tally = sensitivity::indices(model, &design, &c, &Silent).unwrap();
    (
        Sensitivity::new(model, &c, &design, &tally, Vec::new(), None),
        tally,
    )
}

fn output(s: &Sensitivity, kind: OutputKind, n: usize) -> &OutputIndices {
    s.outputs.iter().filter(|o| o.kind == kind).nth(n).unwrap()
}

/// Whether `x` lies within the interval around `est`, widened by half on each side for
/// the bootstrap's own error (a 99.7% interval is about 1.5 times as wide as a 95% one)
/// and by `slack`.
fn within(x: f64, est: f64, lo: Option<f64>, hi: Option<f64>, slack: f64) -> bool {
    let (lo, hi) = (lo.unwrap(), hi.unwrap());
    est - 1.5 * (est - lo) - slack <= x && x <= est + 1.5 * (hi - est) + slack
}

/// Gauss-Hermite nodes and weights for a standard normal (probabilists'): physicists'
/// nodes by Newton's method on the orthonormal recurrence (Numerical Recipes' gauher),
/// scaled by sqrt(2), weights over sqrt(pi).
fn gauss_hermite(n: usize) -> Vec<(f64, f64)> {
    let mut x = vec![0.0; n];
    let mut w = vec![0.0; n];
    let pim4 = std::f64::consts::PI.powf(-0.25);
    let mut z: f64 = 0.0;
    for i in 0..n.div_ceil(2) {
        z = match i {
            0 => (2.0 * n as f64 + 1.0).sqrt() - 1.85575 * (2.0 * n as f64 + 1.0).powf(-1.0 / 6.0),
            1 => z - 1.14 * (n as f64).powf(0.426) / z,
            2 => 1.86 * z - 0.86 * x[0],
            3 => 1.91 * z - 0.91 * x[1],
            _ => 2.0 * z - x[i - 2],
        };
        let mut pp = 0.0;
        for _ in 0..100 {
            let (mut p1, mut p2) = (pim4, 0.0);
            for j in 1..=n {
                let p3 = p2;
                p2 = p1;
                p1 = z * (2.0 / j as f64).sqrt() * p2 - ((j - 1) as f64 / j as f64).sqrt() * p3;
            }
            pp = (2.0 * n as f64).sqrt() * p2;
            let z1 = z;
            z = z1 - p1 / pp;
            if (z - z1).abs() < 1e-14 {
                break;
            }
        }
        x[i] = z;
        x[n - 1 - i] = -z;
        w[i] = 2.0 / (pp * pp);
        w[n - 1 - i] = w[i];
    }
    let s = std::f64::consts::PI.sqrt();
    x.iter()
        .zip(&w)
        .map(|(x, w)| (x * std::f64::consts::SQRT_2, w / s))
        .collect()
}

#[test]
fn w0_agrees_with_its_closed_form_integrated_by_quadrature() {
    // W0's crossing day is (2M - B_ru - B_ua) / (r_ru + r_ua), rounded up: the four
    // inputs lognormal with the stated 5th and 95th percentiles. The indices of the
    // unrounded day by 20-node Gauss-Hermite quadrature in each input's normal score
    // (exact for this smooth ratio to far below the Monte Carlo error); rounding up
    // adds a variance of about 1/12 day^2 to one of about 3,000, which moves no index
    // by 0.001, the slack allowed besides the interval.
    let gh = gauss_hermite(20);
    assert!((gh.iter().map(|p| p.1).sum::<f64>() - 1.0).abs() < 1e-12);
    assert!((gh.iter().map(|p| p.1 * p.0 * p.0).sum::<f64>() - 1.0).abs() < 1e-12);
    let z95 = 1.6448536269514722;
    let ranges = [(1.1e6, 1.3e6), (750.0, 1000.0), (5e5, 6e5), (350.0, 430.0)];
    let value = |k: usize, z: f64| {
        let (lo, hi): (f64, f64) = ranges[k];
        ((lo.ln() + hi.ln()) / 2.0 + z * (hi.ln() - lo.ln()) / (2.0 * z95)).exp()
    };
    let m = gh.len();
    let idx = |a: [usize; 4]| ((a[0] * m + a[1]) * m + a[2]) * m + a[3];
    let mut y = vec![0.0; m.pow(4)];
    let mut all = Vec::new();
    for a in 0..m {
        for b in 0..m {
            for c in 0..m {
                for d in 0..m {
                    let k = [a, b, c, d];
                    let v: Vec<f64> = (0..4).map(|i| value(i, gh[k[i]].0)).collect();
                    y[idx(k)] = (2e6 - v[0] - v[2]) / (v[1] + v[3]);
                    all.push(k);
                }
            }
        }
    }
    let w = |k: &[usize; 4]| k.iter().map(|&j| gh[j].1).product::<f64>();
    let mean: f64 = all.iter().map(|k| w(k) * y[idx(*k)]).sum();
    let var: f64 = all.iter().map(|k| w(k) * (y[idx(*k)] - mean).powi(2)).sum();
    let (mut first, mut total) = ([0.0; 4], [0.0; 4]);
    for i in 0..4 {
        // First order: the variance of E[Y | x_i]. Total: E[Var(Y | every other input)].
        let mut cond = vec![0.0; m];
        let mut inner: std::collections::BTreeMap<Vec<usize>, (f64, f64, f64)> = Default::default();
        for k in &all {
            cond[k[i]] += w(k) * y[idx(*k)];
            let rest: Vec<usize> = (0..4).filter(|&j| j != i).map(|j| k[j]).collect();
            let e = inner.entry(rest).or_insert((0.0, 0.0, 0.0));
            let wi = gh[k[i]].1;
            e.0 += wi * y[idx(*k)];
            e.1 += wi * y[idx(*k)].powi(2);
            e.2 = w(k) / wi;
        }
        first[i] = (0..m)
            .map(|j| {
                let e = cond[j] / gh[j].1;
                gh[j].1 * (e - mean).powi(2)
            })
            .sum::<f64>()
            / var;
        total[i] = inner
            .values()
            .map(|(s, s2, wr)| wr * (s2 - s * s))
            .sum::<f64>()
            / var;
    }
    let model = attrition::scenario::load_file("scenarios/bench/w0.toml".as_ref()).unwrap();
    let (s, _) = analyse(&model, 4000);
    let day = output(&s, OutputKind::CrossingDay, 0);
    for (g, ix) in day.indices.iter().enumerate() {
        assert!(
            within(first[g], ix.first, ix.first_lo, ix.first_hi, 1e-3),
            "{} first: quadrature {} engine {ix:?}",
            ix.group,
            first[g]
        );
        assert!(
            within(total[g], ix.total, ix.total_lo, ix.total_hi, 1e-3),
            "{} total: quadrature {} engine {ix:?}",
            ix.group,
            total[g]
        );
    }
    // The reference is no formality: Russia's baseline dominates, Ukraine's rate is small.
    assert!(first[0] > 0.7 && first[3] < 0.01, "{first:?}");
}

/// One side with casualties uniform on `casualties`, a rate, and killed (which no
/// casualty threshold reads); a second side fixed.
fn two_sides(casualties: &str, rate: &str) -> String {
    format!(
        "[scenario]\nname = \"t\"\nreference_date = 2025-12-31\nhorizon_days = 700\nreport_dates = [2026-06-30]\n\n[noise]\nmodel = \"none\"\n\n[sides.a]\ncasualties = {casualties}\nrate_per_day = {rate}\nkilled = {{ lo = 200_000, hi = 300_000 }}\nkilled_share = {{ lo = 0.2, hi = 0.3 }}\n\n[sides.b]\ncasualties = 400_000\nrate_per_day = 300\nkilled = {{ lo = 80_000, hi = 120_000 }}\nkilled_share = {{ lo = 0.15, hi = 0.25 }}\n\n[[thresholds]]\nname = \"casualties\"\nlevel = 1_800_000\n\n[[thresholds]]\nname = \"killed\"\nmetric = \"killed\"\nlevel = 450_000\n"
    )
}

#[test]
fn one_input_that_alone_decides_gets_one_and_the_inputs_that_cannot_enter_get_zero() {
    let text = two_sides(
        "{ lo = 1_000_000, hi = 1_200_000, shape = \"uniform\" }",
        "1_000",
    );
    let (s, _) = analyse(&load(&text), 3000);
    let day = output(&s, OutputKind::CrossingDay, 0);
    assert_eq!(day.threshold.as_deref(), Some("casualties"));
    let a = &day.indices[0];
    assert_eq!(a.group, "sides.a.casualties");
    assert!(within(1.0, a.first, a.first_lo, a.first_hi, 0.0), "{a:?}");
    assert!(within(1.0, a.total, a.total_lo, a.total_hi, 0.0), "{a:?}");
    // Killed and killed shares (this side's and the other's) never move a casualty
    // threshold: exactly nothing, on every replicate.
    for ix in &day.indices[1..] {
        assert!(ix.group.contains("killed"), "{ix:?}");
        let zero = (
            ix.first,
            ix.first_lo,
            ix.first_hi,
            ix.total,
            ix.total_lo,
            ix.total_hi,
        );
        let nil = Some(0.0);
        assert_eq!(zero, (0.0, nil, nil, 0.0, nil, nil), "{ix:?}");
    }
    // The killed threshold reads them all, and not the casualties (never below killed).
    let killed = output(&s, OutputKind::CrossingDay, 1);
    assert_eq!(killed.indices[0].total, 0.0);
    assert!(
        killed.indices[1..].iter().all(|ix| ix.total > 0.001),
        "{killed:?}"
    );
}

#[test]
fn an_additive_output_has_first_equal_to_total_and_the_exact_shares() {
    // Side a's casualties on day 181 are C + 181 r with C and r uniform, no noise: the
    // shares are var(C) and 181^2 var(r) over their sum (a uniform's variance is
    // width^2 / 12), and the output is a sum, so first = total.
    let text = two_sides(
        "{ lo = 1_000_000, hi = 1_200_000, shape = \"uniform\" }",
        "{ lo = 600, hi = 1_400, shape = \"uniform\" }",
    );
    let (s, _) = analyse(&load(&text), 3000);
    let stock = output(&s, OutputKind::Stock, 0);
    assert_eq!(stock.side.as_deref(), Some("a"));
    let (vc, vr) = (200_000f64.powi(2) / 12.0, (181.0 * 800f64).powi(2) / 12.0);
    let exact = [vc / (vc + vr), vr / (vc + vr)];
    for (ix, want) in stock.indices[..2].iter().zip(exact) {
        assert!(
            within(want, ix.first, ix.first_lo, ix.first_hi, 0.0),
            "{ix:?} {want}"
        );
        assert!(
            within(want, ix.total, ix.total_lo, ix.total_hi, 0.0),
            "{ix:?} {want}"
        );
        // first = total within the two intervals.
        let gap = (ix.first - ix.total).abs();
        let room = (ix.first_hi.unwrap() - ix.first_lo.unwrap() + ix.total_hi.unwrap()
            - ix.total_lo.unwrap())
            / 2.0;
        assert!(gap <= room, "{ix:?}");
    }
    assert!((stock.sum_first.unwrap() - 1.0).abs() < 0.05, "{stock:?}");
}

#[test]
fn total_is_at_least_first_within_error_for_every_input_and_output() {
    // Events interact with the rates (a ceasefire scales them), so first < total.
    let model = attrition::scenario::load_file("scenarios/peace-talks.toml".as_ref()).unwrap();
    let (s, _) = analyse(&model, 2000);
    let mut checked = 0;
    for o in &s.outputs {
        for ix in &o.indices {
            assert!(
                ix.total_hi.unwrap() >= ix.first_lo.unwrap(),
                "{}: {ix:?}",
                o.output
            );
            checked += 1;
        }
    }
    assert!(checked > 50, "{checked}");
    let day = output(&s, OutputKind::CrossingDay, 0);
    let happens = day
        .indices
        .iter()
        .find(|i| i.group == "events.ceasefire.happens")
        .unwrap();
    assert!(
        happens.total_lo.unwrap() > happens.first_hi.unwrap(),
        "{happens:?}"
    );
}

#[test]
fn the_tally_is_the_same_on_one_thread_and_two_and_reads_back_exactly() {
    let model = attrition::scenario::load_file("scenarios/status-quo.toml".as_ref()).unwrap();
    let design = Design::new(&model, Grouping::Side, None).unwrap();
    // Three batches of 1,024 base paths, the last one short.
    let one = sensitivity::indices(&model, &design, &config(2500, 1), &Silent).unwrap();
    let two = sensitivity::indices(&model, &design, &config(2500, 2), &Silent).unwrap();
    assert_eq!(one, two);
    let text = serde_json::to_string(&one).unwrap();
    let back: SobolTally = serde_json::from_str(&text).unwrap();
    assert_eq!(back, one);
    assert_eq!(one.paths(), 2500);
}

#[test]
fn a_weighted_scenario_is_refused() {
    let model =
        attrition::scenario::load_file("scenarios/status-quo-updated.toml".as_ref()).unwrap();
    assert_eq!(
        Design::new(&model, Grouping::Input, None),
        Err(sensitivity::DesignError::Weighted)
    );
}
