//! `cargo xtask test`: the whole test suite, in the order that fails fastest.

use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use crate::setup::{Needs, setup};
use crate::util::{Result, free_port, output, run, run_in, scratch, start_server};

pub fn test(args: &[String]) -> Result {
    let started = Instant::now();
    let skip_lint = args.iter().any(|a| a == "--skip-lint");
    report_disk();
    setup(Needs::all())?;
    ensure_postgres()?;

    if !skip_lint {
        run("cargo", &["fmt", "--all", "--check"], &[])?;
        run(
            "cargo",
            &[
                "clippy",
                "--workspace",
                "--exclude",
                "frontend",
                "--all-targets",
                "--",
                "-D",
                "warnings",
            ],
            &[],
        )?;
        run(
            "cargo",
            &[
                "clippy",
                "--package",
                "frontend",
                "--target",
                "wasm32-unknown-unknown",
                "--",
                "-D",
                "warnings",
            ],
            &[],
        )?;
    }
    // Unit tests, the store conformance suite (SQLite and PostgreSQL) and the router tests on SQLite…
    run(
        "cargo",
        &["test", "--workspace", "--exclude", "frontend"],
        &[],
    )?;
    // …and the router tests again on PostgreSQL.
    run(
        "cargo",
        &["test", "--package", "server", "--test", "api"],
        &[("MESHWORK_TEST_DB", "postgres")],
    )?;

    // The real binary, with the optimised WASM, as users run it.
    crate::util::build_site(true)?;
    let binary = "target/release/meshwork";
    let scratch = scratch("suite")?;
    let dir = |name: &str| scratch.join(name).display().to_string();
    let admin_token = format!("suite-{}", std::process::id());

    // Interop: the real Data Contract CLI, Data Product CLI and schemathesis, on an empty registry.
    let interop = start_server(
        binary,
        free_port()?,
        &dir("interop"),
        &[],
        &[("MESHWORK_ADMIN_TOKEN", &admin_token)],
        &dir("interop.log"),
    )?;
    run(
        ".venv/bin/python",
        &["-m", "pytest", "-q", "interop"],
        &[
            ("MESHWORK_URL", &interop.url),
            ("MESHWORK_ADMIN_TOKEN", &admin_token),
            ("PATH", &venv_path()),
        ],
    )?;
    run(
        ".venv/bin/schemathesis",
        &[
            "run",
            &format!("{}/api/openapi.json", interop.url),
            "--checks",
            "not_a_server_error",
            "--header",
            &format!("Authorization: Bearer {admin_token}"),
            "--max-examples",
            "40",
            "--workers",
            "2",
            "--suppress-health-check",
            "all",
        ],
        &[("PATH", &venv_path())],
    )?;
    drop(interop);

    // The browser: Playwright in Chromium against the demo mesh.
    let web = start_server(
        binary,
        free_port()?,
        &dir("e2e"),
        &["--demo"],
        &[("MESHWORK_ADMIN_TOKEN", &admin_token)],
        &dir("e2e.log"),
    )?;
    // The first-load budget first: it is quick and fails with the figure.
    crate::budget::check(&web.url)?;
    run_in(
        "end2end",
        "npx",
        &["playwright", "test"],
        &[("BASE_URL", &web.url), ("ADMIN_TOKEN", &admin_token)],
    )?;
    drop(web);

    let _ = std::fs::remove_dir_all(&scratch);
    println!(
        "\nThe whole suite passed in {} s.",
        started.elapsed().as_secs()
    );
    Ok(())
}

/// The suite's builds take about 20 GB (debug tests, the release server, the WASM); a linker
/// that runs out of disk dies with a bus error that names nothing, so say so up front.
fn report_disk() {
    let Some(df) = output("df", &["-Pk", "."]) else {
        return;
    };
    let free_kb = df
        .lines()
        .nth(1)
        .and_then(|l| l.split_whitespace().nth(3))
        .and_then(|n| n.parse::<u64>().ok());
    if let Some(kb) = free_kb {
        let gb = kb / 1024 / 1024;
        println!("Disk: {gb} GB free here.");
        if gb < 25 {
            println!(
                "warning: the suite's builds take about 20 GB; with {gb} GB free a linker may \
                 die of a bus error. Free some space (old target directories) first."
            );
        }
    }
}

fn venv_path() -> String {
    let here = std::env::current_dir()
        .map(|d| d.join(".venv/bin").display().to_string())
        .unwrap_or_default();
    format!("{here}:{}", std::env::var("PATH").unwrap_or_default())
}

/// The PostgreSQL suite needs the server on 127.0.0.1:5432; start the local cluster if it is down.
fn ensure_postgres() -> Result {
    let addr: SocketAddr = "127.0.0.1:5432".parse().map_err(|e| format!("{e}"))?;
    if TcpStream::connect_timeout(&addr, Duration::from_secs(1)).is_ok() {
        return Ok(());
    }
    let version = output("ls", &["/etc/postgresql"]).unwrap_or_default();
    let version = version.lines().next().unwrap_or_default();
    if !version.is_empty() {
        let _ = run(
            "pg_ctlcluster",
            &["--skip-systemctl-redirect", version, "main", "start"],
            &[],
        );
    }
    for _ in 0..30 {
        if TcpStream::connect_timeout(&addr, Duration::from_secs(1)).is_ok() {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(500));
    }
    Err(String::from(
        "PostgreSQL is not reachable on 127.0.0.1:5432 and could not be started",
    ))
}
