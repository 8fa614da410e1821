//! Project automation, in Rust rather than long shell scripts:
//!
//! - `cargo xtask setup` installs what is missing (WASM target, cargo-leptos, wasm-bindgen,
//!   wasm-opt, Chromium, npm and Python packages) and skips quickly what is there;
//! - `cargo xtask serve [--demo] [--dev]` builds Meshwork and serves it on 127.0.0.1:3000;
//! - `cargo xtask test` runs the whole suite: formatting, clippy, unit tests, the store
//!   conformance suite on SQLite and PostgreSQL, the router tests on both, the interop suite with
//!   the real CLIs, schemathesis, and Playwright in Chromium.
//! - `cargo xtask bench [http | lineage | layout | ingest | browser]` runs the benchmarks
//!   recorded in docs/benchmarks.md.

mod bench;
mod bench_browser;
mod bench_ingest;
mod bench_layout;
mod bench_mixed;
mod budget;
mod setup;
mod suite;
mod util;

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("setup") => setup::setup(setup::Needs::all()),
        Some("serve") => serve(&args[1..]),
        Some("test") => suite::test(&args[1..]),
        Some("bench") => bench::bench(&args[1..]),
        _ => {
            eprintln!(
                "usage: cargo xtask <setup | serve [--demo] [--dev] | test [--skip-lint] | bench [http | lineage | layout | ingest | browser]>"
            );
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("\nxtask: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Builds and serves Meshwork on SQLite (`./data`), at 127.0.0.1:3000 unless MESHWORK_ADDR says
/// otherwise. `--demo` loads the demo mesh; `--dev` skips the optimised release build.
fn serve(args: &[String]) -> util::Result {
    let dev = args.iter().any(|a| a == "--dev");
    setup::setup(setup::Needs::serve(!dev))?;
    let started = std::time::Instant::now();
    if dev {
        println!(
            "Building Meshwork (debug; about 4 min the first time on two cores, seconds after a change)…"
        );
        util::build_site(false)?;
    } else {
        println!(
            "Building Meshwork with the optimised WASM (about 12 min the first time on two cores, \
             under a minute after a small change)…"
        );
        util::build_site(true)?;
    }
    println!(
        "Built in {}.",
        setup::minutes_and_seconds(started.elapsed())
    );
    let binary = if dev {
        "target/debug/meshwork"
    } else {
        "target/release/meshwork"
    };
    let mut serve_args = vec!["serve"];
    if args.iter().any(|a| a == "--demo") {
        serve_args.push("--demo");
    }
    println!("\nStarting Meshwork. Demo logins: admin, alice, bob (password meshwork-demo).\n");
    util::run(binary, &serve_args, &[("LEPTOS_SITE_ROOT", "target/site")])
}
