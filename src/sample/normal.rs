//! The standard normal quantile function (inverse CDF), accurate to about 1e-16.
//!
//! Inputs are drawn by inversion (`x = F^-1(u)`) so that one uniform per input is all a
//! path needs; that keeps draws comparable across scenarios and open to stratification.

/// 1.6448536269514722: the 95th percentile of the standard normal, as docs/domain.md states it.
/// A normal's central 90% interval is its mean +/- Z95 sd: `fit`, its fragment and a
/// trend's 90% range use it so.
pub const Z95: f64 = 1.644_853_626_951_472_2;

/// The standard normal CDF, `P(Z <= x) = erfc(-x / sqrt 2) / 2` (statrs's erfc, accurate
/// to about 1e-10 relative in the far tails: see the test below). The one definition for
/// the copula's uniforms, truncated normals and the CRPS.
pub fn cdf(x: f64) -> f64 {
    // The same operations as statrs's `Normal::standard().cdf(x)`, which is
    // `0.5 * erfc((0 - x) / (1 * SQRT_2))`: the same bits.
    0.5 * statrs::function::erf::erfc(-x / std::f64::consts::SQRT_2)
}

/// Quantile of the standard normal distribution: the `z` with `P(Z <= z) = p`.
///
/// Wichura (1988), "Algorithm AS 241: The Percentage Points of the Normal Distribution",
/// Applied Statistics 37(3), 477-484: PPND16, relative accuracy about 1e-16.
/// `p` must lie in (0, 1); 0 and 1 give -inf and +inf.
pub fn inverse_cdf(p: f64) -> f64 {
    if p <= 0.0 {
        return f64::NEG_INFINITY;
    }
    if p >= 1.0 {
        return f64::INFINITY;
    }
    let q = p - 0.5;
    if q.abs() <= 0.425 {
        let r = 0.180625 - q * q;
        return q * poly(&A, r) / poly(&B, r);
    }
    let r = if q < 0.0 { p } else { 1.0 - p };
    let r = (-r.ln()).sqrt();
    let z = if r <= 5.0 {
        let r = r - 1.6;
        poly(&C, r) / poly(&D, r)
    } else {
        let r = r - 5.0;
        poly(&E, r) / poly(&F, r)
    };
    if q < 0.0 {
        -z
    } else {
        z
    }
}

fn poly(c: &[f64; 8], x: f64) -> f64 {
    c.iter().rev().fold(0.0, |acc, &k| acc * x + k)
}

const A: [f64; 8] = [
    3.387_132_872_796_366_5,
    1.331_416_678_917_843_8e2,
    1.971_590_950_306_551_3e3,
    1.373_169_376_550_946e4,
    4.592_195_393_154_987e4,
    6.726_577_092_700_87e4,
    3.343_057_558_358_813e4,
    2.509_080_928_730_122_7e3,
];
const B: [f64; 8] = [
    1.0,
    4.231_333_070_160_091e1,
    6.871_870_074_920_579e2,
    5.394_196_021_424_751e3,
    2.121_379_430_158_659_7e4,
    3.930_789_580_009_271e4,
    2.872_908_573_572_194_3e4,
    5.226_495_278_852_545e3,
];
const C: [f64; 8] = [
    1.423_437_110_749_683_5,
    4.630_337_846_156_546,
    5.769_497_221_460_691,
    3.647_848_324_763_204_5,
    1.270_458_252_452_368_4,
    2.417_807_251_774_506e-1,
    2.272_384_498_926_918_4e-2,
    7.745_450_142_783_414e-4,
];
const D: [f64; 8] = [
    1.0,
    2.053_191_626_637_759,
    1.676_384_830_183_803_8,
    6.897_673_349_851e-1,
    1.481_039_764_274_800_8e-1,
    1.519_866_656_361_645_7e-2,
    5.475_938_084_995_345e-4,
    1.050_750_071_644_416_9e-9,
];
const E: [f64; 8] = [
    6.657_904_643_501_103,
    5.463_784_911_164_114,
    1.784_826_539_917_291_3,
    2.965_605_718_285_048_7e-1,
    2.653_218_952_657_612_4e-2,
    1.242_660_947_388_078_4e-3,
    2.711_555_568_743_487_6e-5,
    2.010_334_399_292_288_1e-7,
];
const F: [f64; 8] = [
    1.0,
    5.998_322_065_558_88e-1,
    1.369_298_809_227_358e-1,
    1.487_536_129_085_061_5e-2,
    7.868_691_311_456_133e-4,
    1.846_318_317_510_054_8e-5,
    1.421_511_758_316_446e-7,
    2.044_263_103_389_939_7e-15,
];

#[cfg(test)]
mod tests {
    use super::*;
    use statrs::distribution::{ContinuousCDF, Normal};

    #[test]
    fn matches_reference_values() {
        // Reference quantiles: Python's statistics.NormalDist().inv_cdf.
        let cases = [
            (0.5, 0.0),
            (0.95, 1.6448536269514722),
            (0.975, 1.9599639845400536),
            (0.05, -1.6448536269514726),
            (1e-10, -6.361340902404056),
            (0.0005, -3.2905267314918945),
            (0.999_999, 4.753424308817089),
        ];
        for (p, z) in cases {
            let got = inverse_cdf(p);
            assert!(
                (got - z).abs() <= 1e-14 * z.abs().max(1.0),
                "p={p}: {got} vs {z}"
            );
        }
        assert!((inverse_cdf(0.95) - Z95).abs() < 1e-15);
    }

    #[test]
    fn inverts_the_statrs_cdf_across_the_range() {
        // statrs's CDF is accurate to about 1e-10 relative (Python's math.erfc agrees with
        // inverse_cdf where statrs drifts), so this checks consistency, not the last digit.
        let n = Normal::standard();
        for i in 1..2000 {
            let p = i as f64 / 2000.0;
            let z = inverse_cdf(p);
            assert!(
                ((n.cdf(z) - p) / p).abs() < 1e-9,
                "p={p}: z={z:e} cdf={:e}",
                n.cdf(z)
            );
        }
        for k in 2..300 {
            let p = 10f64.powi(-k);
            let z = inverse_cdf(p);
            assert!(((n.cdf(z) - p) / p).abs() < 1e-9, "p=1e-{k}");
        }
    }

    #[test]
    fn the_cdf_is_statrs_standard_normal_to_the_bit() {
        // Callers used statrs's Normal::standard().cdf before; results must not move.
        let n = Normal::standard();
        let mut xs = vec![0.0, -0.0, 38.0, -38.0, 1e-300, -1e-300, Z95, -Z95];
        xs.extend((-4000..=4000).map(|i| i as f64 * 0.01 + 0.003));
        for x in xs {
            assert_eq!(cdf(x).to_bits(), n.cdf(x).to_bits(), "x = {x}");
        }
    }
}
