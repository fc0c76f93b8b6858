//! Countries as ISO 3166-1 codes with their EU authority URIs
//! (`http://publications.europa.eu/resource/authority/country/IRL`).

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::vocab::{nearest, normalise, UnknownTerm};

pub const SCHEME: &str = "http://publications.europa.eu/resource/authority/country/";

/// (alpha-3, alpha-2, English name): EU and EEA states, candidates, neighbours and frequent partners.
const COUNTRIES: &[(&str, &str, &str)] = &[
    ("AUT", "AT", "Austria"),
    ("BEL", "BE", "Belgium"),
    ("BGR", "BG", "Bulgaria"),
    ("HRV", "HR", "Croatia"),
    ("CYP", "CY", "Cyprus"),
    ("CZE", "CZ", "Czechia"),
    ("DNK", "DK", "Denmark"),
    ("EST", "EE", "Estonia"),
    ("FIN", "FI", "Finland"),
    ("FRA", "FR", "France"),
    ("DEU", "DE", "Germany"),
    ("GRC", "GR", "Greece"),
    ("HUN", "HU", "Hungary"),
    ("IRL", "IE", "Ireland"),
    ("ITA", "IT", "Italy"),
    ("LVA", "LV", "Latvia"),
    ("LTU", "LT", "Lithuania"),
    ("LUX", "LU", "Luxembourg"),
    ("MLT", "MT", "Malta"),
    ("NLD", "NL", "Netherlands"),
    ("POL", "PL", "Poland"),
    ("PRT", "PT", "Portugal"),
    ("ROU", "RO", "Romania"),
    ("SVK", "SK", "Slovakia"),
    ("SVN", "SI", "Slovenia"),
    ("ESP", "ES", "Spain"),
    ("SWE", "SE", "Sweden"),
    ("ISL", "IS", "Iceland"),
    ("LIE", "LI", "Liechtenstein"),
    ("NOR", "NO", "Norway"),
    ("CHE", "CH", "Switzerland"),
    ("GBR", "GB", "United Kingdom"),
    ("ALB", "AL", "Albania"),
    ("BIH", "BA", "Bosnia and Herzegovina"),
    ("GEO", "GE", "Georgia"),
    ("MDA", "MD", "Moldova"),
    ("MNE", "ME", "Montenegro"),
    ("MKD", "MK", "North Macedonia"),
    ("SRB", "RS", "Serbia"),
    ("TUR", "TR", "Türkiye"),
    ("UKR", "UA", "Ukraine"),
    ("XKX", "XK", "Kosovo"),
    ("AND", "AD", "Andorra"),
    ("MCO", "MC", "Monaco"),
    ("SMR", "SM", "San Marino"),
    ("VAT", "VA", "Holy See"),
    ("ARM", "AM", "Armenia"),
    ("AZE", "AZ", "Azerbaijan"),
    ("BLR", "BY", "Belarus"),
    ("USA", "US", "United States"),
    ("CAN", "CA", "Canada"),
    ("AUS", "AU", "Australia"),
    ("NZL", "NZ", "New Zealand"),
    ("JPN", "JP", "Japan"),
    ("IND", "IN", "India"),
    ("CHN", "CN", "China"),
    ("BRA", "BR", "Brazil"),
    ("ZAF", "ZA", "South Africa"),
    ("MAR", "MA", "Morocco"),
    ("TUN", "TN", "Tunisia"),
    ("EGY", "EG", "Egypt"),
    ("ISR", "IL", "Israel"),
];

/// A country, stored as its ISO 3166-1 alpha-3 code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Country(&'static str);

impl Country {
    /// Accepts alpha-3 ("IRL"), alpha-2 ("IE"), the English name or the EU URI.
    pub fn parse(text: &str) -> Result<Self, UnknownTerm> {
        let code = text.trim().strip_prefix(SCHEME).unwrap_or(text.trim());
        let upper = code.to_ascii_uppercase();
        let wanted = normalise(code);
        COUNTRIES
            .iter()
            .find(|(a3, a2, name)| *a3 == upper || *a2 == upper || normalise(name) == wanted)
            .map(|(a3, _, _)| Country(a3))
            .ok_or_else(|| UnknownTerm {
                vocabulary: "country",
                value: text.to_string(),
                suggestion: nearest(code, COUNTRIES.iter().map(|(_, _, name)| *name))
                    .and_then(|n| COUNTRIES.iter().find(|c| c.2 == n).map(|c| c.0.to_string())),
                allowed: vec!["an ISO 3166-1 code such as IRL or IE, or the country's English name".into()],
            })
    }

    pub fn alpha3(self) -> &'static str {
        self.0
    }

    pub fn alpha2(self) -> &'static str {
        self.entry().1
    }

    pub fn name(self) -> &'static str {
        self.entry().2
    }

    pub fn uri(self) -> String {
        format!("{SCHEME}{}", self.0)
    }

    fn entry(self) -> &'static (&'static str, &'static str, &'static str) {
        COUNTRIES
            .iter()
            .find(|c| c.0 == self.0)
            .expect("a Country is always built from the table")
    }
}

impl fmt::Display for Country {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl Serialize for Country {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.0)
    }
}

impl<'de> Deserialize<'de> for Country {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Country::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_codes_names_and_uris() {
        for text in [
            "IRL",
            "ie",
            "Ireland",
            "http://publications.europa.eu/resource/authority/country/IRL",
        ] {
            assert_eq!(Country::parse(text).unwrap().alpha3(), "IRL");
        }
        let error = Country::parse("Irland").unwrap_err();
        assert_eq!(error.suggestion.as_deref(), Some("IRL"));
    }
}
