//! Which published micro-credentials (the register's descriptions) would close a gap.
//!
//! A catalogue entry matches a missing component by identifier first (the component names it); failing
//! that, by shared ESCO skills at a level that fits, and last by learning outcomes that read alike.

use std::collections::BTreeSet;

use microcred_model::Description;

use crate::evaluation::{MatchedBy, RequirementResult, Suggestion};
use crate::qualification::{Component, Qualification};

/// Share of words two learning outcomes must have in common to be taken as alike.
const OUTCOME_SIMILARITY: f64 = 0.6;

pub(crate) fn suggestions(
    q: &Qualification,
    results: &[RequirementResult],
    catalogue: &[Description],
) -> Vec<Suggestion> {
    if catalogue.is_empty() {
        return Vec::new();
    }
    let mut missing: Vec<&str> = Vec::new();
    collect_missing(results, &mut missing);
    let mut out = Vec::new();
    for id in missing {
        let Some(component) = q.component(id) else {
            continue;
        };
        for description in catalogue {
            let Some(entry_id) = description.id.as_deref() else {
                continue;
            };
            if let Some(matched_by) = matches(component, entry_id, description) {
                out.push(Suggestion {
                    component: component.id.clone(),
                    micro_credential: entry_id.to_string(),
                    title: description.title.best("en").unwrap_or(entry_id).to_string(),
                    matched_by,
                    credits: component
                        .credits
                        .as_ref()
                        .and_then(|c| description.workload.credits_in(&c.system))
                        .or_else(|| description.workload.ects()),
                });
            }
        }
    }
    out
}

fn collect_missing<'a>(results: &'a [RequirementResult], out: &mut Vec<&'a str>) {
    for r in results.iter().filter(|r| !r.met) {
        for m in &r.missing {
            if !out.contains(&m.id.as_str()) {
                out.push(&m.id);
            }
        }
        collect_missing(&r.requirements, out);
    }
}

fn matches(component: &Component, entry_id: &str, description: &Description) -> Option<MatchedBy> {
    if component.is_proved_by(entry_id) {
        return Some(MatchedBy::Identifier);
    }
    let level_fits = match (component.eqf, description.level.eqf) {
        (Some(wanted), Some(offered)) => offered >= wanted,
        _ => true,
    };
    if !level_fits {
        return None;
    }
    let offered: BTreeSet<&str> = description
        .learning_outcomes
        .iter()
        .flat_map(|o| o.esco_skills.iter().map(String::as_str))
        .collect();
    let shared: Vec<String> = component
        .esco_skills
        .iter()
        .filter(|s| offered.contains(s.as_str()))
        .cloned()
        .collect();
    if !shared.is_empty() {
        return Some(MatchedBy::Skills { shared });
    }
    let best = component
        .learning_outcomes
        .iter()
        .flat_map(|wanted| {
            description
                .learning_outcomes
                .iter()
                .filter_map(|o| o.text.best("en"))
                .map(move |text| similarity(wanted, text))
        })
        .fold(0.0_f64, f64::max);
    (best >= OUTCOME_SIMILARITY).then(|| MatchedBy::LearningOutcomes {
        similarity: (best * 100.0).round() / 100.0,
    })
}

/// Jaccard similarity of the sets of lowercase words of three letters or more.
fn similarity(a: &str, b: &str) -> f64 {
    let words = |text: &str| -> BTreeSet<String> {
        text.split(|c: char| !c.is_alphanumeric())
            .filter(|w| w.chars().count() >= 3)
            .map(str::to_lowercase)
            .collect()
    };
    let (a, b) = (words(a), words(b));
    let union = a.union(&b).count();
    if union == 0 {
        return 0.0;
    }
    a.intersection(&b).count() as f64 / union as f64
}
