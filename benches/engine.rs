//! The hot loop on W1 (shared/bench/W1.md): one path at a time, and a whole run of 20,000
//! paths on every core, reported as paths per second. `cargo bench --bench engine`.

use attrition::engine::{self, PathState, Plan, RunConfig, Silent};
use attrition::scenario::load_file;
use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use std::hint::black_box;

fn w1(c: &mut Criterion) {
    for name in ["w1", "w1g"] {
        let model = load_file(format!("scenarios/bench/{name}.toml").as_ref()).unwrap();
        let plan = Plan::new(&model);
        let mut group = c.benchmark_group(name);
        group.throughput(Throughput::Elements(1));
        let mut state = PathState::new(&plan, Default::default());
        let mut path = 0u64;
        group.bench_function("one path", |b| {
            b.iter(|| {
                path += 1;
                state.simulate(&plan, 1, black_box(path));
                black_box(&state.crossing);
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
                },
                |config| engine::run(&model, &config, &Silent).unwrap(),
                BatchSize::SmallInput,
            )
        });
        group.finish();
    }
}

criterion_group!(benches, w1);
criterion_main!(benches);
