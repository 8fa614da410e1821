//! Domains, teams, users, memberships, tokens and the signed-in session.

use crate::ProductCard;

crate::view! {
    pub struct DomainView {
        pub id: String,
        pub name: String,
        pub description: String,
        pub parent_id: Option<String>,
        /// The domain's colour, used for it everywhere (cards, graphs, charts).
        pub color: String,
        pub team_count: i64,
        pub product_count: i64,
        pub revision: i64,
        pub created_at: String,
        pub updated_at: String,
    }
}

crate::view! {
    pub struct DomainDetail {
        pub domain: DomainView,
        pub parent: Option<DomainView>,
        pub children: Vec<DomainView>,
        pub teams: Vec<TeamView>,
        pub products: Vec<ProductCard>,
        pub can_manage: bool,
    }
}

crate::view! {
    /// Fields to create or change a domain. `id` is ignored on update.
    pub struct DomainInput {
        #[serde(default)]
        pub id: String,
        pub name: String,
        #[serde(default)]
        pub description: String,
        #[serde(default)]
        pub parent_id: Option<String>,
        /// `#rrggbb`; a colour is picked when empty.
        #[serde(default)]
        pub color: Option<String>,
    }
}

crate::view! {
    pub struct TeamView {
        pub id: String,
        pub name: String,
        pub description: String,
        pub domain_id: String,
        pub domain_name: String,
        pub domain_color: String,
        pub member_count: i64,
        pub product_count: i64,
        pub revision: i64,
    }
}

crate::view! {
    pub struct TeamDetail {
        pub team: TeamView,
        pub members: Vec<MemberView>,
        pub products: Vec<ProductCard>,
        /// The signed-in user may add and remove members (team owner or admin).
        pub can_manage: bool,
    }
}

crate::view! {
    pub struct TeamInput {
        #[serde(default)]
        pub id: String,
        pub name: String,
        #[serde(default)]
        pub description: String,
        pub domain_id: String,
    }
}

crate::view! {
    pub struct MemberView {
        pub username: String,
        pub display_name: String,
        /// `owner` or `member`.
        pub role: String,
    }
}

crate::view! {
    pub struct MemberInput {
        /// `owner` or `member`.
        pub role: String,
    }
}

crate::view! {
    pub struct MembershipView {
        pub team_id: String,
        pub team_name: String,
        pub domain_id: String,
        pub role: String,
    }
}

crate::view! {
    pub struct UserView {
        pub id: String,
        pub username: String,
        pub display_name: String,
        pub email: Option<String>,
        pub is_admin: bool,
        pub teams: Vec<MembershipView>,
        pub created_at: String,
    }
}

crate::view! {
    pub struct UserInput {
        #[serde(default)]
        pub username: String,
        pub display_name: String,
        #[serde(default)]
        pub email: Option<String>,
        /// Required when creating; leave out to keep the current password.
        #[serde(default)]
        pub password: Option<String>,
        #[serde(default)]
        pub is_admin: bool,
    }
}

crate::view! {
    /// Who is signed in, as the UI needs it.
    pub struct SessionView {
        pub user: Option<UserView>,
        /// `user`, `team-token`, `admin-token` or `anonymous`.
        pub kind: String,
        /// Whether people who are not signed in may read the catalog.
        pub anonymous_read: bool,
    }
}

crate::view! {
    /// Installation-wide settings (platform admins).
    pub struct SettingsView {
        /// People who are not signed in may read the catalog. Always on when the server was started
        /// with `MESHWORK_ANONYMOUS_READ`.
        pub anonymous_read: bool,
    }
}

crate::view! {
    pub struct SignInInput {
        pub username: String,
        pub password: String,
    }
}

crate::view! {
    pub struct TokenView {
        pub id: String,
        pub name: String,
        /// The first characters of the secret, to recognise it.
        pub prefix: String,
        /// `user` or `team`.
        pub owner_kind: String,
        pub owner_id: String,
        /// The owner as people read it: the user's display name or the team's name.
        #[serde(default)]
        pub owner_name: String,
        pub created_by: String,
        pub created_at: String,
        pub last_used_at: Option<String>,
        pub revoked_at: Option<String>,
    }
}

crate::view! {
    pub struct TokenInput {
        pub name: String,
        /// Create a token for this team instead of for yourself (team owners and admins).
        #[serde(default)]
        pub team_id: Option<String>,
    }
}

crate::view! {
    /// A new token and its secret. The secret is shown this once and never stored.
    pub struct CreatedToken {
        pub token: TokenView,
        pub secret: String,
    }
}

crate::view! {
    pub struct AuditView {
        pub id: i64,
        pub at: String,
        pub actor: String,
        pub action: String,
        pub subject_kind: String,
        pub subject_id: String,
        pub summary: String,
        pub diff: Option<String>,
    }
}
