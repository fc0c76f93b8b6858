//! Change-impact analysis: which changes between two versions of a description need re-validation.
//!
//! Both versions are serialized to JSON and walked together. Objects are compared key by key; lists of
//! plain values (modes, assessment types, countries, ESCO skills) change as a whole; lists of objects
//! (learning outcomes, credits, QA records) are aligned on their unchanged items first, so inserting an
//! outcome is one change, not a shift of every later one. Each change is classified by the
//! `[[change]]` rule with the longest path covering it, the profile's rules winning ties over the EU
//! baseline's defaults.

use serde_json::Value;

use crate::engine::{covers, element_for};
use crate::pointer::join;
use crate::profile::{ChangeRule, Policy, Profile};
use crate::{Change, ChangeReport, Description};

/// Compare two versions of a description and classify each change under the profile's policy.
pub fn diff(old: &Description, new: &Description, profile: &Profile) -> ChangeReport {
    let before = serde_json::to_value(old).unwrap_or(Value::Null);
    let after = serde_json::to_value(new).unwrap_or(Value::Null);
    let mut raw = Vec::new();
    compare(Some(&before), Some(&after), String::new(), &mut raw);

    let baseline = Profile::baseline();
    let rules: Vec<&ChangeRule> = if profile.is_baseline() {
        baseline.changes.iter().collect()
    } else {
        baseline.changes.iter().chain(&profile.changes).collect()
    };
    let changes: Vec<Change> = raw
        .into_iter()
        .map(|(path, before, after)| classify(path, before, after, &rules, baseline))
        .collect();
    let requires_revalidation = changes.iter().any(|c| c.requires_revalidation);
    ChangeReport {
        profile: profile.name.clone(),
        changes,
        requires_revalidation,
    }
}

type RawChange = (String, Option<Value>, Option<Value>);

fn classify(
    path: String,
    before: Option<Value>,
    after: Option<Value>,
    rules: &[&ChangeRule],
    baseline: &Profile,
) -> Change {
    let rule = rules
        .iter()
        .enumerate()
        .filter_map(|(i, r)| covers(&r.path, &path).map(|depth| (depth, i, *r)))
        .max_by_key(|(depth, i, _)| (*depth, *i))
        .map(|(_, _, r)| r);
    let element = element_for(&baseline.elements, &path);
    let Some(rule) = rule else {
        return Change {
            path,
            element,
            before,
            after,
            requires_revalidation: true,
            reason: "no change rule covers this element; re-validate to be safe".into(),
            rule: "microcred.change.unclassified".into(),
            source: "microcred default policy".into(),
        };
    };
    let typo = match (&before, &after) {
        (Some(Value::String(a)), Some(Value::String(b))) if rule.typo_tolerance > 0 => {
            typo_distance(a, b).filter(|d| *d <= rule.typo_tolerance)
        }
        _ => None,
    };
    let (requires_revalidation, reason) = match (rule.policy, typo) {
        (Policy::Revalidate, Some(d)) => (
            false,
            format!(
                "a {d}-character text edit with the same numbers, taken as a typo fix: no re-validation (a real change would need it: {})",
                rule.reason
            ),
        ),
        (Policy::Revalidate, None) => (true, rule.reason.clone()),
        (Policy::Provider, _) => (false, format!("the provider's decision under its own quality assurance: {}", rule.reason)),
        (Policy::Free, _) => (false, rule.reason.clone()),
    };
    Change {
        path,
        element,
        before,
        after,
        requires_revalidation,
        reason,
        rule: rule.id.clone(),
        source: rule.source.clone(),
    }
}

/// Characters changed between two texts when the edit is small and leaves every number alone.
fn typo_distance(a: &str, b: &str) -> Option<usize> {
    let digits = |s: &str| s.chars().filter(char::is_ascii_digit).collect::<String>();
    if digits(a) != digits(b) {
        return None;
    }
    let distance = strsim::damerau_levenshtein(a.trim(), b.trim());
    // A short text wholly replaced is not a typo, whatever the count.
    let longest = a.trim().chars().count().max(b.trim().chars().count());
    (distance > 0 && distance * 5 <= longest).then_some(distance)
}

fn is_scalar(value: &Value) -> bool {
    !matches!(value, Value::Object(_) | Value::Array(_))
}

fn compare(before: Option<&Value>, after: Option<&Value>, at: String, out: &mut Vec<RawChange>) {
    match (before, after) {
        (Some(a), Some(b)) if a == b => {}
        (Some(Value::Object(a)), Some(Value::Object(b))) => {
            for (key, value) in a {
                compare(Some(value), b.get(key), join(&at, key), out);
            }
            for (key, value) in b.iter().filter(|(k, _)| !a.contains_key(*k)) {
                compare(None, Some(value), join(&at, key), out);
            }
        }
        (Some(Value::Array(a)), Some(Value::Array(b))) if !a.iter().chain(b).all(is_scalar) => {
            align(a, b, &at, out);
        }
        (None, None) => {}
        (a, b) => out.push((
            if at.is_empty() { "/".into() } else { at },
            a.cloned(),
            b.cloned(),
        )),
    }
}

/// Align two lists on their longest common subsequence of unchanged items; items in the gaps between
/// are compared pairwise, and what is left over was removed or added.
fn align(a: &[Value], b: &[Value], at: &str, out: &mut Vec<RawChange>) {
    let (n, m) = (a.len(), b.len());
    let mut lcs = vec![vec![0usize; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let mut anchors = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < n && j < m {
        if a[i] == b[j] {
            anchors.push((i, j));
            i += 1;
            j += 1;
        } else if lcs[i + 1][j] >= lcs[i][j + 1] {
            i += 1;
        } else {
            j += 1;
        }
    }
    anchors.push((n, m));
    let (mut i0, mut j0) = (0, 0);
    for (i1, j1) in anchors {
        let pairs = (i1 - i0).min(j1 - j0);
        for k in 0..pairs {
            compare(
                Some(&a[i0 + k]),
                Some(&b[j0 + k]),
                join(at, &(j0 + k).to_string()),
                out,
            );
        }
        for (k, removed) in a.iter().enumerate().take(i1).skip(i0 + pairs) {
            out.push((join(at, &k.to_string()), Some(removed.clone()), None));
        }
        for (k, added) in b.iter().enumerate().take(j1).skip(j0 + pairs) {
            out.push((join(at, &k.to_string()), None, Some(added.clone())));
        }
        (i0, j0) = (i1 + 1, j1 + 1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn changes(a: Value, b: Value) -> Vec<RawChange> {
        let mut out = Vec::new();
        compare(Some(&a), Some(&b), String::new(), &mut out);
        out
    }

    #[test]
    fn inserting_an_item_is_one_change() {
        let a = json!({"o": [{"t": "a"}, {"t": "b"}, {"t": "c"}]});
        let b = json!({"o": [{"t": "new"}, {"t": "a"}, {"t": "b"}, {"t": "c"}]});
        let found = changes(a, b);
        assert_eq!(found, vec![("/o/0".into(), None, Some(json!({"t": "new"})))]);
    }

    #[test]
    fn edited_item_is_compared_inside() {
        let a = json!({"o": [{"t": "a"}, {"t": "b"}]});
        let b = json!({"o": [{"t": "a"}, {"t": "B"}]});
        assert_eq!(
            changes(a, b),
            vec![("/o/1/t".into(), Some(json!("b")), Some(json!("B")))]
        );
    }

    #[test]
    fn scalar_lists_change_whole_and_missing_keys_show() {
        let a = json!({"m": ["online"], "x": 1});
        let b = json!({"m": ["online", "blended"], "y": 2});
        let found = changes(a, b);
        assert_eq!(found.len(), 3);
        assert_eq!(found[0].0, "/m");
        assert_eq!(found[1], ("/x".into(), Some(json!(1)), None));
        assert_eq!(found[2], ("/y".into(), None, Some(json!(2))));
    }

    #[test]
    fn typos_are_small_edits_with_the_same_numbers() {
        assert_eq!(
            typo_distance("Data analytcs for managers", "Data analytics for managers"),
            Some(1)
        );
        assert_eq!(typo_distance("Level 5 award", "Level 6 award"), None);
        assert_eq!(typo_distance("Cats", "Dogs"), None);
    }
}
