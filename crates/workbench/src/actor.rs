//! Who is asking, and what they may do. Every use case takes an [`Actor`]; the checks here are the
//! only authorization checks in Meshwork.

use store::{MemberRecord, UserRecord};

use crate::error::{Result, WorkbenchError};

/// The authenticated party behind a request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Principal {
    /// Nobody signed in.
    Anonymous,
    /// A person, signed in or through one of their tokens.
    User {
        user: UserRecord,
        memberships: Vec<MemberRecord>,
    },
    /// A team's API token (CI pipelines).
    Team { team_id: String, token_name: String },
    /// `MESHWORK_ADMIN_TOKEN`.
    AdminToken,
    /// Meshwork itself: CLI commands such as `demo` and `import`.
    System,
}

/// A principal, plus whether anonymous reading is allowed in this installation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Actor {
    pub principal: Principal,
    pub anonymous_read: bool,
}

impl Actor {
    pub fn anonymous(anonymous_read: bool) -> Actor {
        Actor {
            principal: Principal::Anonymous,
            anonymous_read,
        }
    }

    /// Meshwork itself (CLI commands such as `demo` and `import` run as the platform).
    pub fn system() -> Actor {
        Actor {
            principal: Principal::System,
            anonymous_read: false,
        }
    }

    /// The name written into audit events and documents.
    pub fn name(&self) -> String {
        match &self.principal {
            Principal::Anonymous => String::from("anonymous"),
            Principal::User { user, .. } => user.username.clone(),
            Principal::Team {
                team_id,
                token_name,
            } => format!("{team_id} (token {token_name})"),
            Principal::AdminToken => String::from("admin-token"),
            Principal::System => String::from("meshwork"),
        }
    }

    /// Who this is, as a short key: requests with the same key are answered alike (what the
    /// server's response cache keys on, beside the store's generation, which every change to a
    /// user, a membership, a token or a setting advances).
    pub fn identity(&self) -> String {
        let who = match &self.principal {
            Principal::Anonymous => String::from("anonymous"),
            Principal::User { user, .. } => format!("user:{}", user.id),
            Principal::Team {
                team_id,
                token_name,
            } => format!("team:{team_id}:{token_name}"),
            Principal::AdminToken => String::from("admin-token"),
            Principal::System => String::from("system"),
        };
        format!("{who}|{}", self.anonymous_read)
    }

    pub fn is_admin(&self) -> bool {
        match &self.principal {
            Principal::AdminToken | Principal::System => true,
            Principal::User { user, .. } => user.is_admin,
            _ => false,
        }
    }

    pub fn is_signed_in(&self) -> bool {
        self.principal != Principal::Anonymous
    }

    pub fn user(&self) -> Option<&UserRecord> {
        match &self.principal {
            Principal::User { user, .. } => Some(user),
            _ => None,
        }
    }

    /// The teams this actor acts for.
    pub fn team_ids(&self) -> Vec<String> {
        match &self.principal {
            Principal::User { memberships, .. } => {
                memberships.iter().map(|m| m.team_id.clone()).collect()
            }
            Principal::Team { team_id, .. } => vec![team_id.clone()],
            _ => Vec::new(),
        }
    }

    pub fn is_member_of(&self, team_id: &str) -> bool {
        self.team_ids().iter().any(|t| t == team_id)
    }

    /// Owner of the team (for managing its members and tokens).
    pub fn owns_team(&self, team_id: &str) -> bool {
        match &self.principal {
            Principal::User { memberships, .. } => memberships
                .iter()
                .any(|m| m.team_id == team_id && m.role == "owner"),
            _ => false,
        }
    }

    pub fn require_read(&self) -> Result<()> {
        if self.is_signed_in() || self.anonymous_read {
            Ok(())
        } else {
            Err(WorkbenchError::Unauthenticated)
        }
    }

    pub fn require_signed_in(&self) -> Result<()> {
        if self.is_signed_in() {
            Ok(())
        } else {
            Err(WorkbenchError::Unauthenticated)
        }
    }

    pub fn require_admin(&self, what: &str) -> Result<()> {
        self.require_signed_in()?;
        if self.is_admin() {
            Ok(())
        } else {
            Err(WorkbenchError::forbidden(format!(
                "only platform admins may {what}"
            )))
        }
    }

    /// May change data owned by this team: its members, its tokens, and admins.
    pub fn require_team_write(&self, team_id: &str, what: &str) -> Result<()> {
        self.require_signed_in()?;
        if self.is_admin() || self.is_member_of(team_id) {
            Ok(())
        } else {
            Err(WorkbenchError::forbidden(format!(
                "only members of team '{team_id}' (or platform admins) may {what}"
            )))
        }
    }

    /// May manage the team itself (members, team tokens): its owners and admins.
    pub fn require_team_owner(&self, team_id: &str, what: &str) -> Result<()> {
        self.require_signed_in()?;
        if self.is_admin() || self.owns_team(team_id) {
            Ok(())
        } else {
            Err(WorkbenchError::forbidden(format!(
                "only owners of team '{team_id}' (or platform admins) may {what}"
            )))
        }
    }

    /// May decide (approve or reject) a waiver: a platform admin or the policy's owner (a user
    /// name, or a team this actor owns), and never the person who asked for it.
    pub fn require_waiver_decider(
        &self,
        policy_owner: Option<&str>,
        requester: &str,
    ) -> Result<()> {
        self.require_signed_in()?;
        if self.name() == requester {
            return Err(WorkbenchError::forbidden(
                "a waiver cannot be decided by the person who requested it; ask a platform admin or the policy's owner",
            ));
        }
        let owns_policy = policy_owner
            .is_some_and(|o| self.user().is_some_and(|u| u.username == o) || self.owns_team(o));
        if self.is_admin() || owns_policy {
            Ok(())
        } else {
            Err(WorkbenchError::forbidden(
                "only platform admins or the policy's owner may decide waivers",
            ))
        }
    }
}
