//! The command-line interface: `serve`, `migrate`, `demo`, `token create`, `user create`,
//! `export`, `import`, `diff` and `policy`. Each subcommand calls the same use cases as the HTTP API.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Context;
use clap::{Parser, Subcommand};
use store::Store;
use workbench::{Actor, Workbench, WorkbenchConfig};

use crate::config::{DatabaseArgs, ServeArgs};
use crate::state::{AppState, Settings};

#[derive(Debug, Parser)]
#[command(
    name = "meshwork",
    version,
    about = "Meshwork: a self-hostable data mesh workbench"
)]
pub struct Cli {
    /// Log filter, e.g. `info` or `meshwork=debug,tower_http=info`.
    #[arg(long, env = "MESHWORK_LOG", default_value = "info", global = true)]
    pub log: String,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the web UI and the APIs (the default).
    Serve(ServeArgs),
    /// Create or upgrade the database schema, then exit.
    Migrate(DatabaseArgs),
    /// Load the demo organisation (idempotent) and turn anonymous reading on.
    Demo(DatabaseArgs),
    /// Manage API tokens.
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
    /// Manage local accounts.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Write the whole registry as YAML files into a directory.
    Export {
        #[command(flatten)]
        database: DatabaseArgs,
        /// The directory to write (created if missing).
        dir: PathBuf,
    },
    /// Load a directory written by `export` (idempotent).
    Import {
        #[command(flatten)]
        database: DatabaseArgs,
        /// The directory to read.
        dir: PathBuf,
    },
    /// Load a synthetic mesh of any size (for benchmarks), through the same use cases as real
    /// products.
    Synth {
        #[command(flatten)]
        database: DatabaseArgs,
        /// How many data products.
        #[arg(long, default_value_t = 1_000)]
        products: usize,
        /// Declared input ports per product, on average.
        #[arg(long, default_value_t = 2.0)]
        inputs: f64,
    },
    /// Compare two versions of a data contract, as `datacontract breaking` does: exit 1 when
    /// the change is breaking for the perspective, 0 when not, 2 when an input cannot be read.
    Diff {
        /// The older contract (YAML or JSON).
        old: PathBuf,
        /// The newer contract.
        new: PathBuf,
        #[arg(long, value_enum, default_value = "consumer")]
        perspective: crate::cli_governance::PerspectiveArg,
        #[arg(long, value_enum, default_value = "text")]
        format: crate::cli_governance::DiffFormat,
    },
    /// Check ODPS / ODCS files against the organisation's policies (a server's, or an exported
    /// bundle offline): exit 0 when nothing blocks, 1 when a publication would be refused, 2 for
    /// a usage error or an unreadable or invalid file.
    Check(crate::cli_governance::CheckArgs),
    /// Manage governance policies (as a platform admin, on the database).
    Policy {
        #[command(subcommand)]
        command: crate::cli_governance::PolicyCommand,
    },
    /// Lay out a graph file (DOT: `a -> b;` edges, `a [width=…, height=…];` nodes, sizes in
    /// inches) with Meshwork's layered layout, and print node positions like `dot -Tplain`.
    Layout {
        /// The graph file.
        file: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Create a token and print its secret (shown once).
    Create {
        #[command(flatten)]
        database: DatabaseArgs,
        /// A name to recognise the token by.
        #[arg(long)]
        name: String,
        /// The user the token acts as.
        #[arg(long, conflicts_with = "team", required_unless_present = "team")]
        user: Option<String>,
        /// The team the token acts for (CI pipelines).
        #[arg(long)]
        team: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create a local account.
    Create {
        #[command(flatten)]
        database: DatabaseArgs,
        #[arg(long)]
        username: String,
        #[arg(long)]
        display_name: Option<String>,
        /// The password (or set MESHWORK_PASSWORD).
        #[arg(long, env = "MESHWORK_PASSWORD", hide_env_values = true)]
        password: String,
        /// Make the user a platform admin.
        #[arg(long, default_value_t = false)]
        admin: bool,
    },
}

async fn open(database: &DatabaseArgs) -> anyhow::Result<Workbench> {
    let url = database.url()?;
    let store = Store::open(&url)
        .await
        .with_context(|| format!("opening the registry at {}", redact(&url)))?;
    Ok(Workbench::new(store, WorkbenchConfig::default()))
}

/// A database URL without its password, for messages.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let creds = &url[scheme + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        None => match Cli::try_parse_from(["meshwork", "serve"])?.command {
            Some(Command::Serve(args)) => serve(args).await,
            _ => unreachable!("`meshwork serve` parses as the serve command"),
        },
        Some(Command::Serve(args)) => serve(args).await,
        Some(Command::Layout { file }) => layout(&file),
        Some(Command::Diff {
            old,
            new,
            perspective,
            format,
        }) => {
            let code = crate::cli_governance::diff(&old, &new, perspective, format);
            use std::io::Write as _;
            let _ = std::io::stdout().flush();
            std::process::exit(code)
        }
        Some(Command::Check(args)) => {
            let code = crate::cli_governance::check(args).await;
            use std::io::Write as _;
            let _ = std::io::stdout().flush();
            std::process::exit(code)
        }
        Some(Command::Policy { command }) => {
            let wb = open(command.database()).await?;
            crate::cli_governance::policy(&wb, command).await
        }
        Some(Command::Synth {
            database,
            products,
            inputs,
        }) => {
            let wb = open(&database).await?;
            let started = std::time::Instant::now();
            let n = wb
                .load_synthetic(products, inputs)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            println!(
                "published {n} synthetic data products in {:.1} s",
                started.elapsed().as_secs_f64()
            );
            Ok(())
        }
        Some(Command::Migrate(db)) => {
            open(&db).await?;
            println!("the registry schema is up to date");
            Ok(())
        }
        Some(Command::Demo(db)) => {
            let wb = open(&db).await?;
            let n = wb.load_demo().await.map_err(|e| anyhow::anyhow!("{e}"))?;
            println!(
                "demo mesh loaded ({n} publications); sign in as admin / alice / bob with password {}",
                workbench::demo::DEMO_PASSWORD
            );
            Ok(())
        }
        Some(Command::Token {
            command:
                TokenCommand::Create {
                    database,
                    name,
                    user,
                    team,
                },
        }) => {
            let wb = open(&database).await?;
            let actor = match &user {
                Some(username) => {
                    let record = wb
                        .store()
                        .get_user_by_username(username)
                        .await?
                        .ok_or_else(|| anyhow::anyhow!("user '{username}' does not exist"))?;
                    Actor {
                        principal: workbench::Principal::User {
                            memberships: wb.store().memberships(&record.id).await?,
                            user: record,
                        },
                        anonymous_read: false,
                    }
                }
                None => Actor::system(),
            };
            let created = wb
                .create_token(
                    &actor,
                    &views::TokenInput {
                        name,
                        team_id: team,
                    },
                )
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            println!("{}", created.secret);
            eprintln!(
                "token '{}' created; the secret above is shown only once",
                created.token.name
            );
            Ok(())
        }
        Some(Command::User {
            command:
                UserCommand::Create {
                    database,
                    username,
                    display_name,
                    password,
                    admin,
                },
        }) => {
            let wb = open(&database).await?;
            let input = views::UserInput {
                display_name: display_name.unwrap_or_else(|| username.clone()),
                username,
                email: None,
                password: Some(password),
                is_admin: admin,
            };
            let user = wb
                .create_user(&Actor::system(), &input)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            println!(
                "user '{}' created{}",
                user.username,
                if user.is_admin {
                    " (platform admin)"
                } else {
                    ""
                }
            );
            Ok(())
        }
        Some(Command::Export { database, dir }) => {
            let wb = open(&database).await?;
            let files = wb
                .export_registry(&Actor::system())
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            for f in &files {
                let path = dir.join(&f.path);
                if let Some(parent) = path.parent() {
                    std::fs::create_dir_all(parent)?;
                }
                std::fs::write(&path, &f.content)
                    .with_context(|| format!("writing {}", path.display()))?;
            }
            println!("exported {} files to {}", files.len(), dir.display());
            Ok(())
        }
        Some(Command::Import { database, dir }) => {
            let wb = open(&database).await?;
            let files = read_tree(&dir)?;
            let report = wb
                .import_registry(&Actor::system(), &files)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            println!("{}", serde_json::to_string_pretty(&report)?);
            Ok(())
        }
    }
}

/// Every file under `dir`, by path relative to it (with `/` separators).
fn read_tree(dir: &Path) -> anyhow::Result<HashMap<String, String>> {
    let mut out = HashMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(current) = stack.pop() {
        for entry in
            std::fs::read_dir(&current).with_context(|| format!("reading {}", current.display()))?
        {
            let path = entry?.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let relative = path.strip_prefix(dir)?.to_string_lossy().replace('\\', "/");
                out.insert(
                    relative,
                    std::fs::read_to_string(&path)
                        .with_context(|| format!("reading {}", path.display()))?,
                );
            }
        }
    }
    Ok(out)
}

/// The Leptos options: the site (CSS, JS, WASM) under `LEPTOS_SITE_ROOT`, default `target/site`.
pub fn leptos_options(addr: std::net::SocketAddr) -> leptos::config::LeptosOptions {
    let env = |k: &str, d: &str| std::env::var(k).unwrap_or_else(|_| d.to_owned());
    leptos::config::LeptosOptions::builder()
        .output_name(env("LEPTOS_OUTPUT_NAME", "meshwork"))
        .site_root(env("LEPTOS_SITE_ROOT", "target/site"))
        .site_pkg_dir(env("LEPTOS_SITE_PKG_DIR", "pkg"))
        .site_addr(addr)
        .build()
}

/// `meshwork layout FILE`: positions in inches, one `node name x y width height` line each,
/// between `graph 1 width height` and `stop`, as `dot -Tplain` prints them.
fn layout(file: &Path) -> anyhow::Result<()> {
    use std::io::Write;
    let text =
        std::fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))?;
    let (names, graph) = lineage::dot::parse_plain_dot(&text)
        .map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
    let placed = lineage::layout::layout(&graph, &lineage::layout::LayoutOptions::default());
    let inch = |v: f64| v / 72.0;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    writeln!(
        out,
        "graph 1 {:.3} {:.3}",
        inch(placed.width),
        inch(placed.height)
    )?;
    for (i, p) in placed.nodes.iter().enumerate() {
        writeln!(
            out,
            "node {} {:.3} {:.3} {:.3} {:.3}",
            names[i],
            inch(p.x),
            inch(placed.height - p.y),
            inch(graph.nodes[i].width),
            inch(graph.nodes[i].height)
        )?;
    }
    for &(a, b) in &graph.edges {
        writeln!(out, "edge {} {}", names[a], names[b])?;
    }
    writeln!(out, "stop")?;
    out.flush()?;
    Ok(())
}

async fn serve(args: ServeArgs) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let url = args.database.url()?;
    let store = Store::open(&url)
        .await
        .with_context(|| format!("opening the registry at {}", redact(&url)))?;
    let config = WorkbenchConfig {
        anonymous_read: args.anonymous_read,
        admin_token: args.admin_token.clone().filter(|t| !t.is_empty()),
        no_read_cache: args.no_read_cache,
    };
    let workbench = Workbench::new(store, config);
    if args.demo {
        let n = workbench
            .load_demo()
            .await
            .map_err(|e| anyhow::anyhow!("loading the demo: {e}"))?;
        tracing::info!(publications = n, "demo mesh loaded");
    }
    workbench
        .start_lineage()
        .await
        .map_err(|e| anyhow::anyhow!("loading the lineage graph: {e}"))?;
    workbench.start_governance_schedule();
    let state = AppState::new(
        workbench,
        leptos_options(args.addr),
        Arc::new(Settings {
            secure_cookies: args.secure_cookies,
            no_read_cache: args.no_read_cache,
        }),
    );
    let listener = tokio::net::TcpListener::bind(args.addr)
        .await
        .with_context(|| format!("listening on {}", args.addr))?;
    tracing::info!(addr = %args.addr, database = %redact(&url), ready_in_ms = started.elapsed().as_millis() as u64, "meshwork is ready");
    println!("Meshwork is ready on http://{}", args.addr);
    axum::serve(listener, crate::app(state))
        .with_graceful_shutdown(shutdown())
        .await?;
    Ok(())
}

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = terminate => {} }
    tracing::info!("shutting down");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_never_reach_messages() {
        assert_eq!(
            redact("postgres://u:secret@h:5432/db"),
            "postgres://u:***@h:5432/db"
        );
        assert_eq!(redact("sqlite://data/m.db"), "sqlite://data/m.db");
    }
}
