//! Reading qualification files (TOML or JSON) with errors that point at file:line:column.

use std::collections::BTreeSet;
use std::fmt;

use crate::qualification::Qualification;

/// Why a qualification file could not be used, and where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct LoadError {
    pub file: String,
    /// 1-based line and column, when the problem has a place in the file.
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.file)?;
        if let (Some(line), Some(column)) = (self.line, self.column) {
            write!(f, ":{line}:{column}")?;
        }
        write!(f, ": {}", self.message)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Toml,
    Json,
}

impl Format {
    /// By extension, else by the first character (JSON starts with `{`).
    pub fn guess(file: &str, text: &str) -> Format {
        if file.ends_with(".json") || (!file.ends_with(".toml") && text.trim_start().starts_with('{')) {
            Format::Json
        } else {
            Format::Toml
        }
    }
}

/// Parses and checks a qualification. `file` names the source in error messages.
pub fn parse_qualification(file: &str, text: &str) -> Result<Qualification, LoadError> {
    let qualification: Qualification = match Format::guess(file, text) {
        Format::Toml => toml::from_str(text).map_err(|e| {
            let (line, column) = match e.span() {
                Some(span) => line_column(text, span.start),
                None => (None, None),
            };
            LoadError {
                file: file.into(),
                line,
                column,
                message: e.message().trim().to_string(),
            }
        })?,
        Format::Json => serde_json::from_str(text).map_err(|e| LoadError {
            file: file.into(),
            line: Some(e.line()),
            column: Some(e.column()),
            message: e
                .to_string()
                .split(" at line ")
                .next()
                .unwrap_or_default()
                .to_string(),
        })?,
    };
    check_references(&qualification).map_err(|(needle, message)| {
        let (line, column) = text
            .find(&needle)
            .map_or((None, None), |at| line_column(text, at));
        LoadError {
            file: file.into(),
            line,
            column,
            message,
        }
    })?;
    Ok(qualification)
}

/// 1-based line and column (in characters) of a byte offset.
fn line_column(text: &str, offset: usize) -> (Option<usize>, Option<usize>) {
    let Some(before) = text.get(..offset.min(text.len())) else {
        return (None, None);
    };
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (Some(line), Some(column))
}

/// Checks what serde cannot: that requirements and equivalences name components that exist. On failure,
/// returns the text to look for in the file (to place the error) and the message.
fn check_references(q: &Qualification) -> Result<(), (String, String)> {
    let mut ids = BTreeSet::new();
    for component in &q.components {
        if !ids.insert(component.id.as_str()) {
            return Err((
                format!("{:?}", component.id),
                format!(
                    "component id {:?} is used twice; give each component its own id",
                    component.id
                ),
            ));
        }
    }
    if q.requirements.is_empty() {
        return Err((
            "requirements".into(),
            "the qualification has no requirements; add [[requirements]] tables saying what must be held"
                .into(),
        ));
    }
    let unknown = |id: &str, place: &str| {
        let nearest = microcred_model::vocab::nearest(id, ids.iter().copied())
            .map(|n| format!(" (did you mean {n:?}?)"))
            .unwrap_or_default();
        let known = ids.iter().copied().collect::<Vec<_>>().join(", ");
        (
            format!("{id:?}"),
            format!(
                "{place} names component {id:?}, which is not defined{nearest}; defined components: {known}"
            ),
        )
    };
    for rule in &q.requirements {
        for id in rule.component_refs() {
            if !ids.contains(id) {
                let place = rule
                    .name
                    .as_deref()
                    .map_or("a requirement".to_string(), |n| format!("requirement {n:?}"));
                return Err(unknown(id, &place));
            }
        }
    }
    for equivalence in &q.equivalences {
        if !ids.contains(equivalence.counts_for.as_str()) {
            return Err(unknown(&equivalence.counts_for, "an equivalence"));
        }
    }
    Ok(())
}
