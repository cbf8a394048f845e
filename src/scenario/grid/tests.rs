//! The grid's value syntax, point numbering and refusals.

use super::*;

#[test]
fn values_split_at_commas_outside_brackets_braces_and_quotes() {
    assert_eq!(split_values("0.1, 0.2,0.3").unwrap(), ["0.1", "0.2", "0.3"]);
    assert_eq!(
        split_values("[900,1200],{lo=1000,hi=1300},{ lo = 1, hi = [2, 3] }").unwrap(),
        ["[900,1200]", "{lo=1000,hi=1300}", "{ lo = 1, hi = [2, 3] }"]
    );
    assert_eq!(
        split_values(r#""a,b","c\",d",'e,f'"#).unwrap(),
        [r#""a,b""#, r#""c\",d""#, "'e,f'"]
    );
    for bad in ["1,,2", "[1,2", "1]", "{a=1]", "\"open", ",1", "1,"] {
        assert!(split_values(bad).is_err(), "{bad}");
    }
}

fn args(a: &[&str]) -> Result<Grid, String> {
    Grid::from_args(&a.iter().map(|s| s.to_string()).collect::<Vec<_>>())
}

#[test]
fn points_count_with_the_last_key_fastest() {
    let g = args(&[
        "noise.sigma=0.1,0.2,0.3",
        "sides.a.rate_per_day=[1,2],{lo=2,hi=3}",
    ])
    .unwrap();
    assert_eq!(g.points(), 6);
    assert_eq!(g.at(0), [0, 0]);
    assert_eq!(g.at(1), [0, 1]);
    assert_eq!(g.at(5), [2, 1]);
    assert_eq!(
        g.describe(3),
        "noise.sigma=0.2, sides.a.rate_per_day={lo=2,hi=3}"
    );
    assert!(g.axes[0].numeric() && !g.axes[1].numeric());
    assert_eq!(g.axes[0].numbers(), Some(vec![0.1, 0.2, 0.3]));
}

#[test]
fn bad_grids_name_their_argument() {
    for (bad, says) in [
        (vec!["noise.sigma"], "give KEY=V1"),
        (vec!["noise.sigma=0.1,,0.2"], "value 2 is empty"),
        (vec!["noise..sigma=0.1"], "not a key path"),
        (vec!["noise.sigma=0.1,nope"], "not a TOML value"),
        (vec!["scenario.seed=1,2"], "cannot be swept"),
        (vec!["noise.sigma=0.1,0.10"], "given twice"),
        (
            vec!["sides.a=1,2", "sides.a.casualties=1,2"],
            "swept already",
        ),
    ] {
        let e = args(&bad).unwrap_err();
        assert!(e.starts_with("--grid ") && e.contains(says), "{bad:?}: {e}");
    }
    let many: Vec<String> = (0..3)
        .map(|i| {
            format!(
                "k{i}={}",
                (0..100)
                    .map(|v| v.to_string())
                    .collect::<Vec<_>>()
                    .join(",")
            )
        })
        .collect();
    assert!(Grid::from_args(&many)
        .unwrap_err()
        .contains("at most 100000"));
}
