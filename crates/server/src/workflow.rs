//! The quality-assurance workflow as a table: each action, the states it may start from, where it
//! leads and the permission it needs. Pure, so every wrong transition is tested without a database.

use microcred_store::{DescriptionRecord, State};

use crate::permissions::Permission;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Submit,
    StartReview,
    RequestChanges,
    Approve,
    Reject,
    Publish,
    Withdraw,
}

impl Action {
    pub const ALL: &'static [Action] = &[
        Action::Submit,
        Action::StartReview,
        Action::RequestChanges,
        Action::Approve,
        Action::Reject,
        Action::Publish,
        Action::Withdraw,
    ];

    /// The path segment and audit-log name, e.g. "request-changes".
    pub fn name(self) -> &'static str {
        match self {
            Action::Submit => "submit",
            Action::StartReview => "start-review",
            Action::RequestChanges => "request-changes",
            Action::Approve => "approve",
            Action::Reject => "reject",
            Action::Publish => "publish",
            Action::Withdraw => "withdraw",
        }
    }

    pub fn from_states(self) -> &'static [State] {
        use State::*;
        match self {
            Action::Submit => &[Draft, ChangesRequested],
            Action::StartReview => &[Submitted],
            Action::RequestChanges | Action::Approve | Action::Reject => &[InReview],
            Action::Publish => &[Approved],
            Action::Withdraw => &[Approved, Published],
        }
    }

    pub fn target(self) -> State {
        match self {
            Action::Submit => State::Submitted,
            Action::StartReview => State::InReview,
            Action::RequestChanges => State::ChangesRequested,
            Action::Approve => State::Approved,
            Action::Reject => State::Rejected,
            Action::Publish => State::Published,
            Action::Withdraw => State::Withdrawn,
        }
    }

    pub fn permission(self) -> Permission {
        match self {
            Action::Submit => Permission::SubmitDescription,
            Action::StartReview => Permission::Review,
            Action::RequestChanges | Action::Approve | Action::Reject => Permission::Decide,
            Action::Publish => Permission::Publish,
            Action::Withdraw => Permission::Withdraw,
        }
    }

    /// A decision record is kept for these.
    pub fn is_decision(self) -> bool {
        matches!(self, Action::RequestChanges | Action::Approve | Action::Reject)
    }
}

/// Whether `action` may be taken now. A description whose published version is still in the register
/// may be withdrawn from any state (a newer version can be under review at the time).
pub fn check_transition(record: &DescriptionRecord, action: Action) -> Result<State, String> {
    let allowed = action.from_states().contains(&record.state)
        || (action == Action::Withdraw
            && record.published_version.is_some()
            && record.state != State::Withdrawn);
    if allowed {
        Ok(action.target())
    } else {
        let from: Vec<&str> = action.from_states().iter().map(|s| s.as_str()).collect();
        Err(format!(
            "cannot {} a description that is {}; allowed only from: {}",
            action.name(),
            record.state,
            from.join(", ")
        ))
    }
}

/// What editing does to a description in `state`: the state the new version starts in, or why editing
/// is not possible now. Editing a published description is decided by the change impact (see the
/// descriptions routes), not here.
pub fn state_after_edit(state: State) -> Result<State, String> {
    match state {
        State::Draft | State::Rejected | State::Withdrawn => Ok(State::Draft),
        State::ChangesRequested => Ok(State::ChangesRequested),
        State::Published | State::Approved => Ok(State::Draft),
        State::Submitted | State::InReview => Err(format!(
            "a description that is {state} cannot be edited until the authority has decided; \
             wait for its decision (changes requested) and edit then"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(state: State, published: Option<i64>) -> DescriptionRecord {
        DescriptionRecord {
            id: "d".into(),
            provider_id: "p".into(),
            authority_id: "a".into(),
            profile: "eu".into(),
            state,
            current_version: 1,
            published_version: published,
            requires_revalidation: false,
            row_version: 1,
            created_at: String::new(),
            updated_at: String::new(),
        }
    }

    #[test]
    fn every_action_is_allowed_exactly_from_its_states() {
        for action in Action::ALL {
            for state in State::ALL {
                let result = check_transition(&record(*state, None), *action);
                assert_eq!(
                    result.is_ok(),
                    action.from_states().contains(state),
                    "{action:?} from {state}"
                );
            }
        }
    }

    #[test]
    fn the_happy_path_reaches_published() {
        let mut state = State::Draft;
        for action in [
            Action::Submit,
            Action::StartReview,
            Action::RequestChanges,
            Action::Submit,
            Action::StartReview,
            Action::Approve,
            Action::Publish,
        ] {
            state = check_transition(&record(state, None), action).unwrap();
        }
        assert_eq!(state, State::Published);
    }

    #[test]
    fn a_published_version_can_be_withdrawn_while_a_new_one_is_reviewed() {
        assert!(check_transition(&record(State::InReview, Some(1)), Action::Withdraw).is_ok());
        assert!(check_transition(&record(State::InReview, None), Action::Withdraw).is_err());
        assert!(check_transition(&record(State::Withdrawn, Some(1)), Action::Withdraw).is_err());
    }

    #[test]
    fn submitted_descriptions_are_frozen() {
        assert!(state_after_edit(State::Submitted).is_err());
        assert!(state_after_edit(State::InReview).is_err());
        assert_eq!(
            state_after_edit(State::ChangesRequested),
            Ok(State::ChangesRequested)
        );
    }
}
