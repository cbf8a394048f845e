//! Axis ticks: date ticks on round calendar boundaries (days of the month, months,
//! quarters, years, decades) for any span from a day to a century, and round value
//! ticks.

use super::text::text_width;
use crate::date::Date;

/// A calendar step: days of the month (1, 1 + n, ...), or a number of
/// months from January, or a number of years from a multiple of that number.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Step {
    Days(u32),
    Months(u32),
    Years(i32),
}

const STEPS: [Step; 16] = [
    Step::Days(1),
    Step::Days(2),
    Step::Days(7),
    Step::Days(14),
    Step::Months(1),
    Step::Months(2),
    Step::Months(3),
    Step::Months(6),
    Step::Years(1),
    Step::Years(2),
    Step::Years(5),
    Step::Years(10),
    Step::Years(20),
    Step::Years(25),
    Step::Years(50),
    Step::Years(100),
];

/// At most this many date ticks: more are hard to read even when their labels fit.
const MAX_TICKS: usize = 13;

/// Label size of the date ticks.
pub const TICK_SIZE: f64 = 12.0;

/// One date tick: its date and label.
#[derive(Clone, Debug, PartialEq)]
pub struct DateTick {
    pub date: Date,
    pub label: String,
}

fn label(step: Step, d: Date) -> String {
    let (y, m, day) = d.ymd();
    match step {
        Step::Days(_) => format!("{y}-{m:02}-{day:02}"),
        Step::Months(_) => format!("{y}-{m:02}"),
        Step::Years(_) => format!("{y}"),
    }
}

/// The dates of `step` from `first` to `last` inclusive.
fn dates(step: Step, first: Date, last: Date) -> Vec<Date> {
    let (fy, fm, _) = first.ymd();
    let mut out = Vec::new();
    let mut push = |y: i32, m: u32, d: u32| -> bool {
        // Callers pass real dates; a failure ends the axis rather than loop.
        match Date::from_ymd(y, m, d) {
            Ok(date) if date <= last => {
                if date >= first {
                    out.push(date);
                }
                true
            }
            _ => false,
        }
    };
    match step {
        Step::Days(n) => {
            // Odd days stop at the 29th and sparser steps at the 28th, so that the gap
            // to the next 1st is never shorter than the step.
            let limit = match n {
                1 => 31,
                2 => 29,
                _ => 28,
            };
            let (mut y, mut m) = (fy, fm);
            'months: loop {
                for d in (1..=limit).step_by(n as usize) {
                    if Date::from_ymd(y, m, d).is_err() {
                        break; // past the month's end
                    }
                    if !push(y, m, d) {
                        break 'months;
                    }
                }
                (y, m) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
            }
        }
        Step::Months(n) => {
            let (mut y, mut m) = (fy, 1 + (fm - 1) / n * n);
            while push(y, m, 1) {
                m += n;
                if m > 12 {
                    (y, m) = (y + 1, m - 12);
                }
            }
        }
        Step::Years(n) => {
            let mut y = fy.div_euclid(n) * n;
            while push(y, 1, 1) {
                y += n;
            }
        }
    }
    out
}

/// Date ticks for days `x0..=x1` after `reference`, drawn over `width` units: the
/// finest calendar step whose labels stay apart (a fifth of a label's width between
/// them at least) with at most [`MAX_TICKS`] ticks, so that they land on days of the
/// month, firsts of months, quarters, years, decades.
pub fn date_ticks(reference: Date, x0: f64, x1: f64, width: f64) -> Vec<DateTick> {
    spaced_date_ticks(reference, x0, x1, width, &|label| {
        text_width(label, TICK_SIZE, false) * 1.2
    })
}

/// Date ticks up a vertical axis of `height` units: labels one above the other, at
/// least `VERTICAL_GAP` apart.
pub fn vertical_date_ticks(reference: Date, y0: f64, y1: f64, height: f64) -> Vec<DateTick> {
    spaced_date_ticks(reference, y0, y1, height, &|_| VERTICAL_GAP)
}

/// The least distance between the baselines of date labels stacked up an axis.
pub const VERTICAL_GAP: f64 = TICK_SIZE * 1.6;

/// Date ticks over days `x0..=x1` drawn along `length` units: the finest calendar step
/// whose neighbouring ticks are at least `room(label)` apart, with at most `MAX_TICKS`.
fn spaced_date_ticks(
    reference: Date,
    x0: f64,
    x1: f64,
    length: f64,
    room: &dyn Fn(&str) -> f64,
) -> Vec<DateTick> {
    let first = reference.add_days(x0.ceil() as i64);
    let last = reference.add_days(x1.floor() as i64);
    let per_day = length / (x1 - x0).max(1.0);
    for step in STEPS {
        let ds = dates(step, first, last);
        // The narrowest gap between ticks of this step in view (a single tick: its step).
        let gap = if ds.len() < 2 {
            match step {
                Step::Days(n) => n as f64,
                Step::Months(n) => 28.0 * n as f64,
                Step::Years(n) => 365.0 * n as f64,
            }
        } else {
            ds.windows(2)
                .map(|w| w[1].days_since(w[0]) as f64)
                .fold(f64::INFINITY, f64::min)
        };
        let widest = ds
            .iter()
            .map(|&d| room(&label(step, d)))
            .fold(0.0, f64::max);
        if (gap * per_day >= widest && ds.len() <= MAX_TICKS) || step == Step::Years(100) {
            return ds
                .into_iter()
                .map(|date| DateTick {
                    date,
                    label: label(step, date),
                })
                .collect();
        }
    }
    Vec::new()
}

/// The first round calendar date on or after day `day` (days after `reference`), in
/// steps of about a twentieth of `span` days, as a day; `max_day` if there is none
/// before it. Axes that stop short of the horizon end there.
pub fn round_up(reference: Date, day: f64, span: f64, max_day: f64) -> f64 {
    // Steps of roughly a twentieth of the span: the axis ends at most that far past `day`.
    let target = span / 20.0;
    let step = STEPS
        .iter()
        .copied()
        .find(|s| match s {
            Step::Days(n) => (*n as f64) >= target,
            Step::Months(n) => 30.4 * (*n as f64) >= target,
            Step::Years(n) => 365.25 * (*n as f64) >= target,
        })
        .unwrap_or(Step::Years(100));
    let from = reference.add_days(day.ceil() as i64);
    let to = reference.add_days(max_day.floor() as i64);
    dates(step, from, to)
        .first()
        .map_or(max_day, |d| d.days_since(reference) as f64)
}

/// A round step near `raw`: 1, 2, 2.5 or 5 times a power of ten.
pub fn nice_step(raw: f64) -> f64 {
    let p = 10f64.powf(raw.max(1e-12).log10().floor());
    let m = raw / p;
    p * if m <= 1.0 {
        1.0
    } else if m <= 2.0 {
        2.0
    } else if m <= 2.5 {
        2.5
    } else if m <= 5.0 {
        5.0
    } else {
        10.0
    }
}

/// Round values from `y0` to `y1`, about six of them.
pub fn value_ticks(y0: f64, y1: f64) -> Vec<f64> {
    let step = nice_step((y1 - y0) / 6.0);
    let mut out = Vec::new();
    let mut k = (y0 / step).ceil();
    while k * step <= y1 + step * 1e-9 && out.len() < 50 {
        out.push(k * step);
        k += 1.0;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> Date {
        Date::from_ymd(y, m, d).unwrap()
    }

    fn labels(reference: Date, days: f64) -> Vec<String> {
        date_ticks(reference, 0.0, days, 744.0)
            .into_iter()
            .map(|t| t.label)
            .collect()
    }

    #[test]
    fn ticks_land_on_round_boundaries_from_weeks_to_a_century() {
        let r = ymd(2025, 12, 31);
        // Two weeks: days of the month.
        let l = labels(r, 14.0);
        assert!(l.len() >= 4 && l.iter().all(|s| s.len() == 10), "{l:?}");
        // Three years: quarters or half-years, starting in January, April, July or October.
        let l = labels(r, 1096.0);
        assert!(l.len() >= 4 && l.len() <= 14, "{l:?}");
        assert!(l.iter().all(|s| s.len() == 7), "{l:?}");
        let months: Vec<u32> = l.iter().map(|s| s[5..].parse().unwrap()).collect();
        assert!(months.iter().all(|m| (m - 1) % 3 == 0), "{l:?}");
        assert_eq!(l[0], "2026-01");
        // Seven months: whole months.
        let l = labels(r, 214.0);
        assert_eq!(l[0], "2026-01");
        assert!(l.len() >= 4, "{l:?}");
        // A century: decades (or 20 years), on multiples.
        let l = labels(r, 36_525.0);
        assert!(l.len() >= 4 && l.len() <= 12, "{l:?}");
        let years: Vec<i32> = l.iter().map(|s| s.parse().unwrap()).collect();
        assert!(years.iter().all(|y| y % 10 == 0), "{l:?}");
        // One day: the two dates.
        assert_eq!(labels(r, 1.0), vec!["2025-12-31", "2026-01-01"]);
    }

    #[test]
    fn labels_never_crowd() {
        let r = ymd(2025, 12, 31);
        for days in [
            1.0, 3.0, 10.0, 45.0, 100.0, 400.0, 1000.0, 4000.0, 20_000.0, 36_525.0,
        ] {
            let ticks = date_ticks(r, 0.0, days, 744.0);
            assert!(!ticks.is_empty(), "{days}");
            let per_day = 744.0 / days;
            for w in ticks.windows(2) {
                let gap = w[1].date.days_since(w[0].date) as f64 * per_day;
                let width = text_width(&w[0].label, TICK_SIZE, false);
                assert!(gap >= width * 1.2, "{days}: {w:?}");
            }
        }
    }

    #[test]
    fn axis_ends_round() {
        let r = ymd(2025, 12, 31);
        let end = round_up(r, 200.0, 200.0, 1096.0);
        let d = r.add_days(end as i64);
        assert_eq!(d.ymd().2, 1, "{d}");
        assert!((200.0..=240.0).contains(&end), "{end}");
        assert_eq!(round_up(r, 1090.0, 1096.0, 1096.0), 1096.0);
        let v = value_ticks(0.0, 1.0);
        assert_eq!(v.len(), 6);
        assert!((v[3] - 0.6).abs() < 1e-12 && v[5] == 1.0, "{v:?}");
    }
}
