//! CSV in tidy long form: one value a row, in the spirit of forecast hubs' model-output
//! tables (`output_type` quantile / cdf / mean with an `output_type_id`).

use crate::projection::Projection;

pub const HEADER: &str =
    "scenario,target_type,target,metric,output_type,output_type_id,date,day,value";

pub fn render(projections: &[Projection]) -> String {
    let mut out = String::new();
    out.push_str(HEADER);
    out.push('\n');
    for p in projections {
        let scenario = &p.scenario.name;
        for t in &p.thresholds {
            let mut row =
                |output_type: &str, id: &str, date: String, day: String, value: String| {
                    let fields = [
                        scenario.as_str(),
                        "crossing",
                        &t.name,
                        t.metric.as_str(),
                        output_type,
                        id,
                        &date,
                        &day,
                        &value,
                    ];
                    line(&mut out, &fields);
                };
            for q in &t.crossing {
                let day = q.day.map(|d| d.to_string()).unwrap_or_default();
                let date = q.date.map(|d| d.to_string()).unwrap_or_default();
                row("quantile", &q.p.to_string(), date, day.clone(), day);
                // The interval's ends, each with its own day and date (empty beyond the
                // horizon).
                for (kind, d, date) in [
                    ("quantile_ci_low", q.ci_low_day, q.ci_low_date),
                    ("quantile_ci_high", q.ci_high_day, q.ci_high_date),
                ] {
                    let day = d.map(|d| d.to_string()).unwrap_or_default();
                    let date = date.map(|d| d.to_string()).unwrap_or_default();
                    row(kind, &q.p.to_string(), date, day.clone(), day);
                }
            }
            if let Some(m) = &t.mean_of_crossed {
                let whole = m.date.days_since(p.scenario.reference_date);
                row(
                    "mean",
                    "",
                    m.date.to_string(),
                    whole.to_string(),
                    m.day.to_string(),
                );
            }
            let r = p.scenario.reference_date.to_string();
            row(
                "p_at_baseline",
                "",
                r,
                "0".into(),
                t.p_at_baseline.to_string(),
            );
            for c in &t.p_crossed_by {
                let id = c.date.to_string();
                row("cdf", &id, id.clone(), c.day.to_string(), c.p.to_string());
                row(
                    "cdf_se",
                    &id,
                    id.clone(),
                    c.day.to_string(),
                    c.se.to_string(),
                );
                let how = serde_json::to_value(c.method)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default();
                row("cdf_method", &id, id.clone(), c.day.to_string(), how);
            }
            let h = p.scenario.horizon_date.to_string();
            let hd = p.scenario.horizon_days.to_string();
            row(
                "p_not_crossed",
                "",
                h.clone(),
                hd.clone(),
                t.p_not_crossed.to_string(),
            );
            row(
                "p_not_crossed_se",
                "",
                h,
                hd,
                t.p_not_crossed_se.to_string(),
            );
        }
        // Events and regimes: rows of one scenario, written through one helper.
        let mut put = |fields: [&str; 8]| {
            let mut all = [scenario.as_str(); 9];
            all[1..].copy_from_slice(&fields);
            line(&mut out, &all);
        };
        let horizon = (
            p.scenario.horizon_date.to_string(),
            p.scenario.horizon_days.to_string(),
        );
        for e in &p.events {
            let (p_happened, se) = (e.p_happened.to_string(), e.p_happened_se.to_string());
            put(["event", &e.name, "", "p_happened", "", "", "", &p_happened]);
            put(["event", &e.name, "", "p_happened_se", "", "", "", &se]);
            for c in &e.thresholds {
                let metric = p
                    .thresholds
                    .iter()
                    .find(|t| t.name == c.threshold)
                    .map_or("", |t| t.metric.as_str());
                for (kind, sum) in [("with", &c.with_event), ("without", &c.without_event)] {
                    let target_type = format!("crossing_{kind}:{}", e.name);
                    let tt = target_type.as_str();
                    for q in &sum.crossing {
                        let day = q.day.map(|d| d.to_string()).unwrap_or_default();
                        let date = q.date.map(|d| d.to_string()).unwrap_or_default();
                        let level = q.p.to_string();
                        put([
                            tt,
                            &c.threshold,
                            metric,
                            "quantile",
                            &level,
                            &date,
                            &day,
                            &day,
                        ]);
                    }
                    let n = sum.paths.to_string();
                    put([tt, &c.threshold, metric, "paths", "", "", "", &n]);
                    if let Some(pn) = sum.p_not_crossed {
                        let (hd, hn) = (&horizon.0, &horizon.1);
                        put([
                            tt,
                            &c.threshold,
                            metric,
                            "p_not_crossed",
                            "",
                            hd,
                            hn,
                            &pn.to_string(),
                        ]);
                    }
                }
            }
        }
        let (method, replicates) = match p.run.method.replicates {
            Some(r) => ("reduced", r),
            None => ("plain", 1),
        };
        put([
            "run",
            "method",
            "",
            "replicates",
            method,
            "",
            "",
            &replicates.to_string(),
        ]);
        if let Some(w) = &p.run.weights {
            let ess = w.effective_paths.to_string();
            put(["run", "weights", "", "effective_paths", "", "", "", &ess]);
            if let Some(q) = &w.proposal {
                let n = q.pilot_paths.to_string();
                put(["run", "weights", "", "proposal_pilot_paths", "", "", "", &n]);
            }
        }
        for o in &p.observations {
            let (date, day) = (o.date.to_string(), o.day.to_string());
            let m = o.metric.as_str();
            let mut at = |kind: &str, id: &str, v: f64| {
                put([
                    "observation",
                    &o.name,
                    m,
                    kind,
                    id,
                    &date,
                    &day,
                    &v.to_string(),
                ]);
            };
            at("value", "", o.value);
            at("value_p5", "", o.value_p5);
            at("value_p95", "", o.value_p95);
            at("prior_percentile", "", o.prior_percentile);
            at("prior_percentile_se", "", o.prior_percentile_se);
            for q in &o.prior {
                at("prior_quantile", &q.p.to_string(), q.value);
            }
            for q in &o.posterior {
                at("posterior_quantile", &q.p.to_string(), q.value);
            }
        }
        for r in &p.regimes {
            let (share, se) = (r.share_of_days.to_string(), r.se.to_string());
            put(["regime", &r.name, "", "share_of_days", "", "", "", &share]);
            put(["regime", &r.name, "", "share_of_days_se", "", "", "", &se]);
        }
        for s in &p.stocks {
            for point in &s.points {
                for q in &point.quantiles {
                    let ends = [
                        ("quantile", Some(q.value)),
                        ("quantile_ci_low", q.ci_low),
                        ("quantile_ci_high", q.ci_high),
                    ];
                    for (kind, value) in ends {
                        let Some(value) = value else { continue };
                        let fields = [
                            scenario.as_str(),
                            "stock",
                            &s.series,
                            s.metric.as_str(),
                            kind,
                            &q.p.to_string(),
                            &point.date.to_string(),
                            &point.day.to_string(),
                            &value.to_string(),
                        ];
                        line(&mut out, &fields);
                    }
                }
            }
        }
    }
    out
}

pub(super) fn line(out: &mut String, fields: &[&str]) {
    for (i, f) in fields.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_field(out, f);
    }
    out.push('\n');
}

/// Appends one CSV field: control characters shown as `\xNN`, then quoted as RFC 4180
/// says when it holds a comma or quote (see `escape::csv_field`).
pub fn push_field(out: &mut String, f: &str) {
    out.push_str(&super::escape::csv_field(f));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_fields_that_need_it() {
        let mut s = String::new();
        line(&mut s, &["a,b", "say \"hi\"", "plain"]);
        assert_eq!(s, "\"a,b\",\"say \"\"hi\"\"\",plain\n");
    }

    #[test]
    fn control_characters_never_reach_the_file_raw() {
        let mut s = String::new();
        line(&mut s, &["x\u{1b}[2J", "two\nlines"]);
        assert_eq!(s, "x\\x1b[2J,two\\x0alines\n");
    }
}
