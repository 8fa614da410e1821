//! Configuration from flags and environment variables, with defaults that make `meshwork serve`
//! work with no configuration at all: SQLite under `./data`, 127.0.0.1:3000.

use std::net::SocketAddr;

use clap::Args;

/// Settings shared by every command that opens the registry.
#[derive(Clone, Debug, Args)]
pub struct DatabaseArgs {
    /// `sqlite://path/to/file.db` or `postgres://user@host:port/db`. Default: a SQLite file in
    /// the data directory.
    #[arg(long, env = "DATABASE_URL")]
    pub database_url: Option<String>,
    /// Where the default SQLite database lives.
    #[arg(long, env = "MESHWORK_DATA_DIR", default_value = "data")]
    pub data_dir: String,
}

impl DatabaseArgs {
    /// The database URL, creating the data directory for the default SQLite file.
    pub fn url(&self) -> anyhow::Result<String> {
        match &self.database_url {
            Some(url) if !url.is_empty() => Ok(url.clone()),
            _ => {
                std::fs::create_dir_all(&self.data_dir)?;
                Ok(format!(
                    "sqlite://{}/meshwork.db",
                    self.data_dir.trim_end_matches('/')
                ))
            }
        }
    }
}

/// Settings of `meshwork serve`.
#[derive(Clone, Debug, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub database: DatabaseArgs,
    /// Address to listen on.
    #[arg(long, env = "MESHWORK_ADDR", default_value = "127.0.0.1:3000")]
    pub addr: SocketAddr,
    /// An API token with admin rights (for CI and the first start).
    #[arg(long, env = "MESHWORK_ADMIN_TOKEN", hide_env_values = true)]
    pub admin_token: Option<String>,
    /// Let people who are not signed in read the catalog.
    #[arg(long, env = "MESHWORK_ANONYMOUS_READ", default_value_t = false)]
    pub anonymous_read: bool,
    /// Load the demo mesh at start-up (does nothing if it is already loaded).
    #[arg(long, env = "MESHWORK_DEMO", default_value_t = false)]
    pub demo: bool,
    /// Mark the session cookie `Secure` (set this when serving over HTTPS).
    #[arg(long, env = "MESHWORK_SECURE_COOKIES", default_value_t = false)]
    pub secure_cookies: bool,
    /// Compute every answer afresh: no response cache, no remembered tokens and sessions (for
    /// comparing, and for ruling the caches out when something looks stale).
    #[arg(long, env = "MESHWORK_NO_READ_CACHE", default_value_t = false)]
    pub no_read_cache: bool,
}
