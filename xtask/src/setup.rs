//! Installs what the build and the test suite need, skipping quickly whatever is already there.
//! Everything comes from the package registries this machine can reach (crates.io, PyPI, npm,
//! Debian); nothing downloads binaries from elsewhere.
//!
//! On a fresh machine this is the long part of the first run, so it says what it is doing: each
//! step is announced with how long it took on a two-core machine, the independent steps run side
//! by side (each with its log under `target/setup/`), and a line every half minute says which are
//! still running and for how long.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::util::{Result, exists, output, run};

/// What a command needs.
#[derive(Clone, Copy, Debug)]
pub struct Needs {
    /// cargo-leptos and wasm-bindgen (building the UI).
    pub build: bool,
    /// wasm-opt (the optimised release WASM; `serve --dev` does without).
    pub optimise: bool,
    /// Chromium (Playwright, screenshots).
    pub browser: bool,
    /// npm packages of the Playwright suite.
    pub node: bool,
    /// The Python virtualenv with the interop clients.
    pub python: bool,
}

impl Needs {
    pub fn all() -> Needs {
        Needs {
            build: true,
            optimise: true,
            browser: true,
            node: true,
            python: true,
        }
    }

    /// What `cargo xtask serve` needs: the build tools only.
    pub fn serve(release: bool) -> Needs {
        Needs {
            build: true,
            optimise: release,
            browser: false,
            node: false,
            python: false,
        }
    }
}

const CARGO_LEPTOS: &str = "0.3.10";

/// One installation step that runs as a child process.
struct Step {
    name: &'static str,
    /// Minutes it took on a two-core machine with the other steps running beside it, for the
    /// announcement (measured from nothing on 2026-12-02: wasm-bindgen 6, wasm-opt 15, cargo-leptos
    /// 20 — the three side by side finish in about 21).
    minutes: &'static str,
    program: String,
    args: Vec<String>,
    env: Vec<(&'static str, String)>,
    dir: &'static str,
}

impl Step {
    fn new(name: &'static str, minutes: &'static str, program: &str, args: &[&str]) -> Step {
        Step {
            name,
            minutes,
            program: program.to_owned(),
            args: args.iter().map(|a| (*a).to_owned()).collect(),
            env: Vec::new(),
            dir: ".",
        }
    }
}

pub fn setup(needs: Needs) -> Result {
    let started = Instant::now();
    let mut steps = Vec::new();
    if needs.build {
        // rust-toolchain.toml names the WASM target; rustup installs it on first use. Make sure.
        let targets = output("rustup", &["target", "list", "--installed"]).unwrap_or_default();
        if !targets.contains("wasm32-unknown-unknown") {
            run("rustup", &["target", "add", "wasm32-unknown-unknown"], &[])?;
        }
        let leptos = output("cargo", &["leptos", "--version"]).unwrap_or_default();
        if !leptos.contains(CARGO_LEPTOS) {
            let mut step = Step::new(
                "cargo-leptos",
                "about 20",
                "cargo",
                &[
                    "install",
                    "--locked",
                    &format!("cargo-leptos@{CARGO_LEPTOS}"),
                    "--features",
                    "no_downloads",
                ],
            );
            // Its own release profile asks for fat LTO in one codegen unit, which triples the
            // compile time for a tool whose speed does not matter here.
            step.env = vec![
                ("CARGO_PROFILE_RELEASE_LTO", String::from("false")),
                ("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", String::from("16")),
            ];
            steps.push(step);
        }
        let bindgen = wasm_bindgen_version()?;
        let installed = output("wasm-bindgen", &["--version"]).unwrap_or_default();
        if !installed.split_whitespace().any(|w| w == bindgen) {
            // `--locked` fails for wasm-bindgen-cli here (a pinned dependency is missing).
            steps.push(Step::new(
                "wasm-bindgen",
                "about 6",
                "cargo",
                &[
                    "install",
                    "--force",
                    "wasm-bindgen-cli",
                    "--version",
                    &bindgen,
                ],
            ));
        }
    }
    if needs.optimise {
        // Debian's binaryen is too old (its output breaks hydration); build wasm-opt from source.
        let opt = output("wasm-opt", &["--version"]).unwrap_or_default();
        if !opt.contains("116") && !opt.contains("version 12") {
            steps.push(Step::new(
                "wasm-opt (binaryen, from source)",
                "about 15",
                "cargo",
                &["install", "--locked", "wasm-opt"],
            ));
        }
    }
    if needs.node {
        let stamp = "end2end/node_modules/.package-lock.json";
        let stale = !exists(stamp) || modified("end2end/package-lock.json") > modified(stamp);
        if stale {
            let mut step = Step::new(
                "Playwright (npm)",
                "under 1",
                "npm",
                &["ci", "--no-audit", "--no-fund"],
            );
            step.dir = "end2end";
            step.env = vec![("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", String::from("1"))];
            steps.push(step);
        }
    }
    let requirements = std::fs::read_to_string("interop/requirements.txt")
        .map_err(|e| format!("interop/requirements.txt: {e}"))?;
    let venv_stamp = ".venv/.meshwork-requirements";
    let python = needs.python
        && std::fs::read_to_string(venv_stamp).ok().as_deref() != Some(requirements.as_str());
    if python {
        if !exists(".venv/bin/python") {
            run("python3", &["-m", "venv", ".venv"], &[])?;
        }
        steps.push(Step::new(
            "Python clients (pip, into .venv)",
            "about 3",
            ".venv/bin/pip",
            &[
                "install",
                "--quiet",
                "--disable-pip-version-check",
                "-r",
                "interop/requirements.txt",
            ],
        ));
    }
    let browser = needs.browser && !exists("/usr/bin/chromium");

    if steps.is_empty() && !browser {
        return Ok(());
    }
    println!("\nSetting up what is missing (each step says how long it took on two cores):");
    if browser {
        // apt holds a lock of its own, so Chromium goes first and alone (about a minute).
        println!("  · Chromium from Debian (about 1 min)");
        run("apt-get", &["update", "-qq"], &[])?;
        run("apt-get", &["install", "-y", "-qq", "chromium"], &[])?;
    }
    run_side_by_side(steps)?;
    if python {
        std::fs::write(venv_stamp, requirements).map_err(|e| format!("{venv_stamp}: {e}"))?;
    }
    println!(
        "Set-up done in {}.\n",
        minutes_and_seconds(started.elapsed())
    );
    Ok(())
}

/// Runs the steps at once, each with its log in `target/setup/`, reporting as they go.
fn run_side_by_side(steps: Vec<Step>) -> Result {
    if steps.is_empty() {
        return Ok(());
    }
    let logs = PathBuf::from("target/setup");
    std::fs::create_dir_all(&logs).map_err(|e| format!("{}: {e}", logs.display()))?;
    let started = Instant::now();
    let mut running: Vec<(Step, Child, PathBuf)> = Vec::new();
    for step in steps {
        let log = logs.join(format!(
            "{}.log",
            step.name.split_whitespace().next().unwrap_or("step")
        ));
        let file = std::fs::File::create(&log).map_err(|e| format!("{}: {e}", log.display()))?;
        println!(
            "  · {} ({} min; log: {})",
            step.name,
            step.minutes,
            log.display()
        );
        let child = Command::new(&step.program)
            .args(&step.args)
            .current_dir(step.dir)
            .envs(step.env.iter().map(|(k, v)| (*k, v.as_str())))
            .stdout(file.try_clone().map_err(|e| e.to_string())?)
            .stderr(file)
            .stdin(Stdio::null())
            .spawn()
            .map_err(|e| format!("could not start {}: {e}", step.program))?;
        running.push((step, child, log));
    }
    let mut failed = Vec::new();
    let mut last_report = Instant::now();
    while !running.is_empty() {
        std::thread::sleep(Duration::from_millis(500));
        let mut i = 0;
        while i < running.len() {
            match running[i].1.try_wait() {
                Ok(Some(status)) => {
                    let (step, _, log) = running.remove(i);
                    if status.success() {
                        println!(
                            "  ✓ {} ({} after the start)",
                            step.name,
                            minutes_and_seconds(started.elapsed())
                        );
                    } else {
                        println!("  ✗ {} failed; the end of {}:", step.name, log.display());
                        print_tail(&log);
                        failed.push(step.name);
                    }
                }
                Ok(None) => i += 1,
                Err(e) => return Err(format!("waiting for {}: {e}", running[i].0.name)),
            }
        }
        if !running.is_empty() && last_report.elapsed() >= Duration::from_secs(30) {
            last_report = Instant::now();
            let names: Vec<&str> = running.iter().map(|(s, _, _)| s.name).collect();
            println!(
                "    … {}: still compiling {}",
                minutes_and_seconds(started.elapsed()),
                names.join(", ")
            );
        }
    }
    if failed.is_empty() {
        Ok(())
    } else {
        Err(format!("set-up failed: {}", failed.join(", ")))
    }
}

fn print_tail(log: &PathBuf) {
    let text = std::fs::read_to_string(log).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    for line in &lines[lines.len().saturating_sub(25)..] {
        println!("      {line}");
    }
}

pub fn minutes_and_seconds(d: Duration) -> String {
    let s = d.as_secs();
    if s >= 60 {
        format!("{} min {:02} s", s / 60, s % 60)
    } else {
        format!("{s} s")
    }
}

fn modified(path: &str) -> std::time::SystemTime {
    std::fs::metadata(path)
        .and_then(|m| m.modified())
        .unwrap_or(std::time::UNIX_EPOCH)
}

/// The `wasm-bindgen` crate version in Cargo.lock: the CLI must match it exactly.
pub fn wasm_bindgen_version() -> Result<String> {
    let lock = std::fs::read_to_string("Cargo.lock").map_err(|e| format!("Cargo.lock: {e}"))?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line == "name = \"wasm-bindgen\""
            && let Some(version) = lines.next().and_then(|l| l.strip_prefix("version = \""))
        {
            return Ok(version.trim_end_matches('"').to_owned());
        }
    }
    Err(String::from("wasm-bindgen is not in Cargo.lock"))
}
