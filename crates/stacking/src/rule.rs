//! Requirements: what a learner's credentials must add up to, and which credentials may count.
//!
//! Authors write a requirement as one flat table (TOML or JSON) with exactly one of `all_of`, `n_of`,
//! `min_credits` or `rules`, plus optional constraints. The flat form is parsed into [`Rule`], whose
//! [`Need`] makes the combinations that make no sense unrepresentable.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use microcred_model::{CreditSystem, EqfLevel, XsdDuration};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "RawRule", into = "RawRule")]
pub struct Rule {
    pub name: Option<String>,
    pub need: Need,
    /// Which credentials may count here; unset fields are inherited from the enclosing rule.
    pub constraints: Constraints,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Need {
    /// Every listed component.
    AllOf(Vec<String>),
    /// At least `n` of the listed components.
    NOf { n: u32, of: Vec<String> },
    /// At least `points` credits in `system`, from credentials proving the listed components (all
    /// components of the qualification when `from` is empty), or from any credential when `any_credential`.
    MinCredits {
        points: f64,
        system: CreditSystem,
        from: Vec<String>,
        any_credential: bool,
    },
    /// At least `n` of the nested rules (all of them when `n` equals their number).
    Rules { n: u32, rules: Vec<Rule> },
}

/// Limits on which credentials may count.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Constraints {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_eqf_level: Option<EqfLevel>,
    /// How old a credential may be on the day of evaluation, e.g. "P5Y".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_age: Option<XsdDuration>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issuers: Option<Issuers>,
}

impl Constraints {
    pub fn is_empty(&self) -> bool {
        self.min_eqf_level.is_none() && self.max_age.is_none() && self.issuers.is_none()
    }

    /// These constraints, with what they leave unset taken from `outer`.
    pub fn within(&self, outer: &Constraints) -> Constraints {
        Constraints {
            min_eqf_level: self.min_eqf_level.or(outer.min_eqf_level),
            max_age: self.max_age.or(outer.max_age),
            issuers: self.issuers.clone().or_else(|| outer.issuers.clone()),
        }
    }
}

/// Whose credentials are accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Issuers {
    Any,
    /// Only credentials issued by the awarding body itself.
    SameProvider,
    /// Any issuer the verifier found on a trust list (the caller sets `issuer_accredited`).
    Accredited,
    /// Only these issuer ids.
    List(Vec<String>),
}

const ISSUERS_HELP: &str =
    "write issuers = \"any\", \"same-provider\", \"accredited\" or a list of issuer ids such as [\"did:web:example.org\"]";

impl Serialize for Issuers {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Issuers::Any => s.serialize_str("any"),
            Issuers::SameProvider => s.serialize_str("same-provider"),
            Issuers::Accredited => s.serialize_str("accredited"),
            Issuers::List(ids) => ids.serialize(s),
        }
    }
}

impl<'de> Deserialize<'de> for Issuers {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = Issuers;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(ISSUERS_HELP)
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Issuers, E> {
                match v.trim() {
                    "any" => Ok(Issuers::Any),
                    "same-provider" => Ok(Issuers::SameProvider),
                    "accredited" => Ok(Issuers::Accredited),
                    other => Err(E::custom(format!(
                        "unknown issuers value {other:?}; {ISSUERS_HELP}"
                    ))),
                }
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Issuers, A::Error> {
                let mut ids = Vec::new();
                while let Some(id) = seq.next_element::<String>()? {
                    ids.push(id);
                }
                if ids.is_empty() {
                    return Err(serde::de::Error::custom(format!(
                        "the list of issuers is empty, so nothing could count; {ISSUERS_HELP}"
                    )));
                }
                Ok(Issuers::List(ids))
            }
        }
        d.deserialize_any(Visitor)
    }
}

/// The flat form authors write.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    all_of: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    n_of: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    of: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    min_credits: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    credit_system: Option<CreditSystem>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    from: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    any_credential: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    rules: Option<Vec<Rule>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    min_eqf_level: Option<EqfLevel>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    max_age: Option<XsdDuration>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    issuers: Option<Issuers>,
}

const KINDS_HELP: &str = "a requirement states exactly one of: all_of = [\"component-id\", ...]; \
     n_of = 2 with of = [...] or rules = [...]; min_credits = 60 with credit_system = \"ECTS\"; \
     or rules = [{...}, ...] (all of them)";

impl TryFrom<RawRule> for Rule {
    type Error = String;

    fn try_from(raw: RawRule) -> Result<Self, String> {
        let constraints = Constraints {
            min_eqf_level: raw.min_eqf_level,
            max_age: raw.max_age,
            issuers: raw.issuers,
        };
        let kinds = [
            raw.all_of.is_some(),
            raw.n_of.is_some(),
            raw.min_credits.is_some(),
        ]
        .iter()
        .filter(|k| **k)
        .count();
        if kinds == 0 && raw.rules.is_none() {
            return Err(format!("this requirement says nothing to meet; {KINDS_HELP}"));
        }
        if kinds > 1 {
            return Err(format!(
                "this requirement mixes all_of, n_of and min_credits; {KINDS_HELP}"
            ));
        }
        let credits_only = raw.credit_system.is_some() || raw.from.is_some() || raw.any_credential.is_some();
        if credits_only && raw.min_credits.is_none() {
            return Err("credit_system, from and any_credential belong with min_credits = <points>".into());
        }
        if raw.of.is_some() && raw.n_of.is_none() {
            return Err(
                "`of` needs n_of = <how many>; to require every component write all_of = [...]".into(),
            );
        }
        let need = if let Some(all) = raw.all_of {
            if raw.rules.is_some() {
                return Err(format!("all_of and rules cannot be combined; {KINDS_HELP}"));
            }
            if all.is_empty() {
                return Err("all_of is empty; list the component ids that are all required".into());
            }
            Need::AllOf(all)
        } else if let Some(n) = raw.n_of {
            let available = match (&raw.of, &raw.rules) {
                (Some(of), None) => of.len(),
                (None, Some(rules)) => rules.len(),
                _ => return Err("n_of needs either of = [component ids] or rules = [...], not both".into()),
            };
            if n < 1 || n as usize > available {
                return Err(format!(
                    "n_of = {n} but there are {available} to choose from; use 1 to {available}"
                ));
            }
            match (raw.of, raw.rules) {
                (Some(of), None) => Need::NOf { n: n as u32, of },
                (None, Some(rules)) => Need::Rules { n: n as u32, rules },
                _ => unreachable!("checked above"),
            }
        } else if let Some(points) = raw.min_credits {
            if points.is_nan() || points <= 0.0 {
                return Err(format!(
                    "min_credits = {points}; write a positive number of credits"
                ));
            }
            if raw.rules.is_some() {
                return Err(format!("min_credits and rules cannot be combined; {KINDS_HELP}"));
            }
            let system = raw.credit_system.ok_or(
                "min_credits needs credit_system = \"ECTS\", \"ECVET\" or the name of a national system",
            )?;
            let any_credential = raw.any_credential.unwrap_or(false);
            let from = raw.from.unwrap_or_default();
            if any_credential && !from.is_empty() {
                return Err(
                    "any_credential = true counts every credential; remove `from` or set it false".into(),
                );
            }
            Need::MinCredits {
                points,
                system,
                from,
                any_credential,
            }
        } else {
            let rules = raw.rules.unwrap_or_default();
            if rules.is_empty() {
                return Err("rules is empty; nest at least one requirement".into());
            }
            Need::Rules {
                n: rules.len() as u32,
                rules,
            }
        };
        Ok(Rule {
            name: raw.name,
            need,
            constraints,
        })
    }
}

impl From<Rule> for RawRule {
    fn from(rule: Rule) -> RawRule {
        let Constraints {
            min_eqf_level,
            max_age,
            issuers,
        } = rule.constraints;
        let mut raw = RawRule {
            name: rule.name,
            min_eqf_level,
            max_age,
            issuers,
            ..RawRule::default()
        };
        match rule.need {
            Need::AllOf(all) => raw.all_of = Some(all),
            Need::NOf { n, of } => {
                raw.n_of = Some(n.into());
                raw.of = Some(of);
            }
            Need::MinCredits {
                points,
                system,
                from,
                any_credential,
            } => {
                raw.min_credits = Some(points);
                raw.credit_system = Some(system);
                raw.from = (!from.is_empty()).then_some(from);
                raw.any_credential = any_credential.then_some(true);
            }
            Need::Rules { n, rules } => {
                raw.n_of = (n as usize != rules.len()).then_some(n.into());
                raw.rules = Some(rules);
            }
        }
        raw
    }
}

impl Rule {
    /// The rule in words, e.g. "all of: UC0223_3_1, UC0223_3_2".
    pub fn summary(&self) -> String {
        match &self.need {
            Need::AllOf(all) => format!("all of: {}", all.join(", ")),
            Need::NOf { n, of } => format!("{n} of: {}", of.join(", ")),
            Need::MinCredits {
                points,
                system,
                from,
                any_credential,
            } => {
                let source = if *any_credential {
                    "any credential".to_string()
                } else if from.is_empty() {
                    "the components of the qualification".to_string()
                } else {
                    from.join(", ")
                };
                format!("at least {points} {system} credits from {source}")
            }
            Need::Rules { n, rules } if *n as usize == rules.len() => {
                format!("all of {} nested requirements", rules.len())
            }
            Need::Rules { n, rules } => format!("{n} of {} nested requirements", rules.len()),
        }
    }

    /// Component ids this rule and its nested rules mention.
    pub fn component_refs(&self) -> Vec<&str> {
        match &self.need {
            Need::AllOf(ids) | Need::NOf { of: ids, .. } | Need::MinCredits { from: ids, .. } => {
                ids.iter().map(String::as_str).collect()
            }
            Need::Rules { rules, .. } => rules.iter().flat_map(Rule::component_refs).collect(),
        }
    }
}
