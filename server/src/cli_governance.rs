//! The governance commands: `meshwork diff` (contract evolution, like `datacontract breaking`)
//! and `meshwork policy …` (platform admins, on the database like the other commands).

use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::Subcommand;
use governance::{DiffReport, Level, Perspective};
use serde_json::Value;
use workbench::{Actor, Workbench};

use crate::config::DatabaseArgs;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DiffFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum PerspectiveArg {
    Consumer,
    Producer,
}

#[derive(Debug, Subcommand)]
pub enum PolicyCommand {
    /// List the policies with their state and how many products fail them.
    List {
        #[command(flatten)]
        database: DatabaseArgs,
    },
    /// Show one policy as YAML, with its versions.
    Show {
        #[command(flatten)]
        database: DatabaseArgs,
        id: String,
    },
    /// Create or change policies from a YAML or JSON file (one policy, or a list).
    Apply {
        #[command(flatten)]
        database: DatabaseArgs,
        file: PathBuf,
    },
    /// Dry-run a policy from a file (or the stored one by id) over the whole registry.
    DryRun {
        #[command(flatten)]
        database: DatabaseArgs,
        /// A policy file, or the id of a stored policy.
        policy: String,
        /// Print the products as CSV.
        #[arg(long)]
        csv: bool,
    },
    /// Delete a policy that was only ever a draft.
    Delete {
        #[command(flatten)]
        database: DatabaseArgs,
        id: String,
    },
    /// Install the starter pack (policies that exist are left alone).
    Starter {
        #[command(flatten)]
        database: DatabaseArgs,
    },
    /// Re-evaluate every product now.
    Run {
        #[command(flatten)]
        database: DatabaseArgs,
    },
    /// Write the policy bundle for offline checks (`meshwork check --bundle FILE`).
    Export {
        #[command(flatten)]
        database: DatabaseArgs,
        /// Where to write it (YAML); standard output when absent.
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

/// Reads a contract for `diff`; unreadable input is exit code 2.
fn read_contract(path: &Path) -> Result<Value, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let (value, _) = domain::parse_document(&text)
        .map_err(|e| format!("{} is not YAML or JSON: {}", path.display(), e.message))?;
    if !value.is_object() {
        return Err(format!("{} is not a data contract", path.display()));
    }
    Ok(value)
}

/// `meshwork diff OLD NEW`: prints the changes and returns the exit code — 1 when the change is
/// breaking for the perspective, 0 when not, 2 when an input cannot be read.
pub fn diff(old: &Path, new: &Path, perspective: PerspectiveArg, format: DiffFormat) -> i32 {
    let (old, new) = match (read_contract(old), read_contract(new)) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(e), _) | (_, Err(e)) => {
            eprintln!("meshwork diff: {e}");
            return 2;
        }
    };
    let perspective = match perspective {
        PerspectiveArg::Consumer => Perspective::Consumer,
        PerspectiveArg::Producer => Perspective::Producer,
    };
    let report = governance::diff_contracts(&old, &new, perspective);
    match format {
        DiffFormat::Json => println!("{}", diff_json(&report)),
        DiffFormat::Text => print!("{}", diff_text(&report)),
    }
    i32::from(report.breaking)
}

/// The JSON of `meshwork diff --format json`: `{"breaking", "entries": [{"level", "change",
/// "path", "rule", "old", "new"}]}`.
pub fn diff_json(report: &DiffReport) -> String {
    let entries: Vec<Value> = report
        .entries
        .iter()
        .map(|e| {
            serde_json::json!({
                "level": e.level,
                "change": e.change,
                "path": e.path,
                "rule": e.rule,
                "old": e.old,
                "new": e.new,
            })
        })
        .collect();
    serde_json::to_string_pretty(&serde_json::json!({
        "breaking": report.breaking,
        "perspective": report.perspective,
        "entries": entries,
    }))
    .unwrap_or_default()
}

/// The text of `meshwork diff`: a summary line, then one block per change, worst first.
pub fn diff_text(report: &DiffReport) -> String {
    use std::fmt::Write as _;
    let count = |l: Level| report.entries.iter().filter(|e| e.level == l).count();
    let (errors, warnings, infos) = (
        count(Level::Error),
        count(Level::Warning),
        count(Level::Info),
    );
    let who = match report.perspective {
        Perspective::Consumer => "consumers",
        Perspective::Producer => "producers",
    };
    let mut out = String::new();
    if report.entries.is_empty() {
        let _ = writeln!(out, "No changes.");
        return out;
    }
    let _ = writeln!(
        out,
        "{} for {who}: {errors} error{}, {warnings} warning{}, {infos} info.",
        if report.breaking {
            "Breaking"
        } else {
            "Not breaking"
        },
        if errors == 1 { "" } else { "s" },
        if warnings == 1 { "" } else { "s" },
    );
    let mut entries: Vec<_> = report.entries.iter().collect();
    entries.sort_by_key(|e| e.level);
    for e in entries {
        let _ = writeln!(out, "\n{:<7} {}  {}", e.level.as_str(), e.rule, e.path);
        let _ = writeln!(out, "        {}", e.message);
        match (&e.old, &e.new) {
            (Some(o), Some(n)) => {
                let _ = writeln!(out, "        {o} → {n}");
            }
            (Some(o), None) => {
                let _ = writeln!(out, "        was {o}");
            }
            (None, Some(n)) => {
                let _ = writeln!(out, "        now {n}");
            }
            (None, None) => {}
        }
    }
    out
}

fn fail(e: workbench::WorkbenchError) -> anyhow::Error {
    match &e {
        workbench::WorkbenchError::Invalid { findings, .. } => {
            let lines: Vec<String> = findings
                .iter()
                .map(|f| format!("  {} {}: {}", f.severity.as_str(), f.path, f.message))
                .collect();
            anyhow::anyhow!("{e}\n{}", lines.join("\n"))
        }
        _ => anyhow::anyhow!("{e}"),
    }
}

/// Policies in a file: one document, or a list of them.
fn read_policies(path: &Path) -> anyhow::Result<Vec<Value>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let (value, _) = domain::parse_document(&text)
        .map_err(|e| anyhow::anyhow!("{} is not YAML or JSON: {}", path.display(), e.message))?;
    Ok(match value {
        Value::Array(items) => items,
        Value::Object(ref o) if o.contains_key("policies") => {
            o["policies"].as_array().cloned().unwrap_or_default()
        }
        other => vec![other],
    })
}

pub async fn policy(wb: &Workbench, command: PolicyCommand) -> anyhow::Result<()> {
    let actor = Actor::system();
    match command {
        PolicyCommand::List { .. } => {
            for p in wb.list_policies(&actor).await.map_err(fail)? {
                let state = p.policy["state"].as_str().unwrap_or_default();
                let grace = p.policy["graceUntil"]
                    .as_str()
                    .map(|d| format!(" until {d}"))
                    .unwrap_or_default();
                println!(
                    "{:<30} v{:<3} {:<10} {:<8} {:>4} failing of {:>4}  {}{grace}",
                    p.policy["id"].as_str().unwrap_or_default(),
                    p.policy["version"].as_i64().unwrap_or_default(),
                    state,
                    p.policy["severity"].as_str().unwrap_or_default(),
                    p.failing,
                    p.applicable,
                    p.policy["title"].as_str().unwrap_or_default(),
                );
            }
        }
        PolicyCommand::Show { id, .. } => {
            let detail = wb.policy_detail(&actor, &id).await.map_err(fail)?;
            print!("{}", domain::to_yaml(&detail.current.policy));
            println!("# versions:");
            for v in &detail.versions {
                println!(
                    "#   {} {} {} by {}",
                    v.version, v.state, v.created_at, v.created_by
                );
            }
            println!("# failing products: {}", detail.failing.len());
        }
        PolicyCommand::Apply { file, .. } => {
            for doc in read_policies(&file)? {
                let id = doc["id"].as_str().unwrap_or_default().to_owned();
                let current = wb
                    .policy_detail(&actor, &id)
                    .await
                    .ok()
                    .and_then(|d| d.versions.first().map(|v| v.version));
                let view = wb.save_policy(&actor, &doc, current).await.map_err(fail)?;
                println!(
                    "{id}: version {} ({})",
                    view.policy["version"].as_i64().unwrap_or_default(),
                    view.policy["state"].as_str().unwrap_or_default()
                );
            }
        }
        PolicyCommand::DryRun { policy, csv, .. } => {
            let doc = if Path::new(&policy).is_file() {
                read_policies(Path::new(&policy))?
                    .into_iter()
                    .next()
                    .ok_or_else(|| anyhow::anyhow!("{policy} holds no policy"))?
            } else {
                wb.policy_detail(&actor, &policy)
                    .await
                    .map_err(fail)?
                    .current
                    .policy
            };
            let result = wb.dry_run_policy(&actor, &doc).await.map_err(fail)?;
            if csv {
                print!("{}", workbench::dry_run_csv(&result));
            } else {
                println!(
                    "{}: {} products evaluated, {} newly failing, {} newly passing",
                    result.policy,
                    result.evaluated,
                    result.newly_failing.len(),
                    result.newly_passing.len()
                );
                for c in &result.newly_failing {
                    println!(
                        "  fails  {:<40} {:<14} {}{}",
                        c.product,
                        c.domain,
                        c.team,
                        if c.would_block {
                            "  (would block its next publish)"
                        } else {
                            ""
                        }
                    );
                }
                for c in &result.newly_passing {
                    println!("  passes {:<40} {:<14} {}", c.product, c.domain, c.team);
                }
            }
        }
        PolicyCommand::Delete { id, .. } => {
            wb.delete_policy(&actor, &id).await.map_err(fail)?;
            println!("deleted policy '{id}'");
        }
        PolicyCommand::Starter { .. } => {
            let n = wb.install_starter_pack(&actor).await.map_err(fail)?;
            println!("installed {n} starter policies");
        }
        PolicyCommand::Export { out, .. } => {
            let bundle = wb.policy_bundle(&actor).await.map_err(fail)?;
            let text = format!(
                "# Meshwork policy bundle: meshwork check --bundle <this file> FILE...\n{}",
                domain::to_yaml(&serde_json::to_value(&bundle)?)
            );
            match out {
                Some(path) => {
                    std::fs::write(&path, text)
                        .with_context(|| format!("writing {}", path.display()))?;
                    eprintln!(
                        "wrote {} policies to {}",
                        bundle.policies.len(),
                        path.display()
                    );
                }
                None => print!("{text}"),
            }
        }
        PolicyCommand::Run { .. } => {
            let run = wb.reevaluate("meshwork policy run").await.map_err(fail)?;
            println!(
                "evaluated {} products: {} findings, {} blocking",
                run.products, run.findings, run.blocking
            );
        }
    }
    Ok(())
}

impl PolicyCommand {
    pub fn database(&self) -> &DatabaseArgs {
        match self {
            PolicyCommand::List { database }
            | PolicyCommand::Show { database, .. }
            | PolicyCommand::Apply { database, .. }
            | PolicyCommand::DryRun { database, .. }
            | PolicyCommand::Delete { database, .. }
            | PolicyCommand::Starter { database }
            | PolicyCommand::Run { database }
            | PolicyCommand::Export { database, .. } => database,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CheckFormat {
    Text,
    Json,
    Github,
    Junit,
}

/// `meshwork check`'s arguments.
#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// ODPS and ODCS files (YAML or JSON). A product is checked together with the contracts
    /// among the files that its output ports name; other contracts are checked on their own.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Check against this Meshwork server's policies (its URL, e.g. https://meshwork.acme.example).
    #[arg(long, conflicts_with = "bundle", required_unless_present = "bundle")]
    pub server: Option<String>,
    /// The API token for --server.
    #[arg(long, env = "MESHWORK_TOKEN", hide_env_values = true)]
    pub token: Option<String>,
    /// Check offline against an exported policy bundle (GET /api/v1/governance/bundle, or
    /// `meshwork policy export`).
    #[arg(long)]
    pub bundle: Option<PathBuf>,
    #[arg(long, value_enum, default_value = "text")]
    pub format: CheckFormat,
    /// Treat grace periods as over: will this pass after the deadline?
    #[arg(long)]
    pub strict: bool,
    /// Compare contracts with this earlier version instead of the published one.
    #[arg(long)]
    pub base: Vec<PathBuf>,
}

/// A file read for `check`.
struct Checked {
    path: String,
    source: workbench::SourceDoc,
    /// `product`, or the contract's id.
    key: Option<String>,
}

fn read_document(path: &Path) -> Result<Checked, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let source =
        workbench::SourceDoc::parse(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    let kind = source.value.get("kind").and_then(Value::as_str);
    let key = match kind {
        Some("DataProduct") => None,
        Some("DataContract") => Some(
            source
                .value
                .get("id")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned(),
        ),
        _ => {
            return Err(format!(
                "{} is neither a data product (kind: DataProduct) nor a data contract (kind: DataContract)",
                path.display()
            ));
        }
    };
    Ok(Checked {
        path: path.display().to_string(),
        source,
        key,
    })
}

/// Where the findings of a check go: the policy findings per submission, or why it could not
/// be evaluated.
enum Outcome {
    Evaluated(views::Evaluation),
    /// The documents are not valid ODPS / ODCS (exit 2).
    Invalid(Vec<domain::Finding>),
}

async fn evaluate_online(
    server: &str,
    token: Option<&str>,
    body: Value,
) -> Result<Outcome, String> {
    let url = format!(
        "{}/api/v1/governance/evaluate",
        server.trim_end_matches('/')
    );
    let token = token.map(str::to_owned);
    let answer = tokio::task::spawn_blocking(move || {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(std::time::Duration::from_secs(60)))
            .build()
            .into();
        let mut request = agent.post(&url).header("content-type", "application/json");
        if let Some(t) = &token {
            request = request.header("authorization", &format!("Bearer {t}"));
        }
        let mut response = request
            .send(body.to_string())
            .map_err(|e| format!("{url}: {e}"))?;
        let status = response.status().as_u16();
        let text = response
            .body_mut()
            .read_to_string()
            .map_err(|e| format!("{url}: {e}"))?;
        Ok::<_, String>((status, text))
    })
    .await
    .map_err(|e| e.to_string())??;
    let (status, text) = answer;
    let value: Value = serde_json::from_str(&text)
        .map_err(|_| format!("the server answered {status} with something that is not JSON"))?;
    match status {
        200 => serde_json::from_value(value)
            .map(Outcome::Evaluated)
            .map_err(|e| format!("unexpected answer from the server: {e}")),
        422 => Ok(Outcome::Invalid(
            serde_json::from_value(value["error"]["findings"].clone()).unwrap_or_default(),
        )),
        _ => Err(format!(
            "the server answered {status}: {}",
            value["error"]["message"].as_str().unwrap_or(&text)
        )),
    }
}

/// `meshwork check FILE…`: the exit code (0 nothing blocks, 1 blocked, 2 usage or input).
pub async fn check(args: CheckArgs) -> i32 {
    let mut files = Vec::new();
    for path in &args.files {
        match read_document(path) {
            Ok(f) => files.push(f),
            Err(e) => {
                eprintln!("meshwork check: {e}");
                return 2;
            }
        }
    }
    let mut base = Vec::new();
    for path in &args.base {
        match read_document(path) {
            Ok(f) if f.key.is_some() => base.push(f.source),
            Ok(_) => {
                eprintln!(
                    "meshwork check: --base takes data contracts; {} is a data product",
                    path.display()
                );
                return 2;
            }
            Err(e) => {
                eprintln!("meshwork check: {e}");
                return 2;
            }
        }
    }
    let bundle = match &args.bundle {
        None => None,
        Some(path) => {
            let read = std::fs::read_to_string(path)
                .map_err(|e| format!("cannot read {}: {e}", path.display()))
                .and_then(|text| {
                    domain::parse_document(&text)
                        .map_err(|e| format!("{}: {}", path.display(), e.message))
                })
                .and_then(|(value, _)| {
                    serde_json::from_value::<workbench::Bundle>(value)
                        .map_err(|e| format!("{} is not a policy bundle: {e}", path.display()))
                });
            match read {
                Ok(b) => Some(b),
                Err(e) => {
                    eprintln!("meshwork check: {e}");
                    return 2;
                }
            }
        }
    };
    // Each product with the contracts among the files that its ports name; the rest alone.
    let mut groups: Vec<(Option<usize>, Vec<usize>)> = Vec::new();
    let mut grouped = vec![false; files.len()];
    for (i, f) in files.iter().enumerate() {
        if f.key.is_some() {
            continue;
        }
        let named: Vec<String> = f.source.value["outputPorts"]
            .as_array()
            .map(|ports| {
                ports
                    .iter()
                    .filter_map(|p| p["contractId"].as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default();
        let members: Vec<usize> = files
            .iter()
            .enumerate()
            .filter(|(_, c)| c.key.as_ref().is_some_and(|k| named.contains(k)))
            .map(|(j, _)| j)
            .collect();
        for &j in &members {
            grouped[j] = true;
        }
        grouped[i] = true;
        groups.push((Some(i), members));
    }
    let alone: Vec<usize> = (0..files.len()).filter(|&j| !grouped[j]).collect();
    if !alone.is_empty() {
        groups.push((None, alone));
    }

    let mut per_file: Vec<(String, Vec<views::PolicyFinding>)> =
        files.iter().map(|f| (f.path.clone(), Vec::new())).collect();
    let mut blocked = false;
    let mut invalid = false;
    for (product, contracts) in &groups {
        let product_doc = product.map(|i| &files[i].source);
        let contract_docs: Vec<workbench::SourceDoc> =
            contracts.iter().map(|&j| files[j].source.clone()).collect();
        let outcome = match &bundle {
            Some(b) => {
                match workbench::check_offline(b, product_doc, &contract_docs, &base, args.strict) {
                    Ok(e) => Ok(Outcome::Evaluated(e)),
                    Err(workbench::WorkbenchError::Invalid { findings, .. }) => {
                        Ok(Outcome::Invalid(findings))
                    }
                    Err(e) => Err(e.to_string()),
                }
            }
            None => {
                let body = serde_json::json!({
                    "product": product_doc.map(|p| p.value.clone()),
                    "contracts": contract_docs.iter().map(|c| c.value.clone()).collect::<Vec<_>>(),
                    "base": base.iter().map(|c| c.value.clone()).collect::<Vec<_>>(),
                    "strict": args.strict,
                });
                evaluate_online(
                    args.server.as_deref().unwrap_or_default(),
                    args.token.as_deref(),
                    body,
                )
                .await
            }
        };
        let file_of = |document: &str| -> usize {
            match document.strip_prefix("contract:") {
                Some(id) => contracts
                    .iter()
                    .copied()
                    .find(|&j| files[j].key.as_deref() == Some(id))
                    .or(*product)
                    .unwrap_or(contracts[0]),
                None => product.unwrap_or_else(|| contracts[0]),
            }
        };
        match outcome {
            Err(e) => {
                eprintln!("meshwork check: {e}");
                return 2;
            }
            Ok(Outcome::Invalid(findings)) => {
                invalid = true;
                for f in findings.iter().filter(|f| f.is_error()) {
                    eprintln!(
                        "{}: {} {}: {}",
                        files[file_of(&f.document)].path,
                        f.severity.as_str(),
                        if f.path.is_empty() { "/" } else { &f.path },
                        f.message
                    );
                }
            }
            Ok(Outcome::Evaluated(evaluation)) => {
                blocked |= evaluation.blocked;
                for f in evaluation.findings {
                    per_file[file_of(&f.document)].1.push(f);
                }
            }
        }
    }
    if invalid {
        eprintln!("meshwork check: fix the documents above first (they are not valid ODPS / ODCS)");
        return 2;
    }
    match args.format {
        CheckFormat::Json => {
            let out = serde_json::json!({
                "blocked": blocked,
                "files": per_file
                    .iter()
                    .map(|(file, findings)| serde_json::json!({"file": file, "findings": findings}))
                    .collect::<Vec<_>>(),
            });
            println!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
        }
        CheckFormat::Github => {
            for (file, findings) in &per_file {
                print!("{}", workbench::github_annotations(file, findings));
            }
        }
        CheckFormat::Junit => print!("{}", workbench::junit_report(&per_file)),
        CheckFormat::Text => print!("{}", check_text(&per_file, blocked, args.strict)),
    }
    i32::from(blocked)
}

/// The pretty output of `meshwork check`: findings grouped by file, each with its fix.
fn check_text(
    per_file: &[(String, Vec<views::PolicyFinding>)],
    blocked: bool,
    strict: bool,
) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let mut total = 0;
    for (file, findings) in per_file {
        if findings.is_empty() {
            let _ = writeln!(out, "{file}: passes");
            continue;
        }
        let _ = writeln!(out, "{file}:");
        for f in findings {
            total += 1;
            let mark = if f.blocking {
                "BLOCKS "
            } else if f.waived_by.is_some() {
                "waived "
            } else {
                f.severity.as_str()
            };
            let _ = writeln!(
                out,
                "  {mark:<8} {} ({})  {}",
                f.policy,
                f.title,
                if f.path.is_empty() { "/" } else { &f.path }
            );
            let _ = writeln!(out, "           {}", f.message);
            if let Some(fix) = &f.fix {
                let _ = writeln!(out, "           fix: {fix}");
            }
        }
    }
    let _ = writeln!(
        out,
        "\n{} finding{}; {}{}",
        total,
        if total == 1 { "" } else { "s" },
        if blocked {
            "a publication would be refused"
        } else {
            "nothing blocks a publication"
        },
        if strict {
            " (grace periods treated as over)"
        } else {
            ""
        }
    );
    out
}
