//! Domains, teams, users and memberships: listing, detail pages, and changes by admins and team
//! owners.

use std::collections::HashMap;
use std::sync::Arc;

use domain::Slug;
use store::{DomainFields, DomainRecord, Expect, NewUser, TeamFields, TeamRecord, UserRecord};
use views::{
    DomainDetail, DomainInput, DomainView, MemberInput, MemberView, MembershipView, TeamDetail,
    TeamInput, TeamView, UserInput, UserView,
};

use crate::actor::Actor;
use crate::auth::{check_password, hash_password};
use crate::error::{Result, WorkbenchError};
use crate::{DOMAIN_PALETTE, Workbench, audit_event};

/// Domains and teams by id, for turning ids into names and colours.
#[derive(Clone, Debug, Default)]
pub(crate) struct Names {
    pub domains: HashMap<String, DomainRecord>,
    pub teams: HashMap<String, TeamRecord>,
}

impl Names {
    pub fn domain_name(&self, id: &str) -> String {
        self.domains
            .get(id)
            .map(|d| d.name.clone())
            .unwrap_or_else(|| id.to_owned())
    }
    pub fn domain_color(&self, id: &str) -> String {
        self.domains
            .get(id)
            .map(|d| d.color.clone())
            .unwrap_or_else(|| String::from("#64748b"))
    }
    pub fn team_name(&self, id: &str) -> String {
        self.teams
            .get(id)
            .map(|t| t.name.clone())
            .unwrap_or_else(|| id.to_owned())
    }
}

fn parse_slug(field: &str, raw: &str) -> Result<String> {
    Slug::parse(raw)
        .map(String::from)
        .map_err(|e| WorkbenchError::bad_request(format!("{field} {e}; e.g. customer-analytics")))
}

fn check_name(raw: &str) -> Result<String> {
    let name = raw.trim();
    domain::text::check_line(name, 120)
        .map_err(|e| WorkbenchError::bad_request(format!("name {e}")))?;
    Ok(name.to_owned())
}

fn check_description(raw: &str) -> Result<String> {
    domain::text::check_paragraphs(raw, 20_000)
        .map_err(|e| WorkbenchError::bad_request(format!("description {e}")))?;
    Ok(raw.trim().to_owned())
}

fn check_color(raw: &str) -> Result<String> {
    let ok =
        raw.len() == 7 && raw.starts_with('#') && raw[1..].chars().all(|c| c.is_ascii_hexdigit());
    if ok {
        Ok(raw.to_lowercase())
    } else {
        Err(WorkbenchError::bad_request(format!(
            "color '{raw}' is not a #rrggbb colour"
        )))
    }
}

impl Workbench {
    /// Domains and teams by id, remembered until the next change (every page and every lineage
    /// view turns ids into names).
    pub(crate) async fn names(&self) -> Result<Arc<Names>> {
        let generation = self.generation();
        if self.remembers()
            && let Some(names) = self.reads.names(generation)
        {
            return Ok(names);
        }
        let names = Arc::new(self.read_names().await?);
        self.reads.remember_names(generation, names.clone());
        Ok(names)
    }

    async fn read_names(&self) -> Result<Names> {
        let domains = self
            .store
            .list_domains()
            .await?
            .into_iter()
            .map(|d| (d.id.clone(), d))
            .collect();
        let teams = self
            .store
            .list_teams()
            .await?
            .into_iter()
            .map(|t| (t.id.clone(), t))
            .collect();
        Ok(Names { domains, teams })
    }

    pub async fn list_domains(&self, actor: &Actor) -> Result<Vec<DomainView>> {
        actor.require_read()?;
        let domains = self.store.list_domains().await?;
        let teams = self.store.list_teams().await?;
        let products = self.store.list_products(None, None).await?;
        Ok(domains
            .into_iter()
            .map(|d| {
                let team_count = teams.iter().filter(|t| t.domain_id == d.id).count() as i64;
                let product_count = products.iter().filter(|p| p.domain_id == d.id).count() as i64;
                domain_view(d, team_count, product_count)
            })
            .collect())
    }

    pub async fn domain_detail(&self, actor: &Actor, id: &str) -> Result<DomainDetail> {
        actor.require_read()?;
        let all = self.list_domains(actor).await?;
        let domain = all
            .iter()
            .find(|d| d.id == id)
            .cloned()
            .ok_or_else(|| WorkbenchError::not_found(format!("domain '{id}' not found")))?;
        let parent = domain
            .parent_id
            .as_ref()
            .and_then(|p| all.iter().find(|d| &d.id == p).cloned());
        let children = all
            .iter()
            .filter(|d| d.parent_id.as_deref() == Some(id))
            .cloned()
            .collect();
        let teams = self
            .list_teams(actor)
            .await?
            .into_iter()
            .filter(|t| t.domain_id == id)
            .collect();
        let names = self.names().await?;
        let states = self.store.governance_states().await?;
        let products = self
            .store
            .list_products(Some(id), None)
            .await?
            .into_iter()
            .map(|p| {
                let state = states.get(&p.id).cloned();
                crate::catalog::card(p, &names, state)
            })
            .collect();
        Ok(DomainDetail {
            domain,
            parent,
            children,
            teams,
            products,
            can_manage: actor.is_admin(),
        })
    }

    pub async fn create_domain(&self, actor: &Actor, input: &DomainInput) -> Result<DomainView> {
        actor.require_admin("create domains")?;
        let id = parse_slug("id", input.id.trim())?;
        let color = match &input.color {
            Some(c) if !c.is_empty() => check_color(c)?,
            _ => {
                let used = self.store.list_domains().await?.len();
                DOMAIN_PALETTE[used % DOMAIN_PALETTE.len()].to_owned()
            }
        };
        let fields = self.domain_fields(input, color, None).await?;
        let event = audit_event(
            actor,
            "domain.created",
            "domain",
            &id,
            format!("created domain '{}'", fields.name),
        );
        let saved = self
            .store
            .save_domain(&id, &fields, Expect::New, &event)
            .await?;
        Ok(domain_view(saved, 0, 0))
    }

    pub async fn update_domain(
        &self,
        actor: &Actor,
        id: &str,
        input: &DomainInput,
        revision: Option<i64>,
    ) -> Result<DomainView> {
        actor.require_admin("change domains")?;
        let current = self
            .store
            .get_domain(id)
            .await?
            .ok_or_else(|| WorkbenchError::not_found(format!("domain '{id}' not found")))?;
        let color = match &input.color {
            Some(c) if !c.is_empty() => check_color(c)?,
            _ => current.color.clone(),
        };
        let fields = self.domain_fields(input, color, Some(id)).await?;
        let expect = Expect::Revision(revision.unwrap_or(current.revision));
        let event = audit_event(
            actor,
            "domain.updated",
            "domain",
            id,
            format!("updated domain '{}'", fields.name),
        );
        self.store.save_domain(id, &fields, expect, &event).await?;
        self.list_domains(actor)
            .await?
            .into_iter()
            .find(|d| d.id == id)
            .ok_or_else(|| WorkbenchError::not_found("domain"))
    }

    async fn domain_fields(
        &self,
        input: &DomainInput,
        color: String,
        editing: Option<&str>,
    ) -> Result<DomainFields> {
        let parent_id = match input.parent_id.as_deref().filter(|p| !p.is_empty()) {
            None => None,
            Some(parent) => {
                let domains = self.store.list_domains().await?;
                if !domains.iter().any(|d| d.id == parent) {
                    return Err(WorkbenchError::bad_request(format!(
                        "parent_id: domain '{parent}' does not exist"
                    )));
                }
                // A domain may not end up below itself.
                if let Some(me) = editing {
                    let mut cursor = Some(parent.to_owned());
                    while let Some(c) = cursor {
                        if c == me {
                            return Err(WorkbenchError::bad_request(format!(
                                "parent_id: '{parent}' is inside '{me}'; a domain cannot be its own ancestor"
                            )));
                        }
                        cursor = domains
                            .iter()
                            .find(|d| d.id == c)
                            .and_then(|d| d.parent_id.clone());
                    }
                }
                Some(parent.to_owned())
            }
        };
        Ok(DomainFields {
            name: check_name(&input.name)?,
            description: check_description(&input.description)?,
            parent_id,
            color,
        })
    }

    pub async fn delete_domain(&self, actor: &Actor, id: &str) -> Result<()> {
        actor.require_admin("delete domains")?;
        let event = audit_event(
            actor,
            "domain.deleted",
            "domain",
            id,
            format!("deleted domain '{id}'"),
        );
        Ok(self.store.delete_domain(id, &event).await?)
    }

    pub async fn list_teams(&self, actor: &Actor) -> Result<Vec<TeamView>> {
        actor.require_read()?;
        let names = self.names().await?;
        let products = self.store.list_products(None, None).await?;
        let mut out = Vec::new();
        for t in self.store.list_teams().await? {
            let members = self.store.team_members(&t.id).await?.len() as i64;
            let product_count = products.iter().filter(|p| p.team_id == t.id).count() as i64;
            out.push(team_view(t, &names, members, product_count));
        }
        Ok(out)
    }

    pub async fn team_detail(&self, actor: &Actor, id: &str) -> Result<TeamDetail> {
        actor.require_read()?;
        let team = self
            .list_teams(actor)
            .await?
            .into_iter()
            .find(|t| t.id == id)
            .ok_or_else(|| WorkbenchError::not_found(format!("team '{id}' not found")))?;
        let members = self
            .store
            .team_members(id)
            .await?
            .into_iter()
            .map(|m| MemberView {
                username: m.username,
                display_name: m.display_name,
                role: m.role,
            })
            .collect();
        let names = self.names().await?;
        let states = self.store.governance_states().await?;
        let products = self
            .store
            .list_products(None, Some(id))
            .await?
            .into_iter()
            .map(|p| {
                let state = states.get(&p.id).cloned();
                crate::catalog::card(p, &names, state)
            })
            .collect();
        Ok(TeamDetail {
            team,
            members,
            products,
            can_manage: actor.is_admin() || actor.owns_team(id),
        })
    }

    pub async fn create_team(&self, actor: &Actor, input: &TeamInput) -> Result<TeamView> {
        actor.require_admin("create teams")?;
        let id = parse_slug("id", input.id.trim())?;
        let fields = self.team_fields(input).await?;
        let event = audit_event(
            actor,
            "team.created",
            "team",
            &id,
            format!("created team '{}'", fields.name),
        );
        let saved = self
            .store
            .save_team(&id, &fields, Expect::New, &event)
            .await?;
        let names = self.names().await?;
        Ok(team_view(saved, &names, 0, 0))
    }

    pub async fn update_team(
        &self,
        actor: &Actor,
        id: &str,
        input: &TeamInput,
        revision: Option<i64>,
    ) -> Result<TeamView> {
        actor.require_team_owner(id, "change the team")?;
        let current = self
            .store
            .get_team(id)
            .await?
            .ok_or_else(|| WorkbenchError::not_found(format!("team '{id}' not found")))?;
        let fields = self.team_fields(input).await?;
        if fields.domain_id != current.domain_id {
            actor.require_admin("move a team to another domain")?;
        }
        let event = audit_event(
            actor,
            "team.updated",
            "team",
            id,
            format!("updated team '{}'", fields.name),
        );
        self.store
            .save_team(
                id,
                &fields,
                Expect::Revision(revision.unwrap_or(current.revision)),
                &event,
            )
            .await?;
        self.list_teams(actor)
            .await?
            .into_iter()
            .find(|t| t.id == id)
            .ok_or_else(|| WorkbenchError::not_found("team"))
    }

    async fn team_fields(&self, input: &TeamInput) -> Result<TeamFields> {
        if self.store.get_domain(&input.domain_id).await?.is_none() {
            return Err(WorkbenchError::bad_request(format!(
                "domain_id: domain '{}' does not exist",
                input.domain_id
            )));
        }
        Ok(TeamFields {
            name: check_name(&input.name)?,
            description: check_description(&input.description)?,
            domain_id: input.domain_id.clone(),
        })
    }

    pub async fn delete_team(&self, actor: &Actor, id: &str) -> Result<()> {
        actor.require_admin("delete teams")?;
        let event = audit_event(
            actor,
            "team.deleted",
            "team",
            id,
            format!("deleted team '{id}'"),
        );
        Ok(self.store.delete_team(id, &event).await?)
    }

    /// Adds a user to a team or changes their role (team owners and admins).
    pub async fn set_member(
        &self,
        actor: &Actor,
        team_id: &str,
        username: &str,
        input: &MemberInput,
    ) -> Result<Vec<MemberView>> {
        actor.require_team_owner(team_id, "manage its members")?;
        if !matches!(input.role.as_str(), "owner" | "member") {
            return Err(WorkbenchError::bad_request(format!(
                "role '{}' is not one of owner or member",
                input.role
            )));
        }
        if self.store.get_team(team_id).await?.is_none() {
            return Err(WorkbenchError::not_found(format!(
                "team '{team_id}' not found"
            )));
        }
        let user = self
            .store
            .get_user_by_username(username)
            .await?
            .ok_or_else(|| WorkbenchError::not_found(format!("user '{username}' not found")))?;
        let event = audit_event(
            actor,
            "team.member_set",
            "team",
            team_id,
            format!("{username} is now {} of team '{team_id}'", input.role),
        );
        self.store
            .set_member(team_id, &user.id, &input.role, &event)
            .await?;
        Ok(self.team_detail(actor, team_id).await?.members)
    }

    pub async fn remove_member(&self, actor: &Actor, team_id: &str, username: &str) -> Result<()> {
        actor.require_team_owner(team_id, "manage its members")?;
        let user = self
            .store
            .get_user_by_username(username)
            .await?
            .ok_or_else(|| WorkbenchError::not_found(format!("user '{username}' not found")))?;
        let event = audit_event(
            actor,
            "team.member_removed",
            "team",
            team_id,
            format!("removed {username} from team '{team_id}'"),
        );
        Ok(self.store.remove_member(team_id, &user.id, &event).await?)
    }

    pub(crate) async fn user_view(&self, user: UserRecord) -> Result<UserView> {
        let names = self.names().await?;
        let teams = self
            .store
            .memberships(&user.id)
            .await?
            .into_iter()
            .map(|m| MembershipView {
                team_name: names.team_name(&m.team_id),
                domain_id: names
                    .teams
                    .get(&m.team_id)
                    .map(|t| t.domain_id.clone())
                    .unwrap_or_default(),
                team_id: m.team_id,
                role: m.role,
            })
            .collect();
        Ok(UserView {
            id: user.id,
            username: user.username,
            display_name: user.display_name,
            email: user.email,
            is_admin: user.is_admin,
            teams,
            created_at: user.created_at,
        })
    }

    pub async fn list_users(&self, actor: &Actor) -> Result<Vec<UserView>> {
        actor.require_signed_in()?;
        let mut out = Vec::new();
        for u in self.store.list_users().await? {
            out.push(self.user_view(u).await?);
        }
        Ok(out)
    }

    pub async fn get_user(&self, actor: &Actor, username: &str) -> Result<UserView> {
        actor.require_signed_in()?;
        let user = self
            .store
            .get_user_by_username(username)
            .await?
            .ok_or_else(|| WorkbenchError::not_found(format!("user '{username}' not found")))?;
        self.user_view(user).await
    }

    pub async fn create_user(&self, actor: &Actor, input: &UserInput) -> Result<UserView> {
        actor.require_admin("create users")?;
        let username = input.username.trim().to_lowercase();
        let valid = !username.is_empty()
            && username.len() <= 64
            && username
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '@'));
        if !valid {
            return Err(WorkbenchError::bad_request(
                "username: use 1 to 64 of a-z, 0-9, '.', '_', '-' and '@'",
            ));
        }
        let password = input
            .password
            .as_deref()
            .ok_or_else(|| WorkbenchError::bad_request("password is required for a new user"))?;
        check_password(password)?;
        let new = NewUser {
            id: uuid::Uuid::now_v7().to_string(),
            username: username.clone(),
            display_name: check_name(&input.display_name)?,
            email: input.email.clone().filter(|e| !e.trim().is_empty()),
            password_hash: Some(hash_password(password)?),
            is_admin: input.is_admin,
        };
        let event = audit_event(
            actor,
            "user.created",
            "user",
            &username,
            format!("created user '{username}'"),
        );
        let user = self.store.create_user(&new, &event).await?;
        self.user_view(user).await
    }

    /// Changes a user: admins change anyone; people change their own name, e-mail and password.
    pub async fn update_user(
        &self,
        actor: &Actor,
        username: &str,
        input: &UserInput,
    ) -> Result<UserView> {
        actor.require_signed_in()?;
        let user = self
            .store
            .get_user_by_username(username)
            .await?
            .ok_or_else(|| WorkbenchError::not_found(format!("user '{username}' not found")))?;
        let is_self = actor.user().is_some_and(|me| me.id == user.id);
        if !is_self {
            actor.require_admin("change other users")?;
        }
        if input.is_admin != user.is_admin {
            actor.require_admin("grant or remove admin rights")?;
        }
        let hash = match &input.password {
            Some(p) => {
                check_password(p)?;
                Some(hash_password(p)?)
            }
            None => None,
        };
        let event = audit_event(
            actor,
            "user.updated",
            "user",
            username,
            format!("updated user '{username}'"),
        );
        let email = input.email.clone().filter(|e| !e.trim().is_empty());
        let saved = self
            .store
            .update_user(
                &user.id,
                &check_name(&input.display_name)?,
                email.as_deref(),
                input.is_admin,
                hash.as_deref(),
                &event,
            )
            .await?;
        self.user_view(saved).await
    }
}

fn domain_view(d: DomainRecord, team_count: i64, product_count: i64) -> DomainView {
    DomainView {
        id: d.id,
        name: d.name,
        description: d.description,
        parent_id: d.parent_id,
        color: d.color,
        team_count,
        product_count,
        revision: d.revision,
        created_at: d.created_at,
        updated_at: d.updated_at,
    }
}

fn team_view(t: TeamRecord, names: &Names, member_count: i64, product_count: i64) -> TeamView {
    TeamView {
        domain_name: names.domain_name(&t.domain_id),
        domain_color: names.domain_color(&t.domain_id),
        id: t.id,
        name: t.name,
        description: t.description,
        domain_id: t.domain_id,
        member_count,
        product_count,
        revision: t.revision,
    }
}
