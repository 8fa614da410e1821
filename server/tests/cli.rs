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

fn meshwork_code(data_dir: &std::path::Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_meshwork"))
        .args(args)
        .env("MESHWORK_DATA_DIR", data_dir)
        .env_remove("DATABASE_URL")
        .env_remove("MESHWORK_TOKEN")
        .env("MESHWORK_LOG", "warn")
        .output()
        .expect("run meshwork");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn fixtures() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures")
}

#[test]
fn meshwork_diff_agrees_with_the_reference_and_exits_like_it() {
    let pairs = fixtures().join("contract-pairs");
    let expected: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(pairs.join("expected.json")).unwrap())
            .unwrap();
    let tmp = std::env::temp_dir();
    for (pair, perspective) in [
        ("enum-value-added", "consumer"),
        ("enum-value-added", "producer"),
        ("description-changed", "consumer"),
        ("availability-weakened", "consumer"),
    ] {
        let dir = pairs.join(pair);
        let (code, out, err) = meshwork_code(
            &tmp,
            &[
                "diff",
                dir.join("v1.yaml").to_str().unwrap(),
                dir.join("v2.yaml").to_str().unwrap(),
                "--perspective",
                perspective,
                "--format",
                "json",
            ],
        );
        let want = &expected[pair][perspective];
        let breaking = want["breaking"].as_bool().unwrap();
        assert_eq!(
            code,
            i32::from(breaking),
            "{pair} {perspective}: {out}{err}"
        );
        let json: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(json["breaking"], breaking);
        let mut graded: Vec<(String, String)> = json["entries"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["level"] != "info")
            .map(|e| {
                (
                    e["level"].as_str().unwrap().to_owned(),
                    e["path"].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        graded.sort();
        let mut want_graded: Vec<(String, String)> = want["graded"]
            .as_array()
            .unwrap()
            .iter()
            .map(|g| {
                (
                    g[0].as_str().unwrap().to_owned(),
                    g[1].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        want_graded.sort();
        assert_eq!(graded, want_graded, "{pair} {perspective}");
    }
    // The text form says it in words.
    let dir = pairs.join("enum-value-added");
    let (code, out, _) = meshwork_code(
        &tmp,
        &[
            "diff",
            dir.join("v1.yaml").to_str().unwrap(),
            dir.join("v2.yaml").to_str().unwrap(),
        ],
    );
    assert_eq!(code, 1);
    assert!(out.starts_with("Breaking for consumers: 1 error"), "{out}");
    assert!(
        out.contains("schema.customer_revenue.properties.country.enum.IT.value"),
        "{out}"
    );
    // Unreadable input is exit code 2.
    let (code, _, err) = meshwork_code(
        &tmp,
        &[
            "diff",
            "/no/such/file.yaml",
            dir.join("v2.yaml").to_str().unwrap(),
        ],
    );
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("/no/such/file.yaml"), "{err}");
}

#[test]
fn policies_are_managed_and_check_gives_the_same_findings_online_and_offline() {
    let root = std::env::temp_dir().join(format!("meshwork-check-{}", std::process::id()));
    let data = root.join("data");
    let (code, out, err) = meshwork_code(&data, &["demo"]);
    assert_eq!(code, 0, "{out}{err}");
    let (code, out, err) = meshwork_code(&data, &["policy", "list"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.lines().count(), 22, "{out}");
    assert!(
        out.contains("pii-classified") && out.contains("grace"),
        "{out}"
    );
    let (code, out, _) = meshwork_code(&data, &["policy", "show", "description-purpose"]);
    assert_eq!(code, 0);
    assert!(
        out.contains("kind: min-length") && out.contains("#   2 grace"),
        "{out}"
    );
    let bundle = root.join("bundle.yaml");
    let (code, _, err) = meshwork_code(
        &data,
        &["policy", "export", "--out", bundle.to_str().unwrap()],
    );
    assert_eq!(code, 0, "{err}");

    // A product whose purpose is too short (a policy in grace) with its contract.
    let product = root.join("product.yaml");
    let text = std::fs::read_to_string(fixtures().join("dataproducts/customer-revenue.odps.yaml"))
        .unwrap();
    let mut doc: serde_json::Value = serde_yaml_ng::from_str(&text).unwrap();
    doc["id"] = serde_json::json!("sales.check-me");
    doc["description"]["purpose"] = serde_json::json!("Revenue.");
    std::fs::write(&product, serde_yaml_ng::to_string(&doc).unwrap()).unwrap();
    let contract = fixtures().join("contracts/odcs-v3-customer-revenue.v1.yaml");
    let files = [product.to_str().unwrap(), contract.to_str().unwrap()];

    let offline = |extra: &[&str]| {
        let mut args = vec![
            "check",
            "--bundle",
            bundle.to_str().unwrap(),
            "--base",
            contract.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        args.extend_from_slice(&files);
        meshwork_code(&data, &args)
    };
    let (code, text_out, err) = offline(&[]);
    assert_eq!(code, 0, "grace does not block: {text_out}{err}");
    assert!(text_out.contains("description-purpose"), "{text_out}");
    assert!(text_out.contains("blocks from"), "{text_out}");
    let (code, _, _) = offline(&["--strict"]);
    assert_eq!(code, 1, "after the deadline it would");
    let (_, github, _) = offline(&["--format", "github"]);
    assert!(github.contains("::warning file="), "{github}");
    let (_, junit, _) = offline(&["--format", "junit", "--strict"]);
    assert!(
        junit.contains("<testsuites") && junit.contains("<failure"),
        "{junit}"
    );
    let (_, offline_json, _) = offline(&["--format", "json"]);

    // The same against a running server.
    let addr = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap()
    };
    let mut server = Command::new(env!("CARGO_BIN_EXE_meshwork"))
        .args(["serve", "--addr", &addr.to_string()])
        .env("MESHWORK_DATA_DIR", &data)
        .env_remove("DATABASE_URL")
        .env("MESHWORK_LOG", "warn")
        .env("LEPTOS_SITE_ROOT", root.join("site"))
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("start meshwork serve");
    let started = std::time::Instant::now();
    while std::net::TcpStream::connect(addr).is_err() {
        assert!(started.elapsed().as_secs() < 60, "the server did not start");
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let url = format!("http://{addr}");
    let mut args = vec![
        "check",
        "--server",
        &url,
        "--base",
        contract.to_str().unwrap(),
        "--format",
        "json",
    ];
    args.extend_from_slice(&files);
    let (code, online_json, err) = meshwork_code(&data, &args);
    let _ = server.kill();
    let _ = server.wait();
    assert_eq!(code, 0, "{online_json}{err}");
    assert_eq!(
        online_json, offline_json,
        "identical findings online and offline"
    );
    let json: serde_json::Value = serde_json::from_str(&online_json).unwrap();
    assert_eq!(json["blocked"], false);
    assert!(
        json["files"][0]["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["policy"] == "description-purpose")
    );

    // Usage errors and unreadable input are exit code 2.
    let (code, _, err) = meshwork_code(&data, &["check", product.to_str().unwrap()]);
    assert_eq!(code, 2, "{err}");
    let (code, _, err) = meshwork_code(
        &data,
        &[
            "check",
            "--bundle",
            bundle.to_str().unwrap(),
            "/no/such.yaml",
        ],
    );
    assert_eq!(code, 2, "{err}");
    let _ = std::fs::remove_dir_all(&root);
}
