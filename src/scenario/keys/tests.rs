//! The specs against the loader and docs/scenarios.md: the schema is generated from the
//! specs, so these tests are what ties it to what `validate` accepts.

use super::*;
use crate::scenario::load_str;

/// Every key in the specs with its dotted path (`events.start.monthly_hazard`); the keys
/// of a range table under `ranges`.
fn all_keys() -> Vec<(String, Key)> {
    fn walk(prefix: &str, keys: &[Key], out: &mut Vec<(String, Key)>) {
        for k in keys {
            let path = if prefix.is_empty() {
                k.name.to_string()
            } else {
                format!("{prefix}.{}", k.name)
            };
            out.push((path.clone(), *k));
            if let Some(inner) = k.kind.keys() {
                walk(&path, inner, out);
            }
        }
    }
    let mut out = Vec::new();
    walk("", TOP, &mut out);
    walk("ranges", RANGE, &mut out);
    out
}

/// A valid file with `scenario` after the name and reference date, `noise` after the
/// model, and `extra` at the end.
fn file(scenario: &str, noise: &str, extra: &str) -> String {
    format!(
        "[scenario]\nname = \"probe\"\nreference_date = 2025-12-31\n{scenario}\n\
         [noise]\nmodel = \"lognormal\"\n{noise}\n\
         [sides.a]\ncasualties = 100\nrate_per_day = 10\n\
         [sides.b]\ncasualties = 100\nrate_per_day = 10\n\
         [[thresholds]]\nname = \"t\"\nlevel = 1000\n{extra}\n"
    )
}

const H: &str = "horizon = 2027-12-31";
const S: &str = "sigma = 0.3";

/// For each bounded numeric key, a valid file with `{v}` where its value goes.
fn probe(path: &str) -> Option<String> {
    let event = "[[events]]\nname = \"e\"\nprobability = 0.5\nmultiplier = 0.5\n";
    let range = |r: &str| {
        file(
            H,
            S,
            &format!("[[phases]]\nname = \"p\"\nstart = 2026-01-01\nmultiplier = {r}"),
        )
    };
    Some(match path {
        "scenario.horizon_days" => file("horizon_days = {v}", S, ""),
        "scenario.paths" => file(&format!("{H}\npaths = {{v}}"), S, ""),
        "scenario.seed" => file(&format!("{H}\nseed = {{v}}"), S, ""),
        "noise.sigma" => file(H, "sigma = {v}", ""),
        "noise.cv" => file(H, "cv = {v}", ""),
        "noise.correlation" => file(H, "sigma = 0.3\ncorrelation = {v}", ""),
        "thresholds.level" => file(H, S, "[[thresholds]]\nname = \"u\"\nlevel = {v}"),
        "events.end_monthly_hazard" => file(H, S, &format!("{event}start = 2026-06-01\nend_monthly_hazard = {{v}}")),
        "events.start.monthly_hazard" => file(H, S, &format!("{event}start = {{ from = 2026-06-01, monthly_hazard = {{v}} }}")),
        "seasonality.amplitude" => file(H, S, "[seasonality]\namplitude = {v}\npeak_month = 8"),
        "seasonality.peak_month" => file(H, S, "[seasonality]\namplitude = 0.1\npeak_month = {v}"),
        "trend.percent_per_month.lo" => file(H, S, "[trend]\npercent_per_month = { lo = {v}, hi = 1000 }"),
        "trend.percent_per_month.hi" => file(H, S, "[trend]\npercent_per_month = { lo = -99, hi = {v} }"),
        "correlations.rho" => file(H, S, "[[correlations]]\ninputs = [\"phases.p.multiplier\", \"phases.q.multiplier\"]\nrho = {v}\n[[phases]]\nname = \"p\"\nstart = 2026-01-01\nmultiplier = [1, 2]\n[[phases]]\nname = \"q\"\nstart = 2026-01-01\nmultiplier = [1, 2]"),
        "correlations.spearman" => probe("correlations.rho")?.replace("rho =", "spearman ="),
        "ranges.lo" => range("{ shape = \"uniform\", lo = {v}, hi = 2 }"),
        "ranges.hi" => range("{ shape = \"uniform\", lo = 0, hi = {v} }"),
        "ranges.mode" => range("{ shape = \"triangular\", lo = 0, mode = {v}, hi = 2 }"),
        "ranges.value" => range("{ value = {v} }"),
        "ranges.interval" => range("{ lo = 1, hi = 1.01, interval = {v} }"),
        "ranges.lambda" => range("{ shape = \"pert\", lo = 1, mode = 1.5, hi = 2, lambda = {v} }"),
        _ => return None,
    })
}

/// The loader's verdict on `path = v`: accepted, or refused at that key or one holding it
/// (a trend's bounds are reported at `trend.percent_per_month`, a range's at the range).
fn accepts(path: &str, v: &str) -> bool {
    let text = probe(path).expect("a probe").replace("{v}", v);
    let place = path.replace("ranges.", "phases.multiplier.");
    match load_str("probe.toml", &text) {
        Ok(_) => true,
        Err(e) => {
            for d in &e.diagnostics {
                let key = d.key.replace("[0]", "").replace("[1]", "");
                assert!(
                    place.starts_with(&key),
                    "{path} = {v}: refused elsewhere:\n{e}"
                );
            }
            false
        }
    }
}

/// Values at each bound of a numeric key: (allowed, refused). The bound is allowed unless
/// exclusive; just past it is refused and just inside allowed, by 1 for whole numbers, else
/// by 1e-9 of the bound (well inside the 2.148 / 2.14828 gap that was once there).
fn probes(kind: ValueKind) -> Vec<(Vec<String>, Vec<String>)> {
    let mut out = Vec::new();
    match kind {
        ValueKind::Integer { min, max } => {
            for (b, outward) in [(min as i128, -1), (max as i128, 1)] {
                let s = |x: i128| x.to_string();
                out.push((vec![s(b), s(b - outward)], vec![s(b + outward)]));
            }
        }
        ValueKind::Number { min, max } => {
            for (l, outward) in [(min, -1.0), (max, 1.0)] {
                let Some(l) = l else { continue };
                let step = 1e-9 * l.value.abs().max(1.0);
                let s = |x: f64| format!("{x:?}");
                let (b, past, inside) = (
                    s(l.value),
                    s(l.value + outward * step),
                    s(l.value - outward * step),
                );
                out.push(if l.exclusive {
                    (vec![inside], vec![b, past])
                } else {
                    (vec![b, inside], vec![past])
                });
            }
        }
        _ => {}
    }
    out
}

/// What the schema states is what the loader enforces: the loader takes the values at
/// and inside every bound of every numeric key in the specs and refuses those past it, and
/// refuses a string there.
#[test]
fn the_specs_numeric_bounds_are_the_loaders() {
    let mut probed = 0;
    for (path, k) in all_keys() {
        let bounds = probes(k.kind);
        if bounds.is_empty() {
            continue;
        }
        assert!(
            probe(&path).is_some(),
            "no probe for the bounded key {path}"
        );
        for (allowed, refused) in bounds {
            for v in allowed {
                assert!(accepts(&path, &v), "{path} = {v} is refused");
            }
            for v in refused {
                assert!(!accepts(&path, &v), "{path} = {v} is accepted");
            }
            probed += 1;
        }
        assert!(
            !accepts(&path, "\"1\""),
            "{path} = \"1\" (a string) is accepted"
        );
    }
    assert!(probed >= 30, "only {probed} bounds probed");
}

/// The key tables of docs/scenarios.md: the heading a table follows, which table after it
/// (0 the first), and the specs it lists, each with the prefix its rows write
/// (`states.NAME.next`).
/// Specs a table lists, with the prefix its rows write.
type Listed = &'static [(&'static str, &'static [Key])];

const DOC_TABLES: &[(&str, usize, Listed)] = &[
    ("## `[scenario]`", 0, &[("", SCENARIO)]),
    ("## `[noise]`", 0, &[("", NOISE)]),
    ("## `[sides.NAME]`", 0, &[("", SIDE)]),
    ("## `[[phases]]`", 0, &[("", PHASE)]),
    ("## `[[thresholds]]`", 0, &[("", THRESHOLD)]),
    ("## Rates", 1, &[("", IMPLIED)]),
    ("### `[[events]]`", 0, &[("", EVENT)]),
    (
        "### `[regimes]`",
        0,
        &[("", REGIMES), ("states.NAME.", STATE)],
    ),
    (
        "### `[seasonality]`",
        0,
        &[("seasonality.", SEASONALITY), ("trend.", TREND)],
    ),
    ("### `[[correlations]]`", 0, &[("", CORRELATION)]),
    ("## Observations", 0, &[("", OBSERVATION)]),
    ("## Observations", 1, &[("sources.NAME.", SOURCE)]),
];

/// Words the type column of docs/scenarios.md uses for a kind.
fn type_words(kind: ValueKind) -> &'static [&'static str] {
    match kind {
        ValueKind::Text { .. } => &["string"],
        ValueKind::Number { .. } | ValueKind::Trend => &["number"],
        ValueKind::Integer { .. } => &["whole number", "integer"],
        ValueKind::Date | ValueKind::EventStart => &["date"],
        ValueKind::Dates { .. } => &["array of dates"],
        ValueKind::Range | ValueKind::Rate | ValueKind::Total => &["range"],
        ValueKind::Choice(_) => &["string", "\""],
        ValueKind::SideList => &["side names"],
        ValueKind::PerSide => &["table"],
        ValueKind::Probabilities => &["{ NAME = p"],
        ValueKind::Months => &["12 numbers"],
        ValueKind::Inputs => &["key paths"],
        ValueKind::Initial => &["regime name"],
        _ => &[],
    }
}

/// Rows of the `n`-th table after `heading`, as cells.
fn doc_table(doc: &str, heading: &str, n: usize) -> Vec<Vec<String>> {
    let after = &doc[doc
        .find(heading)
        .unwrap_or_else(|| panic!("no heading {heading}"))..];
    let lines: Vec<&str> = after.lines().collect();
    let mut tables: Vec<Vec<Vec<String>>> = Vec::new();
    let mut in_table = false;
    for line in lines {
        if line.starts_with('|') {
            if !in_table {
                tables.push(Vec::new());
                in_table = true;
            }
            let cells = line
                .trim_matches('|')
                .split(" | ")
                .map(|c| c.trim().to_string());
            tables.last_mut().unwrap().push(cells.collect());
        } else {
            in_table = false;
        }
    }
    tables.swap_remove(n)
}

/// The key names in a first cell: `` `a.b.c` / `d` `` is a.b.c and a.b.d.
fn doc_keys(cell: &str) -> Vec<String> {
    let mut prefix = String::new();
    let mut out = Vec::new();
    for (i, token) in cell.split('`').enumerate() {
        if i % 2 == 0 {
            continue;
        }
        if let Some(dot) = token.rfind('.') {
            prefix = token[..=dot].to_string();
            out.push(token.to_string());
        } else {
            out.push(format!("{prefix}{token}"));
        }
    }
    out
}

/// The reference lists exactly the keys the loader knows, with their kinds, and says
/// "yes" in its required column for exactly the required ones.
#[test]
fn the_key_tables_of_docs_scenarios_md_are_the_specs() {
    let doc = std::fs::read_to_string("docs/scenarios.md").expect("docs/scenarios.md");
    for &(heading, n, specs) in DOC_TABLES {
        let rows = doc_table(&doc, heading, n);
        let header = &rows[0];
        let required_col = header.iter().position(|h| h == "required");
        let mut documented: Vec<String> = Vec::new();
        for row in &rows[2..] {
            let keys = doc_keys(&row[0]);
            if let [one] = keys.as_slice() {
                let spec = specs.iter().find_map(|(prefix, spec)| {
                    spec.iter().find(|k| format!("{prefix}{}", k.name) == *one)
                });
                if let Some(k) = spec {
                    let words = type_words(k.kind);
                    assert!(
                        words.iter().any(|w| row[1].contains(w)),
                        "{heading}: {one} is {:?} in keys.rs but '{}' in the docs",
                        k.kind,
                        row[1]
                    );
                    if let Some(c) = required_col {
                        assert_eq!(row[c] == "yes", k.required, "{heading}: is {one} required?");
                    }
                }
            }
            documented.extend(keys);
        }
        // `states` is documented by its keys (`states.NAME.next`).
        let mut specified: Vec<String> = specs
            .iter()
            .flat_map(|(prefix, spec)| {
                spec.iter()
                    .filter(|k| !matches!(k.kind, ValueKind::States))
                    .map(move |k| format!("{prefix}{}", k.name))
            })
            .collect();
        documented.sort();
        specified.sort();
        assert_eq!(documented, specified, "the key table after {heading}");
    }
}

/// A valid file with every section and every table form (implied rate, start window,
/// trend range, regime states, force), so that reading it reaches every spec.
const EVERY_SECTION: &str = r#"
[scenario]
name = "every"
reference_date = 2025-12-31
horizon = 2027-12-31
report_dates = [2026-06-30]

[noise]
model = "gamma"
cv = 0.3
correlation = 0.2

[force]
law = "square"

[sides.a]
casualties = { lo = 90, hi = 110, shape = "uniform" }
rate_per_day = { total = [900, 1100], from = 2025-01-01, to = 2025-12-31 }
killed = 20
killed_share = 0.2
force = 1000
recruits_per_day = 1
return_to_duty = 0.1

[sides.b]
casualties = 100
rate_per_day = 1
force = 1000

[[phases]]
name = "p"
start = 2026-01-01
multiplier = 1.1

[[thresholds]]
name = "t"
level = 1000

[[events]]
name = "e"
probability = 0.5
start = { from = 2026-06-01, to = 2026-09-01 }
multiplier = 0.5

[regimes]
step = "month"
initial = "calm"
[regimes.states.calm]
multiplier = 1
next = { calm = 1 }

[seasonality]
amplitude = 0.1
peak_month = 8

[trend]
percent_per_month = { lo = -1, hi = 1 }

[[correlations]]
inputs = ["sides.a.casualties", "sides.b.casualties"]
rho = 0.5

[[observations]]
name = "o"
date = 2026-06-30
sides = ["a"]
metric = "killed"
value = { lo = 100, hi = 200 }
source = "s"

[sources.s]
bias = [0.9, 1.1]

[sweep]
"noise.cv" = [0.2, 0.3]
"sides.a.rate_per_day" = [[1, 2], { lo = 2, hi = 3 }]
"#;

/// No key is defined in keys.rs and never read: such a key would be accepted and ignored.
#[test]
fn the_loader_reads_every_key_of_the_specs() {
    use crate::scenario::walk::READ;
    READ.with(|r| r.borrow_mut().clear());
    if let Err(e) = load_str("every.toml", EVERY_SECTION) {
        panic!("{e}");
    }
    let read = READ.with(|r| r.borrow().clone());
    let mut specs = vec![TOP, RANGE];
    for (_, k) in all_keys() {
        specs.extend(k.kind.keys());
    }
    for spec in specs {
        let table = names(spec).join(" ");
        for k in spec {
            assert!(
                read.iter().any(|(t, n)| *t == table && n == k.name),
                "keys.rs defines '{}' in ({table}), which the loader never reads",
                k.name
            );
        }
    }
}
