//! The first-load budget: what a first visit to the catalog (and to a product page) downloads
//! before it is interactive — HTML, CSS, JS and WASM, compressed as Chromium over HTTPS receives
//! them (brotli for the static files, gzip for the page) — measured in Chromium by
//! `end2end/bench/first-load.mjs`. `cargo xtask test` prints the figures on every run and fails
//! when a page passes the budget; `cargo xtask bench` prints them too.

use std::process::Command;

use crate::util::Result;

/// The budget, in bytes. This is the only place it is written down.
pub const FIRST_LOAD_BUDGET: u64 = 400 * 1024;

/// The pages measured on every run: the catalog and a product page, the two pages people arrive
/// on (see docs/benchmarks.md, "First load").
pub const PAGES: &str = "/,/products/sales.customer-revenue";

/// The pages that fail the run when they pass the budget: both.
pub const HELD: &[&str] = &["/", "/products/sales.customer-revenue"];

/// One page's first load.
#[derive(Debug)]
pub struct FirstLoad {
    pub page: String,
    pub total_bytes: u64,
    pub hydrated_ms: u64,
    pub files: Vec<(String, u64)>,
}

/// Measures the pages on the server at `url`.
pub fn measure(url: &str, pages: &str) -> Result<Vec<FirstLoad>> {
    let out = Command::new("node")
        .arg("bench/first-load.mjs")
        .current_dir("end2end")
        .env("BASE_URL", url)
        .env("PAGES", pages)
        .output()
        .map_err(|e| format!("could not run node: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "the first-load measurement failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| l.starts_with('{'))
        .map(parse)
        .collect()
}

fn parse(line: &str) -> Result<FirstLoad> {
    let v: serde_json::Value =
        serde_json::from_str(line).map_err(|e| format!("first-load output: {e}: {line}"))?;
    let files = v["files"]
        .as_array()
        .map(|fs| {
            fs.iter()
                .map(|f| {
                    (
                        f["file"].as_str().unwrap_or_default().to_owned(),
                        f["bytes"].as_u64().unwrap_or(0),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    Ok(FirstLoad {
        page: v["page"].as_str().unwrap_or_default().to_owned(),
        total_bytes: v["total_bytes"].as_u64().unwrap_or(0),
        hydrated_ms: v["hydrated_ms"].as_u64().unwrap_or(0),
        files,
    })
}

/// Prints the figures and fails when a page is over the budget.
pub fn check(url: &str) -> Result {
    let loads = measure(url, PAGES)?;
    let mut over = Vec::new();
    println!(
        "\nFirst load (compressed), budget {} KB:",
        FIRST_LOAD_BUDGET / 1024
    );
    for load in &loads {
        println!(
            "  {:<40} {:>6.1} KB in {} files, hydrated after {} ms",
            load.page,
            load.total_bytes as f64 / 1024.0,
            load.files.len(),
            load.hydrated_ms
        );
        let mut files = load.files.clone();
        files.sort_by_key(|f| std::cmp::Reverse(f.1));
        for (file, bytes) in files.iter().take(6) {
            println!("      {:>8.1} KB  {file}", *bytes as f64 / 1024.0);
        }
        if files.len() > 6 {
            let rest: u64 = files[6..].iter().map(|f| f.1).sum();
            println!(
                "      {:>8.1} KB  in {} smaller files",
                rest as f64 / 1024.0,
                files.len() - 6
            );
        }
        let held = HELD.contains(&load.page.as_str());
        if load.total_bytes > FIRST_LOAD_BUDGET && !held {
            println!("      (over the budget; reported, not yet held)");
        }
        if load.total_bytes > FIRST_LOAD_BUDGET && held {
            over.push(format!(
                "{} loads {:.1} KB",
                load.page,
                load.total_bytes as f64 / 1024.0
            ));
        }
    }
    if loads.is_empty() {
        return Err(String::from("the first-load measurement printed nothing"));
    }
    if over.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "over the first-load budget of {} KB: {} (see xtask/src/budget.rs)",
            FIRST_LOAD_BUDGET / 1024,
            over.join(", ")
        ))
    }
}
