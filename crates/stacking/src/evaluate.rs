//! Evaluating a learner's credentials against a qualification.
//!
//! Three steps: triage the credentials offered (exclude what failed verification or expired, take each
//! credential id once), find which components each remaining credential proves (directly or through an
//! equivalence, newest copy of an achievement first), then walk the requirements. Within a requirement
//! a credential, and an achievement, counts at most once; across requirements it may count again (a
//! mandatory minor award also brings its credits to the credit total).

use std::collections::{BTreeSet, HashSet};
use std::hash::BuildHasherDefault;

use chrono::{Days, Months};
use microcred_model::{CreditSystem, Date, Description};

use crate::evaluation::*;
use crate::fastmap::{FastHasher, FastMap};
use crate::held::{HeldCredential, Verification};
use crate::qualification::{Component, Constraints, Issuers, Need, Qualification, Rule};
use crate::suggest::suggestions;
use crate::text::{push_ymd, sentence, ymd};

/// Evaluates `credentials` (already verified by the caller) against `qualification` as of `today`, and
/// looks in `catalogue` for published micro-credentials that would close the gaps. To evaluate the same
/// credentials against many qualifications, prepare them once with [`Learner::new`].
pub fn evaluate(
    qualification: &Qualification,
    credentials: &[HeldCredential],
    catalogue: &[Description],
    today: Date,
) -> Evaluation {
    Learner::new(credentials, today).evaluate(qualification, catalogue)
}

/// A learner's credentials, triaged and indexed once: which may count at all (verified, not expired,
/// each credential id once), and by which identifiers qualifications can name them.
pub struct Learner<'a> {
    credentials: &'a [HeldCredential],
    today: Date,
    /// Positions (among those offered) of the credentials that may count.
    usable: Vec<usize>,
    /// The status of those that may not, by position offered.
    statuses: Vec<Option<UseStatus>>,
    /// Achievement id and credential id -> positions in `usable`.
    by_identifier: FastMap<&'a str, Vec<usize>>,
}

impl<'a> Learner<'a> {
    pub fn new(credentials: &'a [HeldCredential], today: Date) -> Self {
        let (usable, statuses) = triage(credentials, today);
        let mut by_identifier: FastMap<&str, Vec<usize>> =
            FastMap::with_capacity_and_hasher(usable.len() * 2, Default::default());
        for (slot, &offered) in usable.iter().enumerate() {
            let c = &credentials[offered];
            by_identifier.entry(c.achievement_key()).or_default().push(slot);
            if c.achievement_id.as_deref().is_some_and(|a| a != c.id) {
                by_identifier.entry(c.id.as_str()).or_default().push(slot);
            }
        }
        Learner {
            credentials,
            today,
            usable,
            statuses,
            by_identifier,
        }
    }

    pub fn evaluate(&self, qualification: &Qualification, catalogue: &[Description]) -> Evaluation {
        let pool = Pool::new(qualification, self);
        let mut statuses = self.statuses.clone();
        let mut uses: Vec<BTreeSet<String>> = vec![BTreeSet::new(); pool.usable.len()];
        let requirements: Vec<RequirementResult> = qualification
            .requirements
            .iter()
            .map(|rule| pool.evaluate_rule(rule, &qualification.accept, &mut uses))
            .collect();
        // For copies of one achievement left unused: the copy that was counted, if any.
        let mut counted_by_achievement: FastMap<&str, usize> = FastMap::default();
        for (slot, names) in uses.iter().enumerate() {
            if !names.is_empty() {
                counted_by_achievement
                    .entry(pool.usable[slot].achievement_key())
                    .or_insert(slot);
            }
        }
        for (slot, (&offered, names)) in self.usable.iter().zip(&uses).enumerate() {
            let counted_copy = counted_by_achievement.get(pool.usable[slot].achievement_key());
            statuses[offered] = Some(match counted_copy {
                _ if !names.is_empty() => UseStatus::Counted {
                    requirements: names.iter().cloned().collect(),
                },
                Some(&other) => UseStatus::Duplicate {
                    of: pool.usable[other].id.clone(),
                },
                None => UseStatus::NotUsed {
                    reason: pool.why_unused(slot, &requirements),
                },
            });
        }
        let credentials = self
            .credentials
            .iter()
            .zip(statuses)
            .map(|(c, status)| CredentialUse {
                id: c.id.clone(),
                title: c.title.clone(),
                status: status.unwrap_or(UseStatus::NotUsed {
                    reason: "not considered".into(),
                }),
            })
            .collect();
        let complete = requirements.iter().all(|r| r.met);
        let suggestions = suggestions(qualification, &requirements, catalogue);
        Evaluation {
            qualification: QualificationRef {
                id: qualification.id.clone(),
                title: qualification.title.clone(),
                awarding_body: qualification.awarding_body.clone(),
            },
            evaluated_on: self.today,
            complete,
            requirements,
            credentials,
            suggestions,
        }
    }
}

/// Which offered credentials may count (their positions), and the status of those that may not. Copies
/// of one achievement all stay candidates (a copy may pass a constraint another fails); the requirements
/// count each achievement once, and copies left unused are reported as duplicates afterwards.
fn triage(credentials: &[HeldCredential], today: Date) -> (Vec<usize>, Vec<Option<UseStatus>>) {
    let mut statuses: Vec<Option<UseStatus>> = vec![None; credentials.len()];
    let mut seen_ids: FastMap<&str, usize> =
        FastMap::with_capacity_and_hasher(credentials.len(), Default::default());
    for (i, c) in credentials.iter().enumerate() {
        if let Some(&first) = seen_ids.get(c.id.as_str()) {
            statuses[i] = Some(UseStatus::Duplicate {
                of: credentials[first].id.clone(),
            });
            continue;
        }
        seen_ids.insert(&c.id, i);
        if let Verification::Excluded { reason } = &c.verification {
            statuses[i] = Some(UseStatus::Excluded {
                reason: reason.clone(),
            });
        } else if let Some(until) = c.valid_until.filter(|until| *until < today) {
            statuses[i] = Some(UseStatus::Excluded {
                reason: format!("expired on {}", ymd(until)),
            });
        }
    }
    let usable = (0..credentials.len())
        .filter(|i| statuses[*i].is_none())
        .collect();
    (usable, statuses)
}

/// How a credential proves a component.
#[derive(Clone, Copy)]
struct Proof<'a> {
    credential: usize,
    /// The basis of the equivalence, when it proves the component through one.
    equivalence: Option<&'a str>,
}

/// One qualification against one learner's usable credentials.
struct Pool<'a> {
    qualification: &'a Qualification,
    today: Date,
    usable: Vec<&'a HeldCredential>,
    component_index: FastMap<&'a str, usize>,
    /// For each component: the usable credentials proving it, direct proofs first, newest first.
    proofs: Vec<Vec<Proof<'a>>>,
    /// For each usable credential: the first component it proves, if any.
    first_component: Vec<Option<usize>>,
}

impl<'a> Pool<'a> {
    fn new(q: &'a Qualification, learner: &'a Learner<'a>) -> Self {
        let component_index: FastMap<&str, usize> = q
            .components
            .iter()
            .enumerate()
            .map(|(j, c)| (c.id.as_str(), j))
            .collect();
        let usable: Vec<&HeldCredential> = learner.usable.iter().map(|&i| &learner.credentials[i]).collect();
        let newest_first = |list: &mut Vec<Proof>| {
            list.sort_by(|a, b| {
                (usable[b.credential].issued, a.credential).cmp(&(usable[a.credential].issued, b.credential))
            })
        };
        let mut proofs: Vec<Vec<Proof>> = Vec::with_capacity(q.components.len());
        for component in &q.components {
            let mut direct: Vec<Proof> = Vec::new();
            for id in std::iter::once(&component.id).chain(&component.credentials) {
                for &slot in learner.by_identifier.get(id.as_str()).into_iter().flatten() {
                    if direct.iter().all(|p| p.credential != slot) {
                        direct.push(Proof {
                            credential: slot,
                            equivalence: None,
                        });
                    }
                }
            }
            newest_first(&mut direct);
            proofs.push(direct);
        }
        let mut by_equivalence: Vec<Vec<Proof>> = vec![Vec::new(); q.components.len()];
        for e in &q.equivalences {
            let Some(&j) = component_index.get(e.counts_for.as_str()) else {
                continue;
            };
            let basis = e
                .basis
                .as_deref()
                .unwrap_or("an equivalence the awarding body accepts");
            for &slot in learner
                .by_identifier
                .get(e.credential.as_str())
                .into_iter()
                .flatten()
            {
                let known = proofs[j]
                    .iter()
                    .chain(&by_equivalence[j])
                    .any(|p| p.credential == slot);
                if !known {
                    by_equivalence[j].push(Proof {
                        credential: slot,
                        equivalence: Some(basis),
                    });
                }
            }
        }
        for (list, mut extra) in proofs.iter_mut().zip(by_equivalence) {
            newest_first(&mut extra);
            list.extend(extra);
        }
        let mut first_component = vec![None; usable.len()];
        for (j, list) in proofs.iter().enumerate() {
            for proof in list {
                first_component[proof.credential].get_or_insert(j);
            }
        }
        Pool {
            qualification: q,
            today: learner.today,
            usable,
            component_index,
            proofs,
            first_component,
        }
    }

    fn evaluate_rule(
        &self,
        rule: &Rule,
        outer: &Constraints,
        uses: &mut [BTreeSet<String>],
    ) -> RequirementResult {
        let constraints = rule.constraints.within(outer);
        let limits = Limits::new(&constraints, self.today);
        let mut slots: Vec<usize> = Vec::new();
        let mut result = RequirementResult {
            name: rule.name.clone().unwrap_or_else(|| rule.summary()),
            rule: rule.summary(),
            met: false,
            counted: Vec::new(),
            credits: None,
            missing: Vec::new(),
            still_needed: 0,
            not_counted: Vec::new(),
            requirements: Vec::new(),
        };
        match &rule.need {
            Need::AllOf(ids) => {
                self.prove_components(ids, &limits, &mut result, &mut slots);
                result.still_needed = result.missing.len() as u32;
            }
            Need::NOf { n, of } => {
                self.prove_components(of, &limits, &mut result, &mut slots);
                result.still_needed = n.saturating_sub(result.counted.len() as u32);
            }
            Need::MinCredits {
                points,
                system,
                from,
                any_credential,
            } => {
                let held = if *any_credential {
                    self.credits_from_any(system, &limits, &mut result, &mut slots)
                } else {
                    self.credits_from_components(from, system, &limits, &mut result, &mut slots)
                };
                let deficit = points - held;
                result.still_needed = if deficit > 1e-9 { deficit.ceil() as u32 } else { 0 };
                result.credits = Some(CreditTally {
                    system: system.clone(),
                    required: *points,
                    held,
                });
            }
            Need::Rules { n, rules } => {
                result.requirements = rules
                    .iter()
                    .map(|r| self.evaluate_rule(r, &constraints, uses))
                    .collect();
                let met = result.requirements.iter().filter(|r| r.met).count() as u32;
                result.still_needed = n.saturating_sub(met);
            }
        }
        result.met = result.still_needed == 0;
        if result.met && !matches!(rule.need, Need::AllOf(_)) {
            result.missing.clear();
        }
        for slot in slots {
            uses[slot].insert(result.name.clone());
        }
        result
    }

    /// Proves each listed component with an admitted credential not yet used in this requirement.
    fn prove_components(
        &self,
        ids: &[String],
        limits: &Limits,
        result: &mut RequirementResult,
        slots: &mut Vec<usize>,
    ) {
        let mut used: Vec<usize> = Vec::new();
        for id in ids {
            let Some(&j) = self.component_index.get(id.as_str()) else {
                continue;
            };
            let component = &self.qualification.components[j];
            let mut refusals = Vec::new();
            let chosen = self.proofs[j]
                .iter()
                .filter(|p| !used.contains(&p.credential))
                .find(
                    |p| match self.admits(self.usable[p.credential], Some(component), limits) {
                        Ok(()) => true,
                        Err(reason) => {
                            refusals.push((p.credential, reason));
                            false
                        }
                    },
                );
            match chosen {
                Some(proof) => {
                    used.push(proof.credential);
                    slots.push(proof.credential);
                    result.counted.push(self.counted(*proof, Some(component), None));
                }
                None => {
                    result.missing.push(MissingComponent {
                        id: component.id.clone(),
                        title: component.title.clone(),
                    });
                    result
                        .not_counted
                        .extend(refusals.into_iter().map(|(slot, reason)| NotCounted {
                            credential: self.usable[slot].id.clone(),
                            component: Some(component.id.clone()),
                            reason,
                        }));
                }
            }
        }
    }

    /// Credits from credentials proving the listed components (all components when none are listed).
    fn credits_from_components(
        &self,
        from: &[String],
        system: &CreditSystem,
        limits: &Limits,
        result: &mut RequirementResult,
        slots: &mut Vec<usize>,
    ) -> f64 {
        let components: Vec<usize> = if from.is_empty() {
            (0..self.qualification.components.len()).collect()
        } else {
            from.iter()
                .filter_map(|id| self.component_index.get(id.as_str()).copied())
                .collect()
        };
        let mut used: Vec<usize> = Vec::new();
        let mut held = 0.0;
        for j in components {
            let component = &self.qualification.components[j];
            let mut refusals = Vec::new();
            let mut proved = false;
            for proof in self.proofs[j].iter().filter(|p| !used.contains(&p.credential)) {
                let credential = self.usable[proof.credential];
                let admitted = self.admits(credential, Some(component), limits).and_then(|()| {
                    credits_for(credential, Some(component), system).ok_or_else(|| {
                        format!(
                            "it states no {system} credits and neither does component {:?}",
                            component.id
                        )
                    })
                });
                match admitted {
                    Ok(points) => {
                        used.push(proof.credential);
                        held += points;
                        proved = true;
                        slots.push(proof.credential);
                        result
                            .counted
                            .push(self.counted(*proof, Some(component), Some(points)));
                        break;
                    }
                    Err(reason) => refusals.push((proof.credential, reason)),
                }
            }
            if !proved {
                result.missing.push(MissingComponent {
                    id: component.id.clone(),
                    title: component.title.clone(),
                });
                result
                    .not_counted
                    .extend(refusals.into_iter().map(|(slot, reason)| NotCounted {
                        credential: self.usable[slot].id.clone(),
                        component: Some(component.id.clone()),
                        reason,
                    }));
            }
        }
        held
    }

    /// Credits from every admitted credential, whether or not it proves a component.
    fn credits_from_any(
        &self,
        system: &CreditSystem,
        limits: &Limits,
        result: &mut RequirementResult,
        slots: &mut Vec<usize>,
    ) -> f64 {
        let mut held = 0.0;
        let mut achievements: HashSet<&str, BuildHasherDefault<FastHasher>> = Default::default();
        for (slot, credential) in self.usable.iter().enumerate() {
            if achievements.contains(credential.achievement_key()) {
                continue;
            }
            let component = self.first_component[slot].map(|j| &self.qualification.components[j]);
            let admitted = self.admits(credential, component, limits).and_then(|()| {
                credits_for(credential, component, system)
                    .ok_or_else(|| format!("it states no {system} credits"))
            });
            match admitted {
                Ok(points) => {
                    held += points;
                    achievements.insert(credential.achievement_key());
                    let proof = Proof {
                        credential: slot,
                        equivalence: None,
                    };
                    slots.push(slot);
                    result.counted.push(self.counted(proof, component, Some(points)));
                }
                Err(reason) => result.not_counted.push(NotCounted {
                    credential: credential.id.clone(),
                    component: component.map(|c| c.id.clone()),
                    reason,
                }),
            }
        }
        held
    }

    fn counted(&self, proof: Proof, component: Option<&Component>, credits: Option<f64>) -> Counted {
        let c = self.usable[proof.credential];
        Counted {
            credential: c.id.clone(),
            title: c.title.clone(),
            achievement: c.achievement_id.clone(),
            component: component.map(|c| c.id.clone()),
            equivalence: proof.equivalence.map(str::to_string),
            credits,
            digest_sri: c.digest_sri.clone(),
        }
    }

    /// Whether the constraints let this credential count; if not, why, in a sentence.
    fn admits(
        &self,
        c: &HeldCredential,
        component: Option<&Component>,
        limits: &Limits,
    ) -> Result<(), String> {
        let k = &limits.constraints;
        if let Some(min) = k.min_eqf_level {
            match c.eqf.or(component.and_then(|c| c.eqf)) {
                None => {
                    return Err(format!(
                        "its EQF level is not stated; {min} or higher is required"
                    ))
                }
                Some(level) if level < min => {
                    return Err(format!("it is at {level}; {min} or higher is required"))
                }
                Some(_) => {}
            }
        }
        if let Some(max_age) = k.max_age {
            let Some(issued) = c.issued else {
                return Err(format!(
                    "its issue date is not stated; it must have been issued within {max_age}"
                ));
            };
            if limits.earliest_issue.is_some_and(|earliest| issued < earliest) {
                // Built without format!: with hundreds of old credentials this message was the hot spot.
                let mut reason = String::with_capacity(24 + limits.too_old.len());
                reason.push_str("it was issued on ");
                push_ymd(&mut reason, issued);
                reason.push_str(&limits.too_old);
                return Err(reason);
            }
        }
        let body = &self.qualification.awarding_body;
        match &k.issuers {
            None | Some(Issuers::Any) => {}
            Some(Issuers::SameProvider) if c.issuer == body.id => {}
            Some(Issuers::SameProvider) => {
                return Err(format!(
                    "it was issued by {}; only credentials of {} ({}) count",
                    c.issuer, body.name, body.id
                ))
            }
            Some(Issuers::Accredited) => match c.issuer_accredited {
                Some(true) => {}
                Some(false) => {
                    return Err(sentence(&[
                        "its issuer ",
                        &c.issuer,
                        " is not accredited (not on a trust list)",
                    ]))
                }
                None => {
                    return Err(sentence(&[
                        "whether its issuer ",
                        &c.issuer,
                        " is accredited was not checked",
                    ]))
                }
            },
            Some(Issuers::List(ids)) if ids.contains(&c.issuer) => {}
            Some(Issuers::List(ids)) => {
                return Err(format!(
                    "it was issued by {}, which is not an accepted issuer ({})",
                    c.issuer,
                    ids.join(", ")
                ))
            }
        }
        Ok(())
    }

    fn why_unused(&self, slot: usize, results: &[RequirementResult]) -> String {
        if self.first_component[slot].is_none() {
            return "it proves no component of this qualification and no equivalence names it".into();
        }
        let id = &self.usable[slot].id;
        let mut reasons = BTreeSet::new();
        collect_refusals(results, id, &mut reasons);
        if reasons.is_empty() {
            "another credential already proves what it proves".into()
        } else {
            reasons.into_iter().collect::<Vec<_>>().join("; ")
        }
    }
}

fn collect_refusals(results: &[RequirementResult], id: &str, out: &mut BTreeSet<String>) {
    for r in results {
        out.extend(
            r.not_counted
                .iter()
                .filter(|n| n.credential == id)
                .map(|n| n.reason.clone()),
        );
        collect_refusals(&r.requirements, id, out);
    }
}

fn credits_for(c: &HeldCredential, component: Option<&Component>, system: &CreditSystem) -> Option<f64> {
    c.credits_in(system).or_else(|| {
        component
            .and_then(|k| k.credits.as_ref())
            .filter(|credit| &credit.system == system)
            .map(|credit| credit.points)
    })
}

/// The first issue date that is young enough: `today` minus the duration (whole units; hours as days).
fn earliest_allowed(today: Date, max_age: &microcred_model::XsdDuration) -> Date {
    let months = (max_age.years * 12.0 + max_age.months).max(0.0) as u32;
    let days = (max_age.weeks * 7.0 + max_age.days + max_age.hours / 24.0).max(0.0) as u64;
    let date = today
        .0
        .checked_sub_months(Months::new(months))
        .and_then(|d| d.checked_sub_days(Days::new(days)))
        .unwrap_or(chrono::NaiveDate::MIN);
    Date(date)
}

/// A rule's constraints with what every credential is compared to worked out once.
struct Limits {
    constraints: Constraints,
    /// The first issue date young enough for `max_age`.
    earliest_issue: Option<Date>,
    /// The end of the "too old" sentence, e.g. ", longer than P5Y before 2026-06-01".
    too_old: String,
}

impl Limits {
    fn new(constraints: &Constraints, today: Date) -> Self {
        let max_age = constraints.max_age;
        Limits {
            constraints: constraints.clone(),
            earliest_issue: max_age.map(|age| earliest_allowed(today, &age)),
            too_old: max_age.map_or(String::new(), |age| {
                format!(", longer than {age} before {}", ymd(today))
            }),
        }
    }
}
