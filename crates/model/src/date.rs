//! Calendar dates that read both as TOML date literals (`2027-06-01`) and as JSON strings.

use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(pub NaiveDate);

impl Date {
    pub fn parse(text: &str) -> Result<Self, String> {
        // A TOML date-time literal or an RFC 3339 timestamp keeps only its date.
        let day = text.get(..10).unwrap_or(text);
        NaiveDate::parse_from_str(day, "%Y-%m-%d")
            .map(Date)
            .map_err(|_| format!("{text:?} is not a date; write it as YYYY-MM-DD, for example 2027-06-01"))
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.format("%Y-%m-%d"))
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = Date;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a date written YYYY-MM-DD")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Date, E> {
                Date::parse(v).map_err(E::custom)
            }
            // The toml crate hands its date literals to serde as a one-entry map.
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Date, A::Error> {
                let Some((_, value)) = map.next_entry::<String, String>()? else {
                    return Err(serde::de::Error::custom("expected a date written YYYY-MM-DD"));
                };
                Date::parse(&value).map_err(serde::de::Error::custom)
            }
        }
        d.deserialize_any(Visitor)
    }
}
