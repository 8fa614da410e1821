//! The `meshwork` binary's subcommands, run as a user would: migrate, demo, user and token
//! creation, export and import.

use std::process::Command;

fn meshwork(data_dir: &std::path::Path, args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_meshwork"))
        .args(args)
        .env("MESHWORK_DATA_DIR", data_dir)
        .env_remove("DATABASE_URL")
        .env("MESHWORK_LOG", "warn")
        .output()
        .expect("run meshwork");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn the_cli_migrates_loads_the_demo_and_round_trips_an_export() {
    let root = std::env::temp_dir().join(format!("meshwork-cli-{}", std::process::id()));
    let (source, target, export) = (
        root.join("source"),
        root.join("target"),
        root.join("export"),
    );

    let (ok, out, err) = meshwork(&source, &["migrate"]);
    assert!(ok, "{out}{err}");
    let (ok, out, err) = meshwork(&source, &["demo"]);
    assert!(ok && out.contains("demo mesh loaded"), "{out}{err}");

    let (ok, out, err) = meshwork(
        &source,
        &[
            "token",
            "create",
            "--name",
            "ci",
            "--team",
            "sales-analytics",
        ],
    );
    assert!(ok, "{out}{err}");
    assert!(
        out.trim().starts_with("mw_"),
        "the secret is printed: {out}"
    );
    let (ok, out, err) = meshwork(
        &source,
        &["token", "create", "--name", "mine", "--user", "nobody"],
    );
    assert!(!ok, "unknown users are refused: {out}{err}");
    assert!(err.contains("nobody"), "{err}");

    let (ok, out, err) = meshwork(
        &source,
        &[
            "user",
            "create",
            "--username",
            "zoe",
            "--password",
            "correct-horse",
            "--admin",
        ],
    );
    assert!(ok && out.contains("platform admin"), "{out}{err}");
    let (ok, _, err) = meshwork(
        &source,
        &[
            "user",
            "create",
            "--username",
            "zoe",
            "--password",
            "correct-horse",
        ],
    );
    assert!(!ok && err.contains("already exists"), "{err}");

    let export_dir = export.display().to_string();
    let (ok, out, err) = meshwork(&source, &["export", &export_dir]);
    assert!(ok, "{out}{err}");
    assert!(export.join("meshwork.yaml").exists());
    assert!(export.join("products/sales.orders.odps.yaml").exists());
    assert!(
        export
            .join("contracts/urn%3Adatacontract%3Asales%3Aorders.odcs.yaml")
            .exists()
    );

    let (ok, out, err) = meshwork(&target, &["import", &export_dir]);
    assert!(ok, "{out}{err}");
    assert!(out.contains("\"products_written\": 42"), "{out}");
    let (ok, out, err) = meshwork(&target, &["import", &export_dir]);
    assert!(
        ok && out.contains("\"products_written\": 0"),
        "importing twice changes nothing: {out}{err}"
    );

    let (ok, _, err) = meshwork(
        &target,
        &["import", &root.join("missing").display().to_string()],
    );
    assert!(!ok && !err.is_empty());
    let _ = std::fs::remove_dir_all(&root);
}
