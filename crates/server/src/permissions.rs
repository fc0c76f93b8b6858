//! The permission matrix (docs/permissions.md): which role may do what, and which API-token scope
//! each permission needs. Object-level rules (whose descriptions) are the `may_*` functions below.
//! Pure: no I/O, so the matrix is tested exhaustively without a server.

use microcred_store::{DescriptionRecord, Organisation, Role, User};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Permission {
    ManageOrganisations,
    ManageUsers,
    ReadAudit,
    CreateToken,
    ReadDescriptions,
    EditDescription,
    SubmitDescription,
    Review,
    Decide,
    Publish,
    Withdraw,
    Comment,
    ManageAccreditations,
    /// Reserved for credential issuing (a later part of the server): only a provider, for itself.
    IssueCredential,
    ReadOwnRecords,
    /// Record a stacking decision (issue #7): only a receiving organisation's staff.
    RecordStackingDecision,
}

impl Permission {
    pub const ALL: &'static [Permission] = &[
        Permission::ManageOrganisations,
        Permission::ManageUsers,
        Permission::ReadAudit,
        Permission::CreateToken,
        Permission::ReadDescriptions,
        Permission::EditDescription,
        Permission::SubmitDescription,
        Permission::Review,
        Permission::Decide,
        Permission::Publish,
        Permission::Withdraw,
        Permission::Comment,
        Permission::ManageAccreditations,
        Permission::IssueCredential,
        Permission::ReadOwnRecords,
        Permission::RecordStackingDecision,
    ];

    /// The API-token scope a machine needs for this permission (sessions of people have them all).
    pub fn scope(self) -> &'static str {
        use Permission::*;
        match self {
            ManageOrganisations | ManageUsers | ReadAudit => "admin",
            CreateToken => "tokens",
            ReadDescriptions => "descriptions:read",
            EditDescription | SubmitDescription | Publish | Withdraw => "descriptions:write",
            Review | Decide | Comment => "review",
            ManageAccreditations => "accreditations:write",
            IssueCredential => "credentials:issue",
            ReadOwnRecords => "records:read",
            RecordStackingDecision => "stacking:decide",
        }
    }
}

/// Every scope a token may be given.
pub const SCOPES: &[&str] = &[
    "admin",
    "tokens",
    "descriptions:read",
    "descriptions:write",
    "review",
    "accreditations:write",
    "credentials:issue",
    "records:read",
    "stacking:decide",
];

/// Whether a token holding scope `held` may use a permission that needs `needed`: writing and
/// reviewing descriptions both need to read them.
pub fn scope_grants(held: &str, needed: &str) -> bool {
    held == needed || (needed == "descriptions:read" && matches!(held, "descriptions:write" | "review"))
}

/// The matrix itself.
pub fn role_allows(role: Role, permission: Permission) -> bool {
    use Permission::*;
    match role {
        Role::Admin => !matches!(permission, IssueCredential | RecordStackingDecision),
        Role::Authority => matches!(
            permission,
            CreateToken | ReadDescriptions | Review | Decide | Withdraw | Comment | ManageAccreditations
        ),
        Role::Provider => matches!(
            permission,
            CreateToken
                | ReadDescriptions
                | EditDescription
                | SubmitDescription
                | Publish
                | Withdraw
                | Comment
                | IssueCredential
        ),
        Role::Receiver => matches!(permission, CreateToken | ReadOwnRecords | RecordStackingDecision),
        Role::Learner => matches!(permission, CreateToken | ReadOwnRecords),
    }
}

/// Whether `user` may see or act on this description at all (then `role_allows` decides the action).
/// A provider: its own. An authority: those submitted to it, or from a provider in its country.
pub fn may_access(
    user: &User,
    authority: Option<&Organisation>,
    record: &DescriptionRecord,
    provider: &Organisation,
) -> bool {
    match user.role {
        Role::Admin => true,
        Role::Provider => user.organisation_id.as_deref() == Some(record.provider_id.as_str()),
        Role::Authority => match authority {
            Some(org) => record.authority_id == org.id || provider.country == org.country,
            None => false,
        },
        Role::Receiver | Role::Learner => false,
    }
}

/// Whether `user` may issue credentials on behalf of `provider_id`: only the provider's own people.
pub fn may_issue_for(user: &User, provider_id: &str) -> bool {
    role_allows(user.role, Permission::IssueCredential)
        && user.organisation_id.as_deref() == Some(provider_id)
}

/// Whether `user` may read the records (account, later credentials) of `subject_user_id`.
pub fn may_read_records_of(user: &User, subject_user_id: &str) -> bool {
    user.role == Role::Admin || user.id == subject_user_id
}

#[cfg(test)]
mod tests {
    use super::*;
    use microcred_store::{OrgKind, State};

    fn user(role: Role, org: Option<&str>) -> User {
        User {
            id: format!("u-{role}"),
            email: format!("{role}@example.org"),
            name: role.to_string(),
            role,
            organisation_id: org.map(str::to_string),
            password_hash: String::new(),
            created_at: String::new(),
        }
    }

    fn org(id: &str, kind: OrgKind, country: &str) -> Organisation {
        Organisation {
            id: id.into(),
            kind,
            name: id.into(),
            country: country.into(),
            uri: None,
            created_at: String::new(),
        }
    }

    fn record(provider: &str, authority: &str) -> DescriptionRecord {
        DescriptionRecord {
            id: "d".into(),
            provider_id: provider.into(),
            authority_id: authority.into(),
            profile: "eu".into(),
            state: State::Submitted,
            current_version: 1,
            published_version: None,
            requires_revalidation: false,
            row_version: 1,
            created_at: String::new(),
            updated_at: String::new(),
        }
    }

    #[test]
    fn a_provider_cannot_approve_and_an_authority_cannot_issue() {
        assert!(!role_allows(Role::Provider, Permission::Decide));
        assert!(!role_allows(Role::Provider, Permission::Review));
        assert!(!role_allows(Role::Authority, Permission::IssueCredential));
        assert!(!role_allows(Role::Admin, Permission::IssueCredential));
        assert!(role_allows(Role::Authority, Permission::Decide));
        let authority = user(Role::Authority, Some("qqi"));
        assert!(!may_issue_for(&authority, "atu"));
        assert!(may_issue_for(&user(Role::Provider, Some("atu")), "atu"));
        assert!(!may_issue_for(&user(Role::Provider, Some("atu")), "ucd"));
    }

    #[test]
    fn learners_and_receivers_only_read_records() {
        for role in [Role::Learner, Role::Receiver] {
            let allowed: Vec<_> = Permission::ALL
                .iter()
                .filter(|p| role_allows(role, **p) && **p != Permission::RecordStackingDecision)
                .collect();
            assert_eq!(allowed, [&Permission::CreateToken, &Permission::ReadOwnRecords]);
        }
        // Stacking decisions: receiving organisations only.
        for role in [Role::Admin, Role::Authority, Role::Provider, Role::Learner] {
            assert!(!role_allows(role, Permission::RecordStackingDecision), "{role}");
        }
        assert!(role_allows(Role::Receiver, Permission::RecordStackingDecision));
        let learner = user(Role::Learner, None);
        assert!(may_read_records_of(&learner, &learner.id));
        assert!(!may_read_records_of(&learner, "someone-else"));
    }

    #[test]
    fn authorities_see_what_was_submitted_to_them_or_their_country() {
        let qqi = org("qqi", OrgKind::Authority, "IE");
        let aneca = org("aneca", OrgKind::Authority, "ES");
        let atu = org("atu", OrgKind::Provider, "IE");
        let authority = user(Role::Authority, Some("qqi"));
        assert!(may_access(&authority, Some(&qqi), &record("atu", "qqi"), &atu));
        assert!(may_access(&authority, Some(&qqi), &record("atu", "other"), &atu));
        let spanish = user(Role::Authority, Some("aneca"));
        assert!(!may_access(&spanish, Some(&aneca), &record("atu", "qqi"), &atu));
        assert!(!may_access(
            &user(Role::Provider, Some("ucd")),
            None,
            &record("atu", "qqi"),
            &atu
        ));
    }

    #[test]
    fn every_permission_has_a_known_scope() {
        for permission in Permission::ALL {
            assert!(SCOPES.contains(&permission.scope()), "{permission:?}");
        }
    }
}
