//! Domains, teams, users and team membership.

use sqlx::any::AnyRow;
use sqlx::{AssertSqlSafe, Row};

use crate::audit;
use crate::{
    DomainRecord, Expect, MemberRecord, NewAudit, Result, Store, StoreError, TeamRecord,
    UserRecord, now,
};

const DOMAIN_COLUMNS: &str =
    "id, name, description, parent_id, color, created_at, updated_at, revision";
const TEAM_COLUMNS: &str = "id, name, description, domain_id, created_at, updated_at, revision";
const USER_COLUMNS: &str = "id, username, display_name, email, password_hash, is_admin, created_at";

fn domain(row: &AnyRow) -> Result<DomainRecord, sqlx::Error> {
    Ok(DomainRecord {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        description: row.try_get("description")?,
        parent_id: row.try_get("parent_id")?,
        color: row.try_get("color")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
        revision: row.try_get("revision")?,
    })
}

fn team(row: &AnyRow) -> Result<TeamRecord, sqlx::Error> {
    Ok(TeamRecord {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        description: row.try_get("description")?,
        domain_id: row.try_get("domain_id")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
        revision: row.try_get("revision")?,
    })
}

pub(crate) fn user(row: &AnyRow) -> Result<UserRecord, sqlx::Error> {
    Ok(UserRecord {
        id: row.try_get("id")?,
        username: row.try_get("username")?,
        display_name: row.try_get("display_name")?,
        email: row.try_get("email")?,
        password_hash: row.try_get("password_hash")?,
        is_admin: row.try_get::<i64, _>("is_admin")? != 0,
        created_at: row.try_get("created_at")?,
    })
}

fn member(row: &AnyRow) -> Result<MemberRecord, sqlx::Error> {
    Ok(MemberRecord {
        team_id: row.try_get("team_id")?,
        user_id: row.try_get("user_id")?,
        username: row.try_get("username")?,
        display_name: row.try_get("display_name")?,
        role: row.try_get("role")?,
        added_at: row.try_get("added_at")?,
    })
}

/// The fields of a domain a caller sets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DomainFields {
    pub name: String,
    pub description: String,
    pub parent_id: Option<String>,
    pub color: String,
}

/// The fields of a team a caller sets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TeamFields {
    pub name: String,
    pub description: String,
    pub domain_id: String,
}

/// A new local account.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewUser {
    pub id: String,
    pub username: String,
    pub display_name: String,
    pub email: Option<String>,
    pub password_hash: Option<String>,
    pub is_admin: bool,
}

impl Store {
    pub async fn list_domains(&self) -> Result<Vec<DomainRecord>> {
        let rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT {DOMAIN_COLUMNS} FROM domains ORDER BY name, id"
        )))
        .fetch_all(&self.db()?)
        .await?;
        Ok(rows.iter().map(domain).collect::<Result<_, _>>()?)
    }

    pub async fn get_domain(&self, id: &str) -> Result<Option<DomainRecord>> {
        let row = sqlx::query(AssertSqlSafe(format!(
            "SELECT {DOMAIN_COLUMNS} FROM domains WHERE id = $1"
        )))
        .bind(id)
        .fetch_optional(&self.db()?)
        .await?;
        Ok(row.as_ref().map(domain).transpose()?)
    }

    /// Creates (`Expect::New`) or updates (`Expect::Revision`) a domain.
    pub async fn save_domain(
        &self,
        id: &str,
        fields: &DomainFields,
        expect: Expect,
        event: &NewAudit,
    ) -> Result<DomainRecord> {
        let mut tx = self.begin_write().await?;
        let at = now();
        let result = match expect {
            Expect::New | Expect::Any => {
                let exists = sqlx::query("SELECT revision FROM domains WHERE id = $1")
                    .bind(id)
                    .fetch_optional(&mut *tx)
                    .await?;
                if exists.is_some() && expect == Expect::New {
                    return Err(StoreError::Duplicate(format!("domain '{id}'")));
                }
                sqlx::query(
                    "INSERT INTO domains (id, name, description, parent_id, color, created_at, updated_at, revision) \
                     VALUES ($1, $2, $3, $4, $5, $6, $6, 1) \
                     ON CONFLICT (id) DO UPDATE SET name = $2, description = $3, parent_id = $4, color = $5, \
                     updated_at = $6, revision = domains.revision + 1",
                )
                .bind(id)
                .bind(&fields.name)
                .bind(&fields.description)
                .bind(&fields.parent_id)
                .bind(&fields.color)
                .bind(&at)
                .execute(&mut *tx)
                .await?
            }
            Expect::Revision(revision) => {
                let done = sqlx::query(
                    "UPDATE domains SET name = $2, description = $3, parent_id = $4, color = $5, updated_at = $6, \
                     revision = revision + 1 WHERE id = $1 AND revision = $7",
                )
                .bind(id)
                .bind(&fields.name)
                .bind(&fields.description)
                .bind(&fields.parent_id)
                .bind(&fields.color)
                .bind(&at)
                .bind(revision)
                .execute(&mut *tx)
                .await?;
                if done.rows_affected() == 0 {
                    return Err(stale(&mut tx, "domains", "domain", id).await);
                }
                done
            }
        };
        debug_assert_eq!(result.rows_affected(), 1);
        audit::insert(&mut tx, event).await?;
        self.commit(tx, &[]).await?;
        self.get_domain(id)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("domain '{id}'")))
    }

    /// Deletes a domain that nothing refers to any more.
    pub async fn delete_domain(&self, id: &str, event: &NewAudit) -> Result<()> {
        let mut tx = self.begin_write().await?;
        for (table, column, what) in [
            ("teams", "domain_id", "teams"),
            ("products", "domain_id", "data products"),
            ("domains", "parent_id", "sub-domains"),
        ] {
            let n: i64 = sqlx::query_scalar(AssertSqlSafe(format!(
                "SELECT COUNT(*) FROM {table} WHERE {column} = $1"
            )))
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
            if n > 0 {
                return Err(StoreError::Reference(format!(
                    "domain '{id}' still has {n} {what}; move or delete them first"
                )));
            }
        }
        let done = sqlx::query("DELETE FROM domains WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound(format!("domain '{id}'")));
        }
        audit::insert(&mut tx, event).await?;
        self.commit(tx, &[]).await?;
        Ok(())
    }

    pub async fn list_teams(&self) -> Result<Vec<TeamRecord>> {
        let rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT {TEAM_COLUMNS} FROM teams ORDER BY name, id"
        )))
        .fetch_all(&self.db()?)
        .await?;
        Ok(rows.iter().map(team).collect::<Result<_, _>>()?)
    }

    pub async fn get_team(&self, id: &str) -> Result<Option<TeamRecord>> {
        let row = sqlx::query(AssertSqlSafe(format!(
            "SELECT {TEAM_COLUMNS} FROM teams WHERE id = $1"
        )))
        .bind(id)
        .fetch_optional(&self.db()?)
        .await?;
        Ok(row.as_ref().map(team).transpose()?)
    }

    /// Creates (`Expect::New`) or updates (`Expect::Revision`) a team.
    pub async fn save_team(
        &self,
        id: &str,
        fields: &TeamFields,
        expect: Expect,
        event: &NewAudit,
    ) -> Result<TeamRecord> {
        let mut tx = self.begin_write().await?;
        let at = now();
        match expect {
            Expect::New | Expect::Any => {
                let exists = sqlx::query("SELECT revision FROM teams WHERE id = $1")
                    .bind(id)
                    .fetch_optional(&mut *tx)
                    .await?;
                if exists.is_some() && expect == Expect::New {
                    return Err(StoreError::Duplicate(format!("team '{id}'")));
                }
                sqlx::query(
                    "INSERT INTO teams (id, name, description, domain_id, created_at, updated_at, revision) \
                     VALUES ($1, $2, $3, $4, $5, $5, 1) \
                     ON CONFLICT (id) DO UPDATE SET name = $2, description = $3, domain_id = $4, updated_at = $5, \
                     revision = teams.revision + 1",
                )
                .bind(id)
                .bind(&fields.name)
                .bind(&fields.description)
                .bind(&fields.domain_id)
                .bind(&at)
                .execute(&mut *tx)
                .await?;
            }
            Expect::Revision(revision) => {
                let done = sqlx::query(
                    "UPDATE teams SET name = $2, description = $3, domain_id = $4, updated_at = $5, \
                     revision = revision + 1 WHERE id = $1 AND revision = $6",
                )
                .bind(id)
                .bind(&fields.name)
                .bind(&fields.description)
                .bind(&fields.domain_id)
                .bind(&at)
                .bind(revision)
                .execute(&mut *tx)
                .await?;
                if done.rows_affected() == 0 {
                    return Err(stale(&mut tx, "teams", "team", id).await);
                }
            }
        }
        audit::insert(&mut tx, event).await?;
        self.commit(tx, &[]).await?;
        self.get_team(id)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("team '{id}'")))
    }

    /// Deletes a team that owns no products and no contracts.
    pub async fn delete_team(&self, id: &str, event: &NewAudit) -> Result<()> {
        let mut tx = self.begin_write().await?;
        for (table, what) in [
            ("products", "data products"),
            ("contracts", "data contracts"),
        ] {
            let n: i64 = sqlx::query_scalar(AssertSqlSafe(format!(
                "SELECT COUNT(*) FROM {table} WHERE team_id = $1"
            )))
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
            if n > 0 {
                return Err(StoreError::Reference(format!(
                    "team '{id}' still owns {n} {what}; hand them to another team first"
                )));
            }
        }
        let done = sqlx::query("DELETE FROM teams WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound(format!("team '{id}'")));
        }
        audit::insert(&mut tx, event).await?;
        self.commit(tx, &[]).await?;
        Ok(())
    }

    pub async fn create_user(&self, new: &NewUser, event: &NewAudit) -> Result<UserRecord> {
        let mut tx = self.begin_write().await?;
        let exists = sqlx::query("SELECT id FROM users WHERE username = $1")
            .bind(&new.username)
            .fetch_optional(&mut *tx)
            .await?;
        if exists.is_some() {
            return Err(StoreError::Duplicate(format!("user '{}'", new.username)));
        }
        sqlx::query(
            "INSERT INTO users (id, username, display_name, email, password_hash, is_admin, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(&new.id)
        .bind(&new.username)
        .bind(&new.display_name)
        .bind(&new.email)
        .bind(&new.password_hash)
        .bind(i64::from(new.is_admin))
        .bind(now())
        .execute(&mut *tx)
        .await?;
        audit::insert(&mut tx, event).await?;
        self.commit(tx, &[]).await?;
        self.get_user(&new.id)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("user '{}'", new.username)))
    }

    pub async fn get_user(&self, id: &str) -> Result<Option<UserRecord>> {
        let row = sqlx::query(AssertSqlSafe(format!(
            "SELECT {USER_COLUMNS} FROM users WHERE id = $1"
        )))
        .bind(id)
        .fetch_optional(&self.db()?)
        .await?;
        Ok(row.as_ref().map(user).transpose()?)
    }

    pub async fn get_user_by_username(&self, username: &str) -> Result<Option<UserRecord>> {
        let row = sqlx::query(AssertSqlSafe(format!(
            "SELECT {USER_COLUMNS} FROM users WHERE username = $1"
        )))
        .bind(username)
        .fetch_optional(&self.db()?)
        .await?;
        Ok(row.as_ref().map(user).transpose()?)
    }

    pub async fn list_users(&self) -> Result<Vec<UserRecord>> {
        let rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT {USER_COLUMNS} FROM users ORDER BY username"
        )))
        .fetch_all(&self.db()?)
        .await?;
        Ok(rows.iter().map(user).collect::<Result<_, _>>()?)
    }

    /// Changes a user's display name, e-mail, admin flag and (when given) password hash.
    pub async fn update_user(
        &self,
        id: &str,
        display_name: &str,
        email: Option<&str>,
        is_admin: bool,
        password_hash: Option<&str>,
        event: &NewAudit,
    ) -> Result<UserRecord> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query(
            "UPDATE users SET display_name = $2, email = $3, is_admin = $4, \
             password_hash = COALESCE($5, password_hash) WHERE id = $1",
        )
        .bind(id)
        .bind(display_name)
        .bind(email)
        .bind(i64::from(is_admin))
        .bind(password_hash)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound(format!("user '{id}'")));
        }
        audit::insert(&mut tx, event).await?;
        self.commit(tx, &[]).await?;
        self.get_user(id)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("user '{id}'")))
    }

    /// Adds a user to a team, or changes their role there.
    pub async fn set_member(
        &self,
        team_id: &str,
        user_id: &str,
        role: &str,
        event: &NewAudit,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO team_members (team_id, user_id, role, added_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (team_id, user_id) DO UPDATE SET role = $3",
        )
        .bind(team_id)
        .bind(user_id)
        .bind(role)
        .bind(now())
        .execute(&mut *tx)
        .await?;
        audit::insert(&mut tx, event).await?;
        self.commit(tx, &[]).await?;
        Ok(())
    }

    pub async fn remove_member(
        &self,
        team_id: &str,
        user_id: &str,
        event: &NewAudit,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query("DELETE FROM team_members WHERE team_id = $1 AND user_id = $2")
            .bind(team_id)
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound(format!(
                "membership of '{user_id}' in team '{team_id}'"
            )));
        }
        audit::insert(&mut tx, event).await?;
        self.commit(tx, &[]).await?;
        Ok(())
    }

    /// The members of a team, owners first.
    pub async fn team_members(&self, team_id: &str) -> Result<Vec<MemberRecord>> {
        let rows = sqlx::query(
            "SELECT m.team_id, m.user_id, u.username, u.display_name, m.role, m.added_at \
             FROM team_members m JOIN users u ON u.id = m.user_id WHERE m.team_id = $1 \
             ORDER BY CASE m.role WHEN 'owner' THEN 0 ELSE 1 END, u.username",
        )
        .bind(team_id)
        .fetch_all(&self.db()?)
        .await?;
        Ok(rows.iter().map(member).collect::<Result<_, _>>()?)
    }

    /// The teams a user belongs to, with their role in each.
    pub async fn memberships(&self, user_id: &str) -> Result<Vec<MemberRecord>> {
        let rows = sqlx::query(
            "SELECT m.team_id, m.user_id, u.username, u.display_name, m.role, m.added_at \
             FROM team_members m JOIN users u ON u.id = m.user_id WHERE m.user_id = $1 ORDER BY m.team_id",
        )
        .bind(user_id)
        .fetch_all(&self.db()?)
        .await?;
        Ok(rows.iter().map(member).collect::<Result<_, _>>()?)
    }

    /// A setting's value (`anonymous_read`, ...).
    pub async fn setting(&self, key: &str) -> Result<Option<String>> {
        Ok(
            sqlx::query_scalar("SELECT value FROM settings WHERE key = $1")
                .bind(key)
                .fetch_optional(&self.db()?)
                .await?,
        )
    }

    pub async fn set_setting(&self, key: &str, value: &str, event: &NewAudit) -> Result<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query("INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = $2")
            .bind(key)
            .bind(value)
            .execute(&mut *tx)
            .await?;
        audit::insert(&mut tx, event).await?;
        self.commit(tx, &[]).await?;
        Ok(())
    }
}

/// The error for a failed revision check: not found, or stale with the current revision.
pub(crate) async fn stale(
    conn: &mut sqlx::AnyConnection,
    table: &str,
    what: &str,
    id: &str,
) -> StoreError {
    let current: Result<Option<i64>, sqlx::Error> = sqlx::query_scalar(AssertSqlSafe(format!(
        "SELECT revision FROM {table} WHERE id = $1"
    )))
    .bind(id)
    .fetch_optional(conn)
    .await;
    match current {
        Ok(Some(current)) => StoreError::Stale {
            what: format!("{what} '{id}'"),
            current,
        },
        Ok(None) => StoreError::NotFound(format!("{what} '{id}'")),
        Err(e) => e.into(),
    }
}
