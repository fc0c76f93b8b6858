//! The generic interpreter of rule profiles. No country appears here: every national fact is data.

use std::collections::{BTreeMap, BTreeSet};

use microcred_model::{CreditSystem, Date, Description};
use serde_json::Value;

use crate::pointer::{self, before_wildcard, is_empty, resolve, scalars};
use crate::profile::{
    same_text, Bounds, Condition, Element, Kind, Matching, Measure, PathTest, Profile, Rule, Target,
};
use crate::{ElementStatus, Finding, Report, RULES_VERSION};

/// A value the engine measured, where it is, and how it was written.
#[derive(Debug, Clone)]
struct Measured {
    value: f64,
    path: String,
    raw: Option<String>,
    system: Option<String>,
    framework: Option<String>,
}

struct Ctx<'a> {
    description: &'a Description,
    json: Value,
    today: Date,
    elements: &'a [Element],
}

/// Check a description on a given day (the day matters for expiry and review dates).
pub fn check_on(description: &Description, profile: &Profile, today: Date) -> Report {
    let baseline = Profile::baseline();
    let ctx = Ctx {
        description,
        json: serde_json::to_value(description).unwrap_or(Value::Null),
        today,
        elements: &baseline.elements,
    };
    let national: &[Rule] = if profile.is_baseline() {
        &[]
    } else {
        &profile.rules
    };
    let applies = |rule: &Rule| rule.when.iter().all(|c| ctx.holds(c));
    let national: Vec<&Rule> = national.iter().filter(|r| applies(r)).collect();
    // A national rule supersedes the baseline rules it names, when it applies to this description.
    let replaced: BTreeSet<&str> = national
        .iter()
        .flat_map(|r| r.replaces.iter().map(String::as_str))
        .collect();
    let mut findings = Vec::new();
    let base = baseline
        .rules
        .iter()
        .filter(|r| !replaced.contains(r.id.as_str()) && applies(r));
    for rule in base.chain(national) {
        ctx.evaluate(rule, &mut findings);
    }
    findings.sort_by_key(|f| f.severity);
    let mut seen = BTreeSet::new();
    let elements = baseline
        .elements
        .iter()
        .filter_map(|e| e.number.map(|n| (n, e)))
        .filter(|(n, _)| seen.insert(*n))
        .map(|(number, e)| ElementStatus {
            number,
            name: e.name.clone(),
            present: resolve(&ctx.json, e.present.as_deref().unwrap_or(&e.path))
                .iter()
                .any(|(_, v)| !is_empty(*v)),
        })
        .collect();
    Report {
        profile: profile.name.clone(),
        rules_version: RULES_VERSION.to_string(),
        findings,
        elements,
    }
}

/// Does a pointer pattern (with `*`) cover a concrete pointer (the pattern is a prefix of it)?
pub(crate) fn covers(pattern: &str, concrete: &str) -> Option<usize> {
    if pattern == "/" || pattern.is_empty() {
        return Some(0);
    }
    let p = pointer::tokens(pattern);
    let c = pointer::tokens(concrete);
    if p.len() > c.len() {
        return None;
    }
    p.iter()
        .zip(&c)
        .all(|(p, c)| p == c || (p == "*" && c.parse::<usize>().is_ok()))
        .then_some(p.len())
}

/// The element a concrete pointer belongs to: the one with the longest covering path.
pub(crate) fn element_for(elements: &[Element], concrete: &str) -> String {
    elements
        .iter()
        .filter_map(|e| covers(&e.path, concrete).map(|depth| (depth, e)))
        .max_by_key(|(depth, _)| *depth)
        .map(|(_, e)| e.display())
        .unwrap_or_else(|| concrete.trim_start_matches('/').replace('/', " "))
}

fn number(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{}", value as i64)
    } else {
        let text = format!("{value:.2}");
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

fn text_of(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn same_value(actual: &Value, expected: &Value) -> bool {
    match (actual, expected) {
        (Value::String(a), Value::String(b)) => same_text(a, b),
        (Value::Number(a), Value::Number(b)) => a.as_f64() == b.as_f64(),
        (a, b) => a == b,
    }
}

fn system_matches(have: &CreditSystem, want: &CreditSystem) -> bool {
    match (have, want) {
        (CreditSystem::National(a), CreditSystem::National(b)) => same_text(a, b),
        (a, b) => a == b,
    }
}

fn first_digits(text: &str) -> Option<f64> {
    let start = text.find(|c: char| c.is_ascii_digit())?;
    let digits: String = text[start..].chars().take_while(|c| c.is_ascii_digit()).collect();
    digits.parse().ok()
}

impl Ctx<'_> {
    fn element(&self, rule: &Rule, path: &str) -> String {
        match &rule.element {
            Some(given) => self
                .elements
                .iter()
                .find(|e| same_text(&e.name, given))
                .map(Element::display)
                .unwrap_or_else(|| given.clone()),
            None => element_for(self.elements, path),
        }
    }

    fn finding(&self, rule: &Rule, path: &str, vars: &BTreeMap<&str, String>) -> Finding {
        let render = |template: &str| {
            let mut out = template.to_string();
            for (name, value) in vars {
                out = out.replace(&format!("{{{name}}}"), value);
            }
            out.replace("{path}", path)
                .replace("{today}", &self.today.to_string())
        };
        let source = match rule.evidence.as_deref() {
            Some("report") => format!("{} [source report]", rule.source),
            Some(grade) => format!("{} [{grade}]", rule.source),
            None => rule.source.clone(),
        };
        Finding {
            severity: rule.severity,
            element: self.element(rule, path),
            rule: rule.id.clone(),
            source,
            path: path.to_string(),
            message: render(&rule.message),
            fix: render(&rule.fix),
        }
    }

    fn bounds_vars(bounds: &Bounds, vars: &mut BTreeMap<&'static str, String>) {
        for (name, value) in [
            ("min", bounds.min),
            ("max", bounds.max),
            ("above", bounds.above),
            ("below", bounds.below),
        ] {
            if let Some(v) = value {
                vars.insert(name, number(v));
            }
        }
    }

    fn measured_vars(m: &Measured, vars: &mut BTreeMap<&'static str, String>) {
        vars.insert("value", number(m.value));
        if let Some(raw) = &m.raw {
            vars.insert("raw", raw.clone());
            vars.insert(
                "raw_number",
                first_digits(raw).map(number).unwrap_or_else(|| raw.clone()),
            );
        }
        if let Some(s) = &m.system {
            vars.insert("system", s.clone());
        }
        if let Some(f) = &m.framework {
            vars.insert("framework", f.clone());
        }
    }

    /// Where a measure lives when it is missing.
    fn home(measure: &Measure) -> String {
        match measure {
            Measure::Hours => "/workload/hours".into(),
            Measure::Credits(_) => "/workload/credits".into(),
            Measure::HoursPerCredit(_) => "/workload".into(),
            Measure::Level(frameworks) => {
                if frameworks.first().is_some_and(|f| same_text(f, "EQF")) {
                    "/level/eqf".into()
                } else {
                    "/level/nqf".into()
                }
            }
            Measure::DurationHours | Measure::DurationMonths => "/participation/duration".into(),
            Measure::Count(path) => before_wildcard(path),
        }
    }

    fn credit(&self, systems: &[CreditSystem]) -> Option<(usize, &microcred_model::Credit)> {
        let credits = &self.description.workload.credits;
        if systems.is_empty() {
            return credits.first().map(|c| (0, c));
        }
        systems.iter().find_map(|want| {
            credits
                .iter()
                .enumerate()
                .find(|(_, c)| system_matches(&c.system, want))
        })
    }

    fn measure(&self, measure: &Measure) -> Option<Measured> {
        let plain = |value: f64, path: &str| Measured {
            value,
            path: path.into(),
            raw: None,
            system: None,
            framework: None,
        };
        match measure {
            Measure::Hours => self
                .description
                .workload
                .hours
                .map(|h| plain(h, "/workload/hours")),
            Measure::Credits(systems) => self.credit(systems).map(|(i, c)| Measured {
                system: Some(c.system.name().to_string()),
                ..plain(c.points, &format!("/workload/credits/{i}/points"))
            }),
            Measure::HoursPerCredit(systems) => {
                let (i, credit) = self.credit(systems)?;
                let system = Some(credit.system.name().to_string());
                match self.description.workload.hours {
                    Some(hours) if credit.points > 0.0 => Some(Measured {
                        system,
                        ..plain(hours / credit.points, "/workload/hours")
                    }),
                    _ => credit.hours_per_credit.map(|h| Measured {
                        system,
                        ..plain(h, &format!("/workload/credits/{i}/hours_per_credit"))
                    }),
                }
            }
            Measure::Level(frameworks) => {
                let level = &self.description.level;
                frameworks.iter().find_map(|f| {
                    if same_text(f, "EQF") {
                        level.eqf.map(|l| Measured {
                            framework: Some("EQF".into()),
                            ..plain(f64::from(l.get()), "/level/eqf")
                        })
                    } else {
                        let nqf = level.nqf.as_ref().filter(|n| same_text(&n.framework, f))?;
                        first_digits(&nqf.level).map(|v| Measured {
                            framework: Some(nqf.framework.clone()),
                            raw: Some(nqf.level.clone()),
                            ..plain(v, "/level/nqf/level")
                        })
                    }
                })
            }
            Measure::DurationHours | Measure::DurationMonths => {
                let duration = self.description.participation.duration?;
                let hours = duration.calendar_hours();
                let value = if *measure == Measure::DurationHours {
                    hours
                } else {
                    hours / (30.0 * 24.0)
                };
                Some(Measured {
                    raw: Some(duration.to_string()),
                    ..plain(value, "/participation/duration")
                })
            }
            Measure::Count(path) => {
                let count = resolve(&self.json, path)
                    .into_iter()
                    .map(|(_, v)| match v {
                        Some(Value::Array(items)) => items.iter().filter(|i| !is_empty(Some(i))).count(),
                        other if !is_empty(other) => 1,
                        _ => 0,
                    })
                    .sum::<usize>();
                Some(plain(count as f64, &before_wildcard(path)))
            }
        }
    }

    fn holds(&self, condition: &Condition) -> bool {
        match condition {
            Condition::Measure { measure, bounds } => self
                .measure(measure)
                .is_some_and(|m| bounds.is_empty() || bounds.contains(m.value)),
            Condition::Path { path, test } => match test {
                PathTest::Present(wanted) => {
                    resolve(&self.json, path).iter().any(|(_, v)| !is_empty(*v)) == *wanted
                }
                PathTest::In(values) => scalars(&self.json, path)
                    .iter()
                    .any(|(_, v)| values.iter().any(|e| same_value(v, e))),
                PathTest::StartsWith(prefixes) => scalars(&self.json, path).iter().any(|(_, v)| {
                    let text = text_of(v).to_lowercase();
                    prefixes.iter().any(|p| text.starts_with(&p.to_lowercase()))
                }),
            },
        }
    }

    fn evaluate(&self, rule: &Rule, out: &mut Vec<Finding>) {
        let mut vars: BTreeMap<&'static str, String> = BTreeMap::new();
        match &rule.kind {
            Kind::Require {
                target: Target::Path(path),
                any,
            } => {
                let found = resolve(&self.json, path);
                if *any {
                    if !found.is_empty() && found.iter().all(|(_, v)| is_empty(*v)) {
                        out.push(self.finding(rule, &before_wildcard(path), &vars));
                    }
                } else {
                    for (at, value) in found {
                        if is_empty(value) {
                            out.push(self.finding(rule, &at, &vars));
                        }
                    }
                }
            }
            Kind::Require {
                target: Target::Measure(measure),
                ..
            } => {
                if self.measure(measure).is_none() {
                    if let Measure::Credits(systems) = measure {
                        vars.insert(
                            "system",
                            systems.iter().map(|s| s.name()).collect::<Vec<_>>().join(" or "),
                        );
                    }
                    if let Measure::Level(frameworks) = measure {
                        vars.insert("framework", frameworks.join(" or "));
                    }
                    out.push(self.finding(rule, &Self::home(measure), &vars));
                }
            }
            Kind::Forbid { path } => {
                for (at, value) in resolve(&self.json, path) {
                    if !is_empty(value) {
                        vars.insert("value", value.map(text_of).unwrap_or_default());
                        out.push(self.finding(rule, &at, &vars));
                    }
                }
            }
            Kind::Range { measure, bounds } => {
                if let Some(m) = self.measure(measure) {
                    if !bounds.contains(m.value) {
                        Self::bounds_vars(bounds, &mut vars);
                        Self::measured_vars(&m, &mut vars);
                        out.push(self.finding(rule, &m.path, &vars));
                    }
                }
            }
            Kind::LevelBetween { frameworks, bounds } => {
                if let Some(m) = self.measure(&Measure::Level(frameworks.clone())) {
                    if !bounds.contains(m.value) {
                        Self::bounds_vars(bounds, &mut vars);
                        Self::measured_vars(&m, &mut vars);
                        out.push(self.finding(rule, &m.path, &vars));
                    }
                }
            }
            Kind::Ratio {
                systems,
                bounds,
                tolerance,
            } => {
                let Some((i, credit)) = self.credit(systems) else {
                    return;
                };
                let wide = bounds.widened(*tolerance);
                Self::bounds_vars(bounds, &mut vars);
                vars.insert("system", credit.system.name().to_string());
                let mut candidates = Vec::new();
                if let Some(hours) = self.description.workload.hours.filter(|_| credit.points > 0.0) {
                    candidates.push((hours / credit.points, "/workload/hours".to_string()));
                }
                if let Some(declared) = credit.hours_per_credit {
                    candidates.push((declared, format!("/workload/credits/{i}/hours_per_credit")));
                }
                for (value, path) in candidates {
                    if !wide.contains(value) {
                        let mut vars = vars.clone();
                        vars.insert("value", number(value));
                        out.push(self.finding(rule, &path, &vars));
                    }
                }
            }
            Kind::OneOf {
                path,
                values,
                matching,
            } => {
                let found = scalars(&self.json, path);
                vars.insert(
                    "allowed",
                    values.iter().map(text_of).collect::<Vec<_>>().join(", "),
                );
                let among = |v: &Value| values.iter().any(|e| same_value(v, e));
                match matching {
                    Matching::All | Matching::None => {
                        let wanted = *matching == Matching::All;
                        for (at, value) in &found {
                            if among(value) != wanted {
                                let mut vars = vars.clone();
                                vars.insert("value", text_of(value));
                                out.push(self.finding(rule, at, &vars));
                            }
                        }
                    }
                    Matching::Any => {
                        if !found.is_empty() && !found.iter().any(|(_, v)| among(v)) {
                            vars.insert(
                                "value",
                                found
                                    .iter()
                                    .map(|(_, v)| text_of(v))
                                    .collect::<Vec<_>>()
                                    .join(", "),
                            );
                            out.push(self.finding(rule, &before_wildcard(path), &vars));
                        }
                    }
                }
            }
            Kind::Prefix { path, values } => {
                vars.insert("allowed", values.join(", "));
                for (at, value) in scalars(&self.json, path) {
                    let text = text_of(value);
                    if !values.iter().any(|p| text.starts_with(p.as_str())) {
                        let mut vars = vars.clone();
                        vars.insert("value", text);
                        out.push(self.finding(rule, &at, &vars));
                    }
                }
            }
            Kind::NotExpired { path } => {
                for (at, value) in scalars(&self.json, path) {
                    if let Ok(date) = Date::parse(&text_of(value)) {
                        if date < self.today {
                            vars.insert("value", date.to_string());
                            out.push(self.finding(rule, &at, &vars));
                        }
                    }
                }
            }
        }
    }
}
