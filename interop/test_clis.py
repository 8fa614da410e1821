"""The unmodified Data Contract CLI and Data Product CLI from PyPI against a running Meshwork:
publish, read back, and lint Meshwork's own URLs."""

import yaml


def test_datacontract_cli_publishes_and_reads_back(mesh, workdir):
    sales = mesh.team_token("sales-analytics")
    shop = mesh.team_token("shop-team")
    run = mesh.cli("datacontract", "publish", "odcs-v3-customer-revenue.v1.yaml", key=sales, cwd=workdir)
    assert run.returncode == 0, run.stdout + run.stderr
    run = mesh.cli("datacontract", "publish", "shop-orders.odcs.yaml", key=shop, cwd=workdir)
    assert run.returncode == 0, run.stdout + run.stderr

    stored = mesh.api("GET", "/api/datacontracts/urn%3Adatacontract%3Asales%3Acustomer-revenue", headers={"Accept": "application/yaml"})
    assert stored.status_code == 200
    original = yaml.safe_load((workdir / "odcs-v3-customer-revenue.v1.yaml").read_text())
    assert yaml.safe_load(stored.text) == original

    # A wrong key is refused and the CLI says so.
    run = mesh.cli("datacontract", "publish", "shop-orders.odcs.yaml", key="wrong", cwd=workdir)
    assert run.returncode != 0


def test_dataproduct_cli_lints_against_meshwork_and_publishes(mesh, workdir):
    sales = mesh.team_token("sales-analytics")
    shop = mesh.team_token("shop-team")
    for path, key in [("odcs-v3-customer-revenue.v1.yaml", sales), ("shop-orders.odcs.yaml", shop)]:
        assert mesh.cli("datacontract", "publish", path, key=key, cwd=workdir).returncode == 0

    # Lint resolves both referenced contracts through GET /api/datacontracts/{id}.
    lint = mesh.cli("dataproduct", "lint", "customer-revenue.odps.yaml", key=sales, cwd=workdir)
    assert lint.returncode == 0, lint.stdout + lint.stderr
    assert "urn:datacontract:shop:orders" in lint.stdout + lint.stderr

    run = mesh.cli("dataproduct", "publish", "customer-revenue.odps.yaml", key=sales, cwd=workdir)
    assert run.returncode == 0, run.stdout + run.stderr
    detail = mesh.api("GET", "/api/v1/products/sales.customer-revenue").json()
    assert detail["card"]["team_id"] == "sales-analytics"
    assert detail["output_ports"][0]["contract"]["id"] == "urn:datacontract:sales:customer-revenue"
    assert detail["input_ports"][0]["contract_id"] == "urn:datacontract:shop:orders"
    # The document comes back as it was sent (the CLI sends JSON).
    exported = mesh.api("GET", "/api/v1/products/sales.customer-revenue/document?format=yaml")
    assert yaml.safe_load(exported.text) == yaml.safe_load((workdir / "customer-revenue.odps.yaml").read_text())

    run = mesh.cli("dataproduct", "publish", "customer-revenue.odps.yaml", key="wrong", cwd=workdir)
    assert run.returncode != 0


def test_meshwork_documents_pass_the_official_linters(mesh, workdir):
    """Documents Meshwork writes itself (a registration through the REST API, then a status
    change it renders) lint clean with both CLIs, read straight from Meshwork's URLs."""
    sales = mesh.team_token("sales-analytics")
    contract_id = "urn:datacontract:sales.lint-check:table"
    bundle = {
        "product": {
            "apiVersion": "v1.1.0", "kind": "DataProduct", "id": "sales.lint-check", "name": "Lint check",
            "version": "1.0.0", "status": "active", "domain": "sales", "type": "aggregate", "team": {"name": "sales-analytics"},
            "description": {"purpose": "Checks that exports lint."},
            "outputPorts": [{"name": "table", "type": "table", "version": "1.0.0", "contractId": contract_id}],
        },
        "contracts": [{
            "apiVersion": "v3.2.0", "kind": "DataContract", "id": contract_id, "version": "1.0.0", "status": "active",
            "servers": [{"server": "production", "type": "postgres", "host": "db", "port": 5432, "database": "dwh", "schema": "sales"}],
            "schema": [{"name": "lint_check", "properties": [{"name": "id", "logicalType": "integer", "primaryKey": True, "required": True}]}],
            "slaProperties": [{"property": "latency", "value": 1, "unit": "d"}],
        }],
    }
    r = mesh.api("POST", "/api/v1/products", token=sales, json=bundle)
    assert r.status_code == 201, r.text
    r = mesh.api("POST", "/api/v1/products/sales.lint-check/status", token=sales, json={"status": "deprecated", "revision": 1})
    assert r.status_code == 200, r.text

    # The linters fetch URLs without credentials: this catalog is public.
    r = mesh.api("PUT", "/api/v1/settings", json={"anonymous_read": True})
    assert r.status_code == 200, r.text
    contract_url = f"{mesh.url}/api/datacontracts/{contract_id}"
    lint = mesh.cli("datacontract", "lint", contract_url, key=sales, cwd=workdir)
    assert lint.returncode == 0, lint.stdout + lint.stderr

    product_url = f"{mesh.url}/api/dataproducts/sales.lint-check"
    (workdir / "exported.odps.yaml").write_text(mesh.api("GET", "/api/dataproducts/sales.lint-check", headers={"Accept": "application/yaml"}).text)
    for location in [product_url, "exported.odps.yaml"]:
        lint = mesh.cli("dataproduct", "lint", location, key=sales, cwd=workdir)
        assert lint.returncode == 0, f"{location}: {lint.stdout}{lint.stderr}"
    mesh.api("PUT", "/api/v1/settings", json={"anonymous_read": False})
