//! The groups a sensitivity analysis shares the variance among: every input that varies
//! (`Input::varies`) alone, or the inputs of each side, or of each mechanism; and the
//! day-to-day noise as one group. A group is a set of streams redrawn together.
//!
//! Sobol indices assume independent inputs: a first-order index is the share of the
//! variance explained by one input alone, which is only a share of a sum when the
//! inputs' contributions do not overlap. Inputs tied by a correlation (a Gaussian
//! copula) are drawn together, so they are one group whatever the grouping, unless the
//! grouping already puts them all in one.

use super::super::plan::Plan;
use crate::model::{Mechanism, Model, Noise, PhaseEffect, SideId, What};
use serde::{Deserialize, Serialize};

/// How inputs are grouped (`--group`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Grouping {
    /// Every input alone.
    Input,
    /// The inputs of each side, and those of no one side (`shared`).
    Side,
    /// Day-0 stocks, rates, forces, phases, events, regimes, trend.
    Mechanism,
}

impl Grouping {
    pub const NAMES: [&'static str; 3] = ["input", "side", "mechanism"];

    pub fn name(self) -> &'static str {
        Self::NAMES[self as usize]
    }
}

/// A set of inputs redrawn together.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Group {
    /// The input's key, `side russia`, `rates`, `noise`, or `correlated: a + b`.
    pub name: String,
    /// The keys of its inputs (`Model::inputs`); the noise lists its streams' names.
    pub inputs: Vec<String>,
    /// Whether a correlation put these inputs together (rather than the grouping).
    pub tied: bool,
    /// The streams redrawn together.
    pub streams: Vec<u64>,
}

/// Why a model has no groups to analyse.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GroupError {
    /// No input varies and there is no day-to-day noise.
    NothingVaries,
    /// `--group side` or `mechanism` found fewer than two such groups (`found`).
    TooFew { grouping: Grouping, found: usize },
}

/// The name of the group the noise is in.
pub const NOISE: &str = "noise";
/// The group of the inputs of no one side under `Grouping::Side`.
pub const SHARED: &str = "shared";

/// The groups of `model` under `grouping`, in the order of their first input in the
/// table of inputs, the noise last.
pub fn groups(model: &Model, grouping: Grouping) -> Result<Vec<Group>, GroupError> {
    let plan = Plan::new(model);
    let inputs = &plan.inputs;
    // The tentative groups: (name, indices into the table).
    let mut found: Vec<(String, Vec<usize>)> = Vec::new();
    let mut add = |name: String, i: usize| match found.iter_mut().find(|(n, _)| *n == name) {
        Some((_, v)) => v.push(i),
        None => found.push((name, vec![i])),
    };
    for (i, input) in inputs.iter().enumerate() {
        if !input.varies(model) {
            continue;
        }
        let name = match grouping {
            Grouping::Input => input.key.clone(),
            Grouping::Side => match side_of(model, input.what) {
                Some(s) => format!("side {}", model.sides[s].name),
                None => SHARED.to_string(),
            },
            Grouping::Mechanism => mechanism_of(input.what).to_string(),
        };
        add(name, i);
    }
    // Correlated inputs apart from their groups unless one group holds them all.
    let mut tied: Vec<Vec<usize>> = Vec::new();
    for c in &model.correlations {
        let home = |k: usize| found.iter().position(|(_, v)| v.contains(&k));
        let homes: Vec<Option<usize>> = c.inputs.iter().map(|&k| home(k)).collect();
        let together = grouping != Grouping::Input
            && homes[0].is_some()
            && homes.iter().all(|h| *h == homes[0]);
        if !together {
            for (_, v) in found.iter_mut() {
                v.retain(|k| !c.inputs.contains(k));
            }
            tied.push(c.inputs.clone());
        }
    }
    let count = |found: &[(String, Vec<usize>)]| {
        found
            .iter()
            .filter(|(n, v)| !v.is_empty() && n != SHARED)
            .count()
    };
    if grouping != Grouping::Input && count(&found) < 2 {
        return Err(GroupError::TooFew {
            grouping,
            found: count(&found),
        });
    }
    let streams_of = |k: usize| -> Vec<u64> {
        match inputs[k].what {
            // The chain's first state has a stream of its own.
            What::RegimeChain => vec![inputs[k].stream, plan.regime_initial],
            _ => vec![inputs[k].stream],
        }
    };
    let group = |name: String, members: &[usize], tied: bool| Group {
        name,
        inputs: members.iter().map(|&k| inputs[k].key.clone()).collect(),
        tied,
        streams: members.iter().flat_map(|&k| streams_of(k)).collect(),
    };
    // Each group in the order of its first input.
    let mut out: Vec<(usize, Group)> = found
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(n, v)| (v[0], group(n.clone(), v, false)))
        .collect();
    for members in &tied {
        let keys: Vec<&str> = members.iter().map(|&k| inputs[k].key.as_str()).collect();
        let name = format!("correlated: {}", keys.join(" + "));
        out.push((members[0], group(name, members, true)));
    }
    out.sort_by_key(|(first, _)| *first);
    let mut out: Vec<Group> = out.into_iter().map(|(_, g)| g).collect();
    if model.noise != Noise::None {
        let mut names: Vec<String> = model
            .sides
            .iter()
            .map(|s| format!("noise.{}", s.name))
            .collect();
        let mut streams: Vec<u64> = plan.streams.iter().map(|s| s.noise).collect();
        if model.shock_correlation > 0.0 {
            names.push("noise.shared".to_string());
            streams.push(plan.common_noise);
        }
        out.push(Group {
            name: NOISE.to_string(),
            inputs: names,
            tied: false,
            streams,
        });
    }
    if out.is_empty() {
        return Err(GroupError::NothingVaries);
    }
    Ok(out)
}

/// The one side an input belongs to: a side's own inputs, and a multiplier of one side.
fn side_of(model: &Model, what: What) -> Option<SideId> {
    match what {
        What::Casualties(s)
        | What::Rate(s)
        | What::Killed(s)
        | What::KilledShare(s)
        | What::Force(s)
        | What::Recruits(s)
        | What::ReturnShare(s) => Some(s),
        What::Factor { side: Some(s), .. } => Some(s),
        What::Factor {
            of,
            index,
            side: None,
        } => {
            let effect = match of {
                Mechanism::Phase => &model.phases[index].effect,
                Mechanism::Event => &model.events[index].effect,
                Mechanism::Regime => &model.regimes.as_ref()?.effects[index],
            };
            match effect {
                PhaseEffect::Shared { sides, .. } if sides.len() == 1 => Some(sides[0]),
                _ => None,
            }
        }
        _ => None,
    }
}

/// The mechanism an input belongs to: how far the war had gone on day 0, how fast it
/// goes on, forces in the line, and what changes the pace.
fn mechanism_of(what: What) -> &'static str {
    match what {
        What::Casualties(_) | What::Killed(_) => "stocks",
        What::Rate(_) | What::KilledShare(_) => "rates",
        What::Force(_) | What::Recruits(_) | What::ReturnShare(_) => "forces",
        What::Factor { of, .. } => match of {
            Mechanism::Phase => "phases",
            Mechanism::Event => "events",
            Mechanism::Regime => "regimes",
        },
        What::EventProbability(_)
        | What::EventHappens(_)
        | What::EventStart(_)
        | What::EventEnd(_) => "events",
        What::RegimeChain => "regimes",
        What::Trend => "trend",
        What::SourceBias(_) => "sources",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RICH: &str = include_str!("../../model/inputs_rich.toml");

    fn rich() -> Model {
        crate::scenario::load_str("rich.toml", RICH).expect("the test scenario is valid")
    }

    fn names(g: &[Group]) -> Vec<&str> {
        g.iter().map(|g| g.name.as_str()).collect()
    }

    #[test]
    fn inputs_alone_except_the_correlated_which_go_together() {
        let m = rich();
        let g = groups(&m, Grouping::Input).unwrap();
        assert_eq!(
            names(&g),
            [
                "sides.a.casualties",
                "correlated: sides.a.rate_per_day + phases.p.multipliers.b",
                "sides.a.killed",
                "sides.a.killed_share",
                "correlated: sides.a.force + phases.q.multiplier",
                "sides.b.casualties",
                "sides.b.rate_per_day",
                "phases.p.multipliers.a",
                "events.e.probability",
                "events.e.happens",
                "events.e.start",
                "events.e.end",
                "regimes.chain",
                "trend.percent_per_month",
            ]
        );
        assert!(g[1].tied && !g[0].tied);
        // The chain redraws its first state too; no noise group without noise.
        assert_eq!(g[12].streams.len(), 2);
        let plan = Plan::new(&m);
        assert!(g[12].streams.contains(&plan.regime_initial));
    }

    #[test]
    fn sides_and_mechanisms_keep_a_correlation_inside_one_group_when_they_can() {
        let m = rich();
        let g = groups(&m, Grouping::Side).unwrap();
        // a's rate is tied to b's phase multiplier: apart; a's force to a phase of a
        // alone (`sides = ["a"]`): inside side a.
        assert_eq!(
            names(&g),
            [
                "side a",
                "correlated: sides.a.rate_per_day + phases.p.multipliers.b",
                "side b",
                SHARED
            ]
        );
        assert!(g[0].inputs.contains(&"phases.q.multiplier".to_string()));
        let g = groups(&m, Grouping::Mechanism).unwrap();
        assert_eq!(
            names(&g),
            [
                "stocks",
                "correlated: sides.a.rate_per_day + phases.p.multipliers.b",
                "rates",
                "correlated: sides.a.force + phases.q.multiplier",
                "phases",
                "events",
                "regimes",
                "trend"
            ]
        );
    }

    #[test]
    fn one_side_has_no_side_groups_and_noise_is_one_group() {
        let text = "[scenario]\nname = \"one\"\nreference_date = 2025-12-31\nhorizon_days = 100\n\n[noise]\nmodel = \"gamma\"\ncv = 0.2\n\n[sides.a]\ncasualties = [10, 20]\nrate_per_day = 1\n\n[[thresholds]]\nname = \"t\"\nlevel = 50\n";
        let m = crate::scenario::load_str("one.toml", text).unwrap();
        assert_eq!(
            groups(&m, Grouping::Side),
            Err(GroupError::TooFew {
                grouping: Grouping::Side,
                found: 1
            })
        );
        assert!(matches!(
            groups(&m, Grouping::Mechanism),
            Err(GroupError::TooFew { found: 1, .. })
        ));
        let g = groups(&m, Grouping::Input).unwrap();
        assert_eq!(names(&g), ["sides.a.casualties", NOISE]);
        assert_eq!(g[1].inputs, ["noise.a"]);
        let fixed = text
            .replace("[10, 20]", "10")
            .replace("\"gamma\"\ncv = 0.2", "\"none\"");
        let m = crate::scenario::load_str("one.toml", &fixed).unwrap();
        assert_eq!(groups(&m, Grouping::Input), Err(GroupError::NothingVaries));
    }
}
