//! `status`: one check per `credentialStatus` entry, looked up in its (verified) status list.
//! Revoked and suspended are `failed`; a list that cannot be had or trusted is `could-not-check`,
//! never "forged".

use serde_json::Value;

use super::checks::{Check, CheckStatus, VerificationReport};
use super::{verify_credential, Resolution, VerifyContext};
use crate::status::{StatusEntry, StatusError, MIN_ENTRIES};

const NAME: &str = "status";

pub(crate) fn check(document: &Value, ctx: &VerifyContext, checks: &mut Vec<Check>) {
    let entries: Vec<&Value> = match document.get("credentialStatus") {
        None => {
            checks.push(Check::ok(
                NAME,
                "the credential has no status entry: its issuer cannot revoke or suspend it",
            ));
            return;
        }
        Some(Value::Array(items)) => items.iter().collect(),
        Some(single) => vec![single],
    };
    for entry in entries {
        checks.push(check_entry(entry, ctx));
    }
}

fn check_entry(entry: &Value, ctx: &VerifyContext) -> Check {
    let entry = match StatusEntry::parse(entry) {
        Ok(Some(entry)) => entry,
        Ok(None) => {
            let kind = entry.get("type").map(Value::to_string).unwrap_or_default();
            return Check::could_not_check(NAME, format!("status type {kind} is not supported; known: BitstringStatusListEntry, StatusList2021Entry"));
        }
        Err(e) => return Check::failed(NAME, e.to_string()),
    };
    let list = match ctx.status_list(&entry.list_url) {
        Resolution::Found(list) => list,
        Resolution::Unavailable(why) => {
            return Check::could_not_check(
                NAME,
                format!("{} not checked: {}", entry.purpose, StatusError::Retrieval(why)),
            )
        }
    };
    // The list is a credential of its own: its proof and dates must hold before its bits mean anything.
    let mut list_checks = Vec::new();
    verify_credential(&list, ctx, &mut list_checks, false);
    let list_report = VerificationReport::from_checks(list_checks);
    let trouble = |names: &[&str], status: CheckStatus| {
        list_report
            .checks
            .iter()
            .find(|c| names.contains(&c.check.as_str()) && c.status == status)
            .map(|c| c.message.clone())
    };
    if let Some(why) = trouble(&["format", "proof"], CheckStatus::Failed) {
        return Check::failed(
            NAME,
            StatusError::Verification(format!(
                "the status list {} is not genuine: {why}",
                entry.list_url
            ))
            .to_string(),
        );
    }
    if let Some(why) = trouble(&["proof"], CheckStatus::CouldNotCheck) {
        return Check::could_not_check(
            NAME,
            format!(
                "{} not checked: the status list's signature could not be checked ({why})",
                entry.purpose
            ),
        );
    }
    if let Some(why) = trouble(&["validity-period"], CheckStatus::Failed) {
        return Check::could_not_check(
            NAME,
            format!(
                "{} not checked: the status list is not current ({why})",
                entry.purpose
            ),
        );
    }
    let bit = match entry.lookup_in(&list) {
        Ok(bit) => bit,
        Err(e) => return Check::failed(NAME, e.to_string()),
    };
    let short = if bit.list_entries < MIN_ENTRIES {
        format!(
            "; the list has only {} entries, fewer than the {MIN_ENTRIES} required for privacy",
            bit.list_entries
        )
    } else {
        String::new()
    };
    let place = format!("entry {} of {}{short}", entry.index, entry.list_url);
    match (bit.set, entry.purpose.as_str()) {
        (true, "revocation") => Check::failed(NAME, format!("revoked ({place})")),
        (true, "suspension") => Check::failed(NAME, format!("suspended ({place})")),
        (true, other) => Check::ok(NAME, format!("the {other} status bit is set ({place})")),
        (false, purpose) => Check::ok(NAME, format!("not {} ({place})", past_tense(purpose))),
    }
}

fn past_tense(purpose: &str) -> String {
    match purpose {
        "revocation" => "revoked".into(),
        "suspension" => "suspended".into(),
        other => format!("flagged for {other}"),
    }
}
