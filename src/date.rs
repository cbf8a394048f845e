//! Calendar dates as whole days: parsing, printing and the arithmetic the engine needs.
//!
//! The engine counts days after a scenario's reference date; only this module knows how a
//! day maps to a proleptic Gregorian date. Conversions use Howard Hinnant's `days_from_civil`
//! algorithm, exact for every date this crate accepts (years 1 to 9999).

use std::fmt;

/// A calendar date, stored as days since 1970-01-01.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(i32);

impl Date {
    /// Builds a date from its parts, or explains why they are not a real date.
    pub fn from_ymd(year: i32, month: u32, day: u32) -> Result<Date, String> {
        if !(1..=9999).contains(&year) {
            return Err(format!("year {year} is outside 1 to 9999"));
        }
        if !(1..=12).contains(&month) {
            return Err(format!("month {month} is not between 1 and 12"));
        }
        let last = days_in_month(year, month);
        if day == 0 || day > last {
            return Err(format!(
                "{year:04}-{month:02} has {last} days, so day {day} does not exist"
            ));
        }
        Ok(Date(days_from_civil(year, month, day)))
    }

    /// Parses an ISO 8601 calendar date, `YYYY-MM-DD`.
    pub fn parse_iso(text: &str) -> Result<Date, String> {
        let bad = || format!("'{text}' is not a date of the form YYYY-MM-DD");
        let b = text.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return Err(bad());
        }
        let digits = |s: &str| -> Result<u32, String> {
            if s.bytes().all(|c| c.is_ascii_digit()) {
                s.parse::<u32>().map_err(|_| bad())
            } else {
                Err(bad())
            }
        };
        let year = digits(&text[0..4])?;
        let month = digits(&text[5..7])?;
        let day = digits(&text[8..10])?;
        Date::from_ymd(year as i32, month, day)
    }

    /// The date `days` after this one (negative goes back).
    /// Saturates at the ends of the representable range rather than wrapping.
    pub fn add_days(self, days: i64) -> Date {
        Date(
            (self.0 as i64)
                .saturating_add(days)
                .clamp(i32::MIN as i64, i32::MAX as i64) as i32,
        )
    }

    /// Whole days from `earlier` to `self` (negative if `self` is earlier).
    pub fn days_since(self, earlier: Date) -> i64 {
        self.0 as i64 - earlier.0 as i64
    }

    /// (year, month, day).
    pub fn ymd(self) -> (i32, u32, u32) {
        civil_from_days(self.0)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = self.ymd();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

impl<'de> serde::Deserialize<'de> for Date {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Date::parse_iso(&s).map_err(serde::de::Error::custom)
    }
}

impl serde::Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if is_leap(year) => 29,
        _ => 28,
    }
}

// Hinnant, "chrono-Compatible Low-Level Date Algorithms", days_from_civil.
fn days_from_civil(y: i32, m: u32, d: u32) -> i32 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = (y - era * 400) as u32;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe as i32 - 719_468
}

// Hinnant, civil_from_days: the inverse of days_from_civil.
fn civil_from_days(z: i32) -> (i32, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = (z - era * 146_097) as u32;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe as i32 + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_day_counts() {
        let war = Date::parse_iso("2022-02-24").unwrap();
        let reference = Date::parse_iso("2025-12-31").unwrap();
        // docs/domain.md: "the 1,406 days from 2022-02-24 to 2025-12-31".
        assert_eq!(reference.days_since(war), 1406);
        assert_eq!(reference.add_days(90).to_string(), "2026-03-31");
        assert_eq!(reference.add_days(181).to_string(), "2026-06-30");
        assert_eq!(Date::from_ymd(1970, 1, 1).unwrap().0, 0);
    }

    #[test]
    fn round_trips_every_day_of_four_centuries() {
        let start = Date::from_ymd(1800, 1, 1).unwrap();
        let mut prev = start;
        for i in 1..(400 * 366) {
            let d = start.add_days(i);
            let (y, m, dd) = d.ymd();
            assert_eq!(Date::from_ymd(y, m, dd).unwrap(), d);
            assert_eq!(d.days_since(prev), 1);
            prev = d;
        }
    }

    #[test]
    fn rejects_dates_that_do_not_exist() {
        assert!(Date::parse_iso("2026-02-29").is_err());
        assert!(Date::parse_iso("2024-02-29").is_ok());
        assert!(Date::parse_iso("1900-02-29").is_err());
        assert!(Date::parse_iso("2000-02-29").is_ok());
        assert!(Date::parse_iso("2026-13-01").is_err());
        assert!(Date::parse_iso("2026-04-31").is_err());
        assert!(Date::parse_iso("2026-4-1").is_err());
        assert!(Date::parse_iso("2026-04-0a").is_err());
        assert!(Date::parse_iso("+026-04-01").is_err());
    }
}
