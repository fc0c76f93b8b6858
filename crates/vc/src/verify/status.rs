//! `status`: one check per `credentialStatus` entry, looked up in its (verified) status list.
//! Revoked and suspended are `failed`; a list that cannot be had or trusted is `could-not-check`,
//! never "forged".

use serde_json::Value;

use super::checks::{Check, CheckStatus, VerificationReport};
use super::{verify_credential, Resolution, VerifyContext};
use crate::status::{StatusEntry, StatusError};

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
    match entry.lookup(&list) {
        Ok(true) => match entry.purpose.as_str() {
            "revocation" => Check::failed(
                NAME,
                format!("revoked (entry {} of {})", entry.index, entry.list_url),
            ),
            "suspension" => Check::failed(
                NAME,
                format!("suspended (entry {} of {})", entry.index, entry.list_url),
            ),
            other => Check::ok(
                NAME,
                format!(
                    "the {other} status bit is set (entry {} of {})",
                    entry.index, entry.list_url
                ),
            ),
        },
        Ok(false) => Check::ok(
            NAME,
            format!(
                "not {} (entry {} of {})",
                past_tense(&entry.purpose),
                entry.index,
                entry.list_url
            ),
        ),
        Err(e) => Check::failed(NAME, e.to_string()),
    }
}

fn past_tense(purpose: &str) -> String {
    match purpose {
        "revocation" => "revoked".into(),
        "suspension" => "suspended".into(),
        other => format!("flagged for {other}"),
    }
}
