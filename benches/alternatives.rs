//! Designs measured against the shipped lognormal noise and not kept, so that the claims
//! in docs/performance.md ("Why the two time targets are out of reach") can be rerun:
//! `cargo bench --bench alternatives`.
//!
//! - `shipped block`: the engine's block of 32 multipliers (f32 ziggurat, `exp32`).
//! - `inverse CDF block`: the same block with an f32 inverse normal CDF (Wichura's AS241
//!   PPND7, no table and no rejection) instead of the ziggurat.
//! - `floor block`: the ziggurat kernel with its table lookups and rejection path
//!   removed. Its numbers are wrong on purpose; it bounds from below what any ziggurat
//!   costs here.
//! - `lockstep W1`: W1 with SIMD lanes across paths (eight paths per vector, each with
//!   its own xoshiro256++ stream, stepped day by day, a finished lane refilled at once),
//!   per path; compare with `w1/one path` in the engine bench.

use attrition::sample::fast32::{exp32, normals32, signed_unit32};
use attrition::sample::lanes::{Lanes, LANES};
use attrition::sample::noise::{block_bits, BLOCK};
use attrition::sample::stream::{stream_id, Keys};

/// The inputs' streams of the lockstep W1 (seed 1).
const KEYS: Keys = Keys::new(1);
use attrition::sample::Dist;
use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;

const SIGMA: f32 = 0.3;
const SHIFT: f32 = -0.045;

/// `ln x` in f32 for x in (0, 1] (Cephes' `logf`).
#[inline(always)]
fn ln32(x: f32) -> f32 {
    let bits = x.to_bits();
    let e = ((bits >> 23) as i32 - 126) as f32;
    let m = f32::from_bits((bits & 0x007f_ffff) | 0x3f00_0000);
    let small = m < std::f32::consts::FRAC_1_SQRT_2;
    let e = if small { e - 1.0 } else { e };
    let x = if small { m + m - 1.0 } else { m - 1.0 };
    let z = x * x;
    let mut y = 7.037_683_6e-2f32;
    for c in [
        -1.151_461e-1f32,
        1.167_699_9e-1,
        -1.242_014e-1,
        1.424_932_3e-1,
        -1.666_805_8e-1,
        2.000_071_5e-1,
        -2.499_999_4e-1,
        3.333_333e-1,
    ] {
        y = y.mul_add(x, c);
    }
    let y = (-0.5f32).mul_add(z, (-2.121_944_4e-4f32).mul_add(e, y * x * z));
    0.693_359_4f32.mul_add(e, x + y)
}

/// AS241 PPND7 (Wichura 1988) in f32 on the 2^-23 grid of the top 23 bits.
#[inline(always)]
fn ppnd7(bits: u32) -> f32 {
    let p = ((bits >> 9) as f32 + 0.5) * (1.0 / 8_388_608.0);
    let q = p - 0.5;
    let r = 0.180_625f32 - q * q;
    let num = 59.109_375f32
        .mul_add(r, 159.291_13)
        .mul_add(r, 50.434_27)
        .mul_add(r, 3.387_132_7);
    let den = 67.187_56f32
        .mul_add(r, 78.757_76)
        .mul_add(r, 17.895_17)
        .mul_add(r, 1.0);
    let central = q * num / den;
    let s = (-ln32(p.min(1.0 - p))).sqrt();
    let s1 = s - 1.6;
    let n1 = 0.170_238_21f32
        .mul_add(s1, 1.306_728_5)
        .mul_add(s1, 2.756_815_4)
        .mul_add(s1, 1.423_437_3);
    let d1 = 0.120_211_33f32.mul_add(s1, 0.737_001_6).mul_add(s1, 1.0);
    let s2 = s - 5.0;
    let n2 = 0.017_337_204f32
        .mul_add(s2, 0.428_482_1)
        .mul_add(s2, 3.081_226_3)
        .mul_add(s2, 6.657_905);
    let d2 = 0.012_258_203f32.mul_add(s2, 0.241_978_94).mul_add(s2, 1.0);
    let tail = if s <= 5.0 { n1 / d1 } else { n2 / d2 };
    let tail = if q < 0.0 { -tail } else { tail };
    if q.abs() <= 0.425 {
        central
    } else {
        tail
    }
}

#[inline(always)]
#[cfg_attr(not(target_arch = "x86_64"), allow(dead_code))]
fn inverse_block(lanes: &mut Lanes, out: &mut [f64; BLOCK]) {
    let bits = block_bits(lanes);
    for k in 0..BLOCK {
        out[k] = f64::from(exp32(SIGMA.mul_add(ppnd7(bits[k]), SHIFT)));
    }
}

#[inline(always)]
#[cfg_attr(not(target_arch = "x86_64"), allow(dead_code))]
fn floor_block(lanes: &mut Lanes, out: &mut [f64; BLOCK]) {
    let bits = block_bits(lanes);
    let mut z = [0.0f32; BLOCK];
    let mut rejected = 0u32;
    for k in 0..BLOCK {
        // A stand-in for the table: arithmetic on the layer bits, no memory access.
        let edge = (bits[k] & 0xff) as f32 * 0.01;
        z[k] = signed_unit32(bits[k]) * edge;
        rejected |= u32::from(z[k].abs() >= edge * 0.99) << k;
    }
    black_box(rejected);
    for k in 0..BLOCK {
        out[k] = f64::from(exp32(SIGMA.mul_add(z[k], SHIFT)));
    }
}

/// The four W1 inputs, as in scenarios/bench/w1.toml.
fn w1_inputs() -> [Dist; 4] {
    [
        Dist::lognormal(1.1e6, 1.3e6, 0.9).unwrap(),
        Dist::lognormal(750.0, 1000.0, 0.9).unwrap(),
        Dist::lognormal(5e5, 6e5, 0.9).unwrap(),
        Dist::lognormal(350.0, 430.0, 0.9).unwrap(),
    ]
}

const NOT_YET: u32 = u32::MAX;

/// Eight W1 paths in the lanes of one vector.
struct Lockstep {
    lanes: Lanes,
    day: [u32; 8],
    cum: [[f64; 8]; 2],
    rate: [[f64; 8]; 2],
    cross: [u32; 8],
}

impl Lockstep {
    fn start(&mut self, l: usize, path: u64, d: &[Dist; 4]) {
        self.day[l] = 0;
        self.cum[0][l] = d[0].draw(&KEYS, path, 11);
        self.rate[0][l] = d[1].draw(&KEYS, path, 12);
        self.cum[1][l] = d[2].draw(&KEYS, path, 13);
        self.rate[1][l] = d[3].draw(&KEYS, path, 14);
        self.cross[l] = if self.cum[0][l] + self.cum[1][l] >= 2e6 {
            0
        } else {
            NOT_YET
        };
        self.lanes.reseed_lane(l, 1, path, stream_id("noise"));
    }
}

/// Runs `n` W1 paths; returns the crossing-day counts (the horizon's slot: no crossing).
#[inline(always)]
fn lockstep_w1(n: u64, d: &[Dist; 4]) -> Vec<u64> {
    let mut counts = vec![0u64; 1097];
    let mut g = Lockstep {
        lanes: Lanes::default(),
        day: [0; 8],
        cum: [[0.0; 8]; 2],
        rate: [[0.0; 8]; 2],
        cross: [0; 8],
    };
    let mut next = 0u64;
    let mut live = [false; 8];
    for (l, on) in live.iter_mut().enumerate().take(n.min(8) as usize) {
        g.start(l, next, d);
        next += 1;
        *on = true;
    }
    let mut active = live.iter().filter(|&&x| x).count();
    while active > 0 {
        let b = g.lanes.step_all();
        let mut bits = [0u32; 16];
        for l in 0..LANES {
            bits[l] = b[l] as u32;
            bits[8 + l] = (b[l] >> 32) as u32;
        }
        let z = normals32(&bits, &mut g.lanes);
        let mut m = [0.0f64; 16];
        for k in 0..16 {
            m[k] = f64::from(exp32(SIGMA.mul_add(z[k], SHIFT)));
        }
        let mut finished = 0u32;
        for l in 0..8 {
            g.cum[0][l] += g.rate[0][l] * m[l];
            g.cum[1][l] += g.rate[1][l] * m[8 + l];
            g.day[l] += 1;
            let crossed_now = g.cross[l] == NOT_YET && g.cum[0][l] + g.cum[1][l] >= 2e6;
            g.cross[l] = if crossed_now { g.day[l] } else { g.cross[l] };
            let done = (g.cross[l] != NOT_YET && g.day[l] >= 181) || g.day[l] >= 1096;
            finished |= u32::from(done) << l;
        }
        while finished != 0 {
            let l = finished.trailing_zeros() as usize;
            finished &= finished - 1;
            if !live[l] {
                continue;
            }
            counts[(g.cross[l] as usize).min(1096)] += 1;
            if next < n {
                g.start(l, next, d);
                next += 1;
            } else {
                live[l] = false;
                active -= 1;
            }
        }
    }
    counts
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,fma")]
unsafe fn inverse_block_avx512(lanes: &mut Lanes, out: &mut [f64; BLOCK]) {
    inverse_block(lanes, out)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,fma")]
unsafe fn floor_block_avx512(lanes: &mut Lanes, out: &mut [f64; BLOCK]) {
    floor_block(lanes, out)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,fma")]
unsafe fn lockstep_w1_avx512(n: u64, d: &[Dist; 4]) -> Vec<u64> {
    lockstep_w1(n, d)
}

#[cfg(not(target_arch = "x86_64"))]
fn alternatives(_: &mut Criterion) {
    eprintln!("alternatives: these kernels are built for x86-64 with AVX-512; skipped");
}

#[cfg(target_arch = "x86_64")]
fn alternatives(c: &mut Criterion) {
    use attrition::sample::noise::NoiseSampler;
    use criterion::Throughput;
    if !(is_x86_feature_detected!("avx512f") && is_x86_feature_detected!("fma")) {
        eprintln!("alternatives: these kernels are built for AVX-512 with FMA; skipped");
        return;
    }
    let mut group = c.benchmark_group("alternatives");
    group.throughput(Throughput::Elements(BLOCK as u64));
    let mut lanes = Lanes::new(1, 2, 3);
    let mut block = [0.0; BLOCK];
    let shipped = NoiseSampler::new(attrition::model::Noise::LogNormal { sigma: 0.3 });
    group.bench_function("shipped block", |b| {
        b.iter(|| {
            shipped.fill(&mut lanes, &mut block);
            black_box(&block);
        })
    });
    // SAFETY (all three): the CPU has AVX-512F and FMA, checked above.
    group.bench_function("inverse CDF block", |b| {
        b.iter(|| {
            unsafe { inverse_block_avx512(&mut lanes, &mut block) };
            black_box(&block);
        })
    });
    group.bench_function("floor block", |b| {
        b.iter(|| {
            unsafe { floor_block_avx512(&mut lanes, &mut block) };
            black_box(&block);
        })
    });
    const PATHS: u64 = 20_000;
    let inputs = w1_inputs();
    group.throughput(Throughput::Elements(PATHS));
    group.sample_size(20);
    group.bench_function("lockstep W1, 20k paths, one thread", |b| {
        b.iter(|| black_box(unsafe { lockstep_w1_avx512(PATHS, &inputs) }))
    });
    group.finish();
}

/// The alternatives compute what they claim to: PPND7 inverts the normal CDF, and the
/// lockstep W1 lands on W1's published results.
fn check() {
    let mut worst: f64 = 0.0;
    for k in (0..1u32 << 23).step_by(97) {
        let p = (f64::from(k) + 0.5) / 8_388_608.0;
        let want = attrition::sample::normal::inverse_cdf(p);
        worst = worst.max((f64::from(ppnd7(k << 9)) - want).abs() / want.abs().max(1e-3));
    }
    assert!(worst < 1e-6, "PPND7 off by {worst:e}");
    let counts = lockstep_w1(200_000, &w1_inputs());
    let by_181: u64 = counts[..=181].iter().sum();
    let p = by_181 as f64 / 200_000.0;
    // docs/bench/W1.md: P(by day 181) = 0.3461; 4 standard errors at 200,000 paths.
    assert!(
        (p - 0.3461).abs() < 4.0 * (0.3461f64 * 0.6539 / 200_000.0).sqrt(),
        "{p}"
    );
}

fn checked(c: &mut Criterion) {
    check();
    alternatives(c);
}

criterion_group!(benches, checked);
criterion_main!(benches);
