//! Builders shared by the scenario tests.
#![allow(dead_code)]

use microcred_model::{Credit, CreditSystem, Date, EqfLevel};
use microcred_stacking::{HeldCredential, Verification};

pub fn day(text: &str) -> Date {
    Date::parse(text).unwrap()
}

/// A verified credential for `achievement`, issued by an accredited issuer on 2026-01-15.
pub fn held(id: &str, achievement: &str) -> HeldCredential {
    HeldCredential {
        id: id.into(),
        achievement_id: Some(achievement.into()),
        title: format!("Credential {id}"),
        issuer: "did:web:provider.example".into(),
        issuer_accredited: Some(true),
        issued: Some(day("2026-01-15")),
        valid_until: None,
        credits: vec![],
        eqf: None,
        skills: vec![],
        digest_sri: Some(format!("sha256-digest-of-{id}")),
        notes: vec![],
        verification: Verification::Verified,
    }
}

pub fn with_credits(mut c: HeldCredential, system: &str, points: f64) -> HeldCredential {
    c.credits.push(Credit {
        system: CreditSystem::parse(system),
        points,
        hours_per_credit: None,
    });
    c
}

pub fn with_eqf(mut c: HeldCredential, level: u8) -> HeldCredential {
    c.eqf = Some(EqfLevel::new(level).unwrap());
    c
}

pub fn excluded(mut c: HeldCredential, reason: &str) -> HeldCredential {
    c.verification = Verification::Excluded {
        reason: reason.into(),
    };
    c
}
