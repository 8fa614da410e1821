//! Installs what the build and the test suite need, skipping quickly whatever is already there.
//! Everything comes from the package registries this machine can reach (crates.io, PyPI, npm,
//! Debian); nothing downloads binaries from elsewhere.

use crate::util::{Result, exists, output, run, run_in};

/// What a command needs.
#[derive(Clone, Copy, Debug)]
pub struct Needs {
    /// cargo-leptos, wasm-bindgen, wasm-opt (building the UI).
    pub build: bool,
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
            browser: true,
            node: true,
            python: true,
        }
    }
}

const CARGO_LEPTOS: &str = "0.3.10";

pub fn setup(needs: Needs) -> Result {
    if needs.build {
        // rust-toolchain.toml names the WASM target; rustup installs it on first use. Make sure.
        let targets = output("rustup", &["target", "list", "--installed"]).unwrap_or_default();
        if !targets.contains("wasm32-unknown-unknown") {
            run("rustup", &["target", "add", "wasm32-unknown-unknown"], &[])?;
        }
        let leptos = output("cargo", &["leptos", "--version"]).unwrap_or_default();
        if !leptos.contains(CARGO_LEPTOS) {
            run(
                "cargo",
                &[
                    "install",
                    "--locked",
                    &format!("cargo-leptos@{CARGO_LEPTOS}"),
                    "--features",
                    "no_downloads",
                ],
                &[],
            )?;
        }
        let bindgen = wasm_bindgen_version()?;
        let installed = output("wasm-bindgen", &["--version"]).unwrap_or_default();
        if !installed.split_whitespace().any(|w| w == bindgen) {
            // `--locked` fails for wasm-bindgen-cli here (a pinned dependency is missing).
            run(
                "cargo",
                &[
                    "install",
                    "--force",
                    "wasm-bindgen-cli",
                    "--version",
                    &bindgen,
                ],
                &[],
            )?;
        }
        // Debian's binaryen is too old (its output breaks hydration); build wasm-opt from source.
        let opt = output("wasm-opt", &["--version"]).unwrap_or_default();
        if !opt.contains("116") && !opt.contains("version 12") {
            run("cargo", &["install", "--locked", "wasm-opt"], &[])?;
        }
    }
    if needs.browser && !exists("/usr/bin/chromium") {
        run("apt-get", &["update"], &[])?;
        run("apt-get", &["install", "-y", "chromium"], &[])?;
    }
    if needs.node {
        let stamp = "end2end/node_modules/.package-lock.json";
        let stale = !exists(stamp) || modified("end2end/package-lock.json") > modified(stamp);
        if stale {
            run_in(
                "end2end",
                "npm",
                &["ci", "--no-audit", "--no-fund"],
                &[("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")],
            )?;
        }
    }
    if needs.python {
        if !exists(".venv/bin/python") {
            run("python3", &["-m", "venv", ".venv"], &[])?;
        }
        let requirements = std::fs::read_to_string("interop/requirements.txt")
            .map_err(|e| format!("interop/requirements.txt: {e}"))?;
        let stamp = ".venv/.meshwork-requirements";
        if std::fs::read_to_string(stamp).ok().as_deref() != Some(requirements.as_str()) {
            run(
                ".venv/bin/pip",
                &[
                    "install",
                    "--quiet",
                    "--disable-pip-version-check",
                    "-r",
                    "interop/requirements.txt",
                ],
                &[],
            )?;
            std::fs::write(stamp, requirements).map_err(|e| format!("{stamp}: {e}"))?;
        }
    }
    Ok(())
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
