//! The hot loop on W1 (docs/bench/W1.md): one path at a time, and a whole run of 20,000
//! paths on every core, reported as paths per second; then the parts a W1 path is made of
//! (the path without noise, and one block of noise multipliers), which docs/performance.md
//! adds up into the cost model; the re-keyed paths of a sensitivity analysis.
//! `cargo bench --bench engine`.

use attrition::engine::{self, RunConfig, Silent, Simulator};
use attrition::model::Noise;
use attrition::sample::lanes::Lanes;
use attrition::sample::noise::{NoiseSampler, BLOCK};
use attrition::scenario::load_file;
use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use std::hint::black_box;

fn w1(c: &mut Criterion) {
    for name in ["w1", "w1g"] {
        let model = load_file(format!("scenarios/bench/{name}.toml").as_ref()).unwrap();
        let mut group = c.benchmark_group(name);
        group.throughput(Throughput::Elements(1));
        let mut sim = Simulator::new(&model, Default::default());
        let mut path = 0u64;
        group.bench_function("one path", |b| {
            b.iter(|| {
                path += 1;
                black_box(sim.simulate(1, black_box(path)).crossing());
            })
        });
        const PATHS: u64 = 20_000;
        group.throughput(Throughput::Elements(PATHS));
        group.sample_size(20);
        group.bench_function("run of 20k paths, all cores", |b| {
            b.iter_batched(
                || RunConfig {
                    paths: PATHS,
                    seed: 1,
                    threads: None,
                    stepping: Default::default(),
                    method: attrition::engine::Method::Plain,
                },
                |config| engine::run(&model, &config, &Silent).unwrap(),
                BatchSize::SmallInput,
            )
        });
        group.finish();
    }
}

/// What a W1 path costs apart from its noise (inputs, seeding, stepping, statistics), and
/// what its noise costs per multiplier.
fn parts(c: &mut Criterion) {
    let mut group = c.benchmark_group("parts");
    let mut model = load_file("scenarios/bench/w1.toml".as_ref()).unwrap();
    model.noise = Noise::None;
    let mut sim = Simulator::new(&model, Default::default());
    let mut path = 0u64;
    group.throughput(Throughput::Elements(1));
    group.bench_function("W1 path without noise", |b| {
        b.iter(|| {
            path += 1;
            black_box(sim.simulate(1, black_box(path)).crossing());
        })
    });
    group.throughput(Throughput::Elements(BLOCK as u64));
    for (name, noise) in [
        ("lognormal noise block", Noise::LogNormal { sigma: 0.3 }),
        ("gamma noise block", Noise::Gamma { shape: 10.62 }),
    ] {
        let sampler = NoiseSampler::new(noise);
        let mut lanes = Lanes::new(1, 2, 3);
        let mut block = [0.0; BLOCK];
        group.bench_function(name, |b| {
            b.iter(|| {
                sampler.fill(&mut lanes, &mut block);
                black_box(&block);
            })
        });
    }
    group.finish();
}

/// W1 with five observations against plain W1: what weighting paths costs (the extra
/// chunk ends at the observation dates, five likelihoods, and the weighted tally), drawn
/// from the scenario's ranges and from a proposal (its pilot included).
fn observations(c: &mut Criterion) {
    let plain_text = std::fs::read_to_string("scenarios/bench/w1.toml").unwrap();
    let mut observed = plain_text.clone();
    for (i, (date, sides, lo, hi)) in [
        ("2026-01-31", "\"russia\"", 1_200_000, 1_330_000),
        ("2026-02-28", "\"ukraine\"", 530_000, 640_000),
        (
            "2026-03-31",
            "\"russia\", \"ukraine\"",
            1_800_000,
            1_950_000,
        ),
        ("2026-04-30", "\"russia\"", 1_280_000, 1_450_000),
        (
            "2026-05-31",
            "\"russia\", \"ukraine\"",
            1_900_000,
            2_080_000,
        ),
    ]
    .iter()
    .enumerate()
    {
        observed.push_str(&format!(
            "\n[[observations]]\nname = \"o{i}\"\ndate = {date}\nsides = [{sides}]\nvalue = {{ lo = {lo}, hi = {hi} }}\n"
        ));
    }
    let mut group = c.benchmark_group("observations");
    const PATHS: u64 = 20_000;
    group.throughput(Throughput::Elements(PATHS));
    group.sample_size(20);
    use attrition::model::ProposalMode;
    for (name, text, proposal) in [
        ("W1 plain", &plain_text, ProposalMode::Off),
        ("W1 with five observations", &observed, ProposalMode::Off),
        (
            "W1 with five observations, proposal",
            &observed,
            ProposalMode::Auto,
        ),
    ] {
        let mut model = attrition::scenario::load_str("w1.toml", text).unwrap();
        model.proposal = proposal;
        group.bench_function(format!("{name}, run of 20k paths, all cores"), |b| {
            b.iter(|| {
                let config = RunConfig {
                    paths: PATHS,
                    seed: 1,
                    threads: None,
                    stepping: Default::default(),
                    method: attrition::engine::Method::Plain,
                };
                engine::run(&model, &config, &Silent).unwrap()
            })
        });
    }
    group.finish();
}

/// A path of status-quo re-keyed as the pick-freeze design runs it (design A with one
/// input's stream, or the noise's, keyed from design B's seed) against the plain path:
/// re-keying should cost a lookup per stream, nothing more. Then a whole pick-freeze run
/// of 2,000 base paths (9 paths each) on every core, with its bootstrap.
fn sensitivity(c: &mut Criterion) {
    use attrition::engine::sensitivity::{self as pick, Grouping};
    use attrition::engine::Keys;
    let model = load_file("scenarios/status-quo.toml".as_ref()).unwrap();
    let groups = pick::groups(&model, Grouping::Input).unwrap();
    let outputs = pick::outputs(&model, &[0, 1]);
    let mut group = c.benchmark_group("sensitivity");
    group.throughput(Throughput::Elements(1));
    let mut sim = Simulator::new(&model, Default::default());
    let mut path = 0u64;
    group.bench_function("status-quo path, plain", |b| {
        b.iter(|| {
            path += 1;
            black_box(sim.simulate(1, black_box(path)).crossing());
        })
    });
    let b_seed = pick::seed_b(1);
    for g in [&groups[0], groups.last().unwrap()] {
        let keys = Keys::new(1).rekey(g.streams.iter().copied(), b_seed);
        group.bench_function(format!("status-quo path, {} re-keyed", g.name), |b| {
            b.iter(|| {
                path += 1;
                black_box(sim.simulate_keyed(&keys, black_box(path)).crossing());
            })
        });
    }
    const PATHS: u64 = 2_000;
    group.throughput(Throughput::Elements(PATHS));
    group.sample_size(10);
    group.bench_function("pick-freeze run of 2k base paths, all cores", |b| {
        b.iter_batched(
            || RunConfig {
                paths: PATHS,
                seed: 1,
                threads: None,
                stepping: Default::default(),
                method: attrition::engine::Method::Plain,
            },
            |config| pick::run(&model, &config, &groups, &outputs, &Silent).unwrap(),
            BatchSize::SmallInput,
        )
    });
    group.finish();
}

criterion_group!(benches, w1, parts, observations, sensitivity);
criterion_main!(benches);
