//! The one place the server calls the rules engine (crate microcred-rules), so a change in its API
//! touches only this file.

use microcred_model::Description;
use microcred_rules::{ChangeReport, Profile, Report};

use crate::problem::Problem;

pub fn profile(name: &str) -> Result<Profile, Problem> {
    Profile::builtin(name).map_err(|error| Problem::invalid_field("/profile", error.to_string()))
}

/// The compliance report attached on submission and kept with every decision.
pub fn check(description: &Description, profile_name: &str) -> Result<Report, Problem> {
    Ok(microcred_rules::check(description, &profile(profile_name)?))
}

/// The change impact of editing a published description: whether the new version must be approved
/// again before it may be issued.
/// When the engine lists no change although the versions differ, it could not classify the edit, and
/// the safe answer is to ask for re-validation.
pub fn change_impact(
    old: &Description,
    new: &Description,
    profile_name: &str,
) -> Result<ChangeReport, Problem> {
    let mut report = microcred_rules::diff(old, new, &profile(profile_name)?);
    if report.changes.is_empty() && old != new {
        report.requires_revalidation = true;
    }
    Ok(report)
}
