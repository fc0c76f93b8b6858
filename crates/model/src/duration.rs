//! xsd:duration values (`PT60H`, `P10W`, `P1Y2M`), parsed in full so that implausible units show.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct XsdDuration {
    pub years: f64,
    pub months: f64,
    pub weeks: f64,
    pub days: f64,
    pub hours: f64,
    pub minutes: f64,
    pub seconds: f64,
}

impl XsdDuration {
    pub fn parse(text: &str) -> Result<Self, String> {
        let bad = || {
            format!(
                "{text:?} is not an xsd:duration; write it as P[nY][nM][nW][nD][T[nH][nM][nS]], for example PT60H (60 hours) or P10W (10 weeks)"
            )
        };
        let rest = text.trim().strip_prefix('P').ok_or_else(bad)?;
        if rest.is_empty() || rest.ends_with('T') {
            return Err(bad());
        }
        let mut duration = XsdDuration::default();
        let mut in_time = false;
        let mut number = String::new();
        let mut seen_any = false;
        for c in rest.chars() {
            match c {
                'T' if !in_time && number.is_empty() => in_time = true,
                '0'..='9' | '.' => number.push(c),
                unit => {
                    let value: f64 = number.parse().map_err(|_| bad())?;
                    number.clear();
                    seen_any = true;
                    let slot = match (in_time, unit) {
                        (false, 'Y') => &mut duration.years,
                        (false, 'M') => &mut duration.months,
                        (false, 'W') => &mut duration.weeks,
                        (false, 'D') => &mut duration.days,
                        (true, 'H') => &mut duration.hours,
                        (true, 'M') => &mut duration.minutes,
                        (true, 'S') => &mut duration.seconds,
                        _ => return Err(bad()),
                    };
                    *slot = value;
                }
            }
        }
        if !number.is_empty() || !seen_any {
            return Err(bad());
        }
        Ok(duration)
    }

    /// Calendar length in hours (a month as 30 days, a year as 365), for comparing magnitudes.
    pub fn calendar_hours(&self) -> f64 {
        ((self.years * 365.0 + self.months * 30.0 + self.weeks * 7.0 + self.days) * 24.0)
            + self.hours
            + self.minutes / 60.0
            + self.seconds / 3600.0
    }

    /// True when only the time part (hours, minutes, seconds) is used: a workload in hours.
    pub fn is_time_only(&self) -> bool {
        self.years == 0.0 && self.months == 0.0 && self.weeks == 0.0 && self.days == 0.0
    }
}

impl fmt::Display for XsdDuration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("P")?;
        for (value, unit) in [
            (self.years, 'Y'),
            (self.months, 'M'),
            (self.weeks, 'W'),
            (self.days, 'D'),
        ] {
            if value != 0.0 {
                write!(f, "{value}{unit}")?;
            }
        }
        if self.hours != 0.0 || self.minutes != 0.0 || self.seconds != 0.0 {
            f.write_str("T")?;
            for (value, unit) in [(self.hours, 'H'), (self.minutes, 'M'), (self.seconds, 'S')] {
                if value != 0.0 {
                    write!(f, "{value}{unit}")?;
                }
            }
        }
        if self.calendar_hours() == 0.0 {
            f.write_str("T0S")?;
        }
        Ok(())
    }
}

impl Serialize for XsdDuration {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for XsdDuration {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        XsdDuration::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_hours_and_months_apart() {
        assert_eq!(XsdDuration::parse("PT60H").unwrap().hours, 60.0);
        let months = XsdDuration::parse("P60M").unwrap();
        assert_eq!(months.months, 60.0);
        assert!(!months.is_time_only());
        assert_eq!(XsdDuration::parse("P10W").unwrap().calendar_hours(), 1680.0);
        assert_eq!(XsdDuration::parse("P1Y2MT3H").unwrap().to_string(), "P1Y2MT3H");
    }

    #[test]
    fn rejects_malformed() {
        for bad in ["60H", "P", "PT", "P5X", "PT5", "P1H", "sixty hours"] {
            let error = XsdDuration::parse(bad).unwrap_err();
            assert!(error.contains("PT60H"), "{bad}: {error}");
        }
    }
}
