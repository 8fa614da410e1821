//! Authentication: passwords (argon2), sign-in sessions and API tokens. Secrets are random,
//! shown once and stored only as SHA-256 hashes.

use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use rand::RngCore;
use sha2::{Digest, Sha256};
use store::{NewAudit, NewToken, TokenRecord};
use views::{CreatedToken, SessionView, TokenInput, TokenView};

use crate::actor::{Actor, Principal};
use crate::error::{Result, WorkbenchError};
use crate::{Workbench, audit_event};

/// How long a sign-in lasts.
pub const SESSION_DAYS: i64 = 14;
/// Prefix of every Meshwork API token, so leaked tokens are easy to recognise and scan for.
pub const TOKEN_PREFIX: &str = "mw_";

/// A random secret: 32 bytes as hex.
pub fn new_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

pub fn sha256_hex(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

pub fn hash_password(password: &str) -> Result<String> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| WorkbenchError::bad_request(format!("the password cannot be hashed: {e}")))
}

fn verify_password(password: &str, hash: &str) -> bool {
    Argon2::default()
        .verify_password(password.as_bytes(), hash)
        .is_ok()
}

/// Checks a new password; returns what is wrong with it.
pub fn check_password(password: &str) -> Result<()> {
    let len = password.chars().count();
    if len < 8 {
        return Err(WorkbenchError::bad_request(
            "password: use at least 8 characters",
        ));
    }
    if len > 256 {
        return Err(WorkbenchError::bad_request(
            "password: use at most 256 characters",
        ));
    }
    Ok(())
}

/// Compares secrets in time independent of where they differ.
fn same_secret(a: &str, b: &str) -> bool {
    let (a, b) = (Sha256::digest(a.as_bytes()), Sha256::digest(b.as_bytes()));
    a.iter()
        .zip(b.iter())
        .fold(0u8, |acc, (x, y)| acc | (x ^ y))
        == 0
}

fn token_view(t: TokenRecord) -> TokenView {
    let (owner_kind, owner_id) = match (&t.user_id, &t.team_id) {
        (_, Some(team)) => ("team", team.clone()),
        (Some(user), None) => ("user", user.clone()),
        (None, None) => ("user", String::new()),
    };
    TokenView {
        id: t.id,
        name: t.name,
        prefix: t.prefix,
        owner_kind: owner_kind.to_owned(),
        owner_name: owner_id.clone(),
        owner_id,
        created_by: t.created_by,
        created_at: t.created_at,
        last_used_at: t.last_used_at,
        revoked_at: t.revoked_at,
    }
}

impl Workbench {
    /// Whether readers need to sign in: the configuration can turn anonymous reading on, and so
    /// can the `anonymous_read` setting (the demo does).
    pub async fn anonymous_read(&self) -> bool {
        if self.config.anonymous_read {
            return true;
        }
        let generation = self.generation();
        if let Some(known) = self.reads.anonymous_read(generation)
            && self.remembers()
        {
            return known;
        }
        match self.store.setting("anonymous_read").await {
            Ok(value) => {
                let on = value.as_deref() == Some("true");
                self.reads.remember_anonymous_read(generation, on);
                on
            }
            // Not remembered: the next request asks the database again.
            Err(_) => false,
        }
    }

    pub async fn anonymous(&self) -> Actor {
        Actor::anonymous(self.anonymous_read().await)
    }

    async fn user_actor(&self, user: store::UserRecord) -> Result<Actor> {
        let memberships = self.store.memberships(&user.id).await?;
        Ok(Actor {
            principal: Principal::User { user, memberships },
            anonymous_read: self.anonymous_read().await,
        })
    }

    /// The actor behind an API token (`Authorization: Bearer` or `x-api-key`), if it is valid.
    pub async fn authenticate_token(&self, secret: &str) -> Result<Option<Actor>> {
        if let Some(admin) = &self.config.admin_token
            && !admin.is_empty()
            && same_secret(admin, secret)
        {
            return Ok(Some(Actor {
                principal: Principal::AdminToken,
                anonymous_read: self.anonymous_read().await,
            }));
        }
        let hash = sha256_hex(secret);
        let key = format!("t:{hash}");
        let generation = self.generation();
        if let Some(actor) = self.reads.actor(&key, generation)
            && self.remembers()
        {
            return Ok(Some(actor));
        }
        let Some(token) = self.store.token_by_hash(&hash).await? else {
            return Ok(None);
        };
        let actor = match (token.user_id, token.team_id) {
            (_, Some(team_id)) => Actor {
                principal: Principal::Team {
                    team_id,
                    token_name: token.name,
                },
                anonymous_read: self.anonymous_read().await,
            },
            (Some(user_id), None) => match self.store.get_user(&user_id).await? {
                Some(user) => self.user_actor(user).await?,
                None => return Ok(None),
            },
            (None, None) => return Ok(None),
        };
        self.reads.remember_actor(key, generation, actor.clone());
        Ok(Some(actor))
    }

    /// The actor behind a session cookie, if the session is live.
    pub async fn authenticate_session(&self, secret: &str) -> Result<Option<Actor>> {
        let hash = sha256_hex(secret);
        let key = format!("s:{hash}");
        let generation = self.generation();
        if let Some(actor) = self.reads.actor(&key, generation)
            && self.remembers()
        {
            return Ok(Some(actor));
        }
        match self.store.session_user(&hash).await? {
            Some(user) => {
                let actor = self.user_actor(user).await?;
                self.reads.remember_actor(key, generation, actor.clone());
                Ok(Some(actor))
            }
            None => Ok(None),
        }
    }

    /// Checks a username and password and opens a session; returns the session secret.
    pub async fn sign_in(&self, username: &str, password: &str) -> Result<(String, Actor)> {
        let refused = || WorkbenchError::Forbidden(String::from("wrong username or password"));
        let user = self.store.get_user_by_username(username.trim()).await?;
        let Some(user) = user else {
            // Spend the same time as a real check, so response times do not reveal usernames.
            let _ = hash_password(password);
            return Err(refused());
        };
        match &user.password_hash {
            Some(hash) if verify_password(password, hash) => {}
            _ => return Err(refused()),
        }
        let secret = new_secret();
        let expires = time::OffsetDateTime::now_utc() + time::Duration::days(SESSION_DAYS);
        self.store
            .create_session(&sha256_hex(&secret), &user.id, &store::format_time(expires))
            .await?;
        Ok((secret, self.user_actor(user).await?))
    }

    pub async fn sign_out(&self, secret: &str) -> Result<()> {
        Ok(self.store.delete_session(&sha256_hex(secret)).await?)
    }

    pub async fn settings(&self, actor: &Actor) -> Result<views::SettingsView> {
        actor.require_admin("read the settings")?;
        Ok(views::SettingsView {
            anonymous_read: self.anonymous_read().await,
        })
    }

    /// Changes the settings (platform admins).
    pub async fn update_settings(
        &self,
        actor: &Actor,
        settings: &views::SettingsView,
    ) -> Result<views::SettingsView> {
        actor.require_admin("change the settings")?;
        let value = if settings.anonymous_read {
            "true"
        } else {
            "false"
        };
        let event = audit_event(
            actor,
            "setting.changed",
            "setting",
            "anonymous_read",
            format!(
                "anonymous reading is now {}",
                if settings.anonymous_read { "on" } else { "off" }
            ),
        );
        self.store
            .set_setting("anonymous_read", value, &event)
            .await?;
        self.settings(actor).await
    }

    /// The session as the UI shows it.
    pub async fn session_view(&self, actor: &Actor) -> Result<SessionView> {
        let user = match actor.user() {
            Some(u) => Some(self.user_view(u.clone()).await?),
            None => None,
        };
        let kind = match actor.principal {
            Principal::Anonymous => "anonymous",
            Principal::User { .. } => "user",
            Principal::Team { .. } => "team-token",
            Principal::AdminToken => "admin-token",
            Principal::System => "system",
        };
        Ok(SessionView {
            user,
            kind: kind.to_owned(),
            anonymous_read: self.anonymous_read().await,
        })
    }

    /// Creates an API token for the signed-in user, or for a team they own; the secret is in the
    /// answer and nowhere else.
    pub async fn create_token(&self, actor: &Actor, input: &TokenInput) -> Result<CreatedToken> {
        actor.require_signed_in()?;
        let name = input.name.trim();
        domain::text::check_line(name, 100)
            .map_err(|e| WorkbenchError::bad_request(format!("name {e}")))?;
        let (user_id, team_id) = match &input.team_id {
            Some(team) => {
                if self.store.get_team(team).await?.is_none() {
                    return Err(WorkbenchError::bad_request(format!(
                        "team_id: team '{team}' does not exist"
                    )));
                }
                actor.require_team_owner(team, "create tokens for it")?;
                (None, Some(team.clone()))
            }
            None => match actor.user() {
                Some(user) => (Some(user.id.clone()), None),
                None => {
                    return Err(WorkbenchError::bad_request(
                        "team_id is required: only people have personal tokens; name the team the token is for",
                    ));
                }
            },
        };
        let secret = format!("{TOKEN_PREFIX}{}", new_secret());
        let new = NewToken {
            id: uuid::Uuid::now_v7().to_string(),
            name: name.to_owned(),
            hash: sha256_hex(&secret),
            prefix: secret.chars().take(10).collect(),
            user_id,
            team_id,
            created_by: actor.name(),
        };
        let event = audit_event(
            actor,
            "token.created",
            "token",
            &new.id,
            format!("created API token '{name}'"),
        );
        let token = self.store.create_token(&new, &event).await?;
        Ok(CreatedToken {
            token: token_view(token),
            secret,
        })
    }

    /// The caller's tokens and those of teams they own (all tokens for admins).
    pub async fn list_tokens(&self, actor: &Actor) -> Result<Vec<TokenView>> {
        actor.require_signed_in()?;
        let all = self.store.list_tokens(None, None).await?;
        let mine = |t: &TokenRecord| {
            actor.is_admin()
                || t.user_id
                    .as_deref()
                    .is_some_and(|u| actor.user().is_some_and(|me| me.id == u))
                || t.team_id
                    .as_deref()
                    .is_some_and(|team| actor.owns_team(team))
        };
        let mut tokens: Vec<TokenView> = all.into_iter().filter(mine).map(token_view).collect();
        // Owners by name, not by id: one read of each directory for the whole list.
        let names = self.names().await?;
        let users: std::collections::HashMap<String, String> = self
            .store
            .list_users()
            .await?
            .into_iter()
            .map(|u| (u.id, u.display_name))
            .collect();
        for t in &mut tokens {
            t.owner_name = match t.owner_kind.as_str() {
                "team" => names.team_name(&t.owner_id),
                _ => users
                    .get(&t.owner_id)
                    .cloned()
                    .unwrap_or_else(|| t.owner_id.clone()),
            };
        }
        Ok(tokens)
    }

    pub async fn revoke_token(&self, actor: &Actor, id: &str) -> Result<()> {
        actor.require_signed_in()?;
        let token = self
            .store
            .get_token(id)
            .await?
            .ok_or_else(|| WorkbenchError::not_found(format!("token '{id}' not found")))?;
        let allowed = actor.is_admin()
            || token
                .user_id
                .as_deref()
                .is_some_and(|u| actor.user().is_some_and(|me| me.id == u))
            || token
                .team_id
                .as_deref()
                .is_some_and(|team| actor.owns_team(team));
        if !allowed {
            return Err(WorkbenchError::forbidden(
                "only the token's owner (or a platform admin) may revoke it",
            ));
        }
        let event: NewAudit = audit_event(
            actor,
            "token.revoked",
            "token",
            id,
            format!("revoked API token '{}'", token.name),
        );
        Ok(self.store.revoke_token(id, &event).await?)
    }
}
