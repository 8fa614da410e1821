"""The unmodified OpenLineage producers and Marquez reader from PyPI against a running Meshwork:
openlineage-python's HTTP transport (plain and gzip, both auth headers), dbt-ol running a real
dbt project on DuckDB, and marquez-python reading the graph back."""

import os
import pathlib
import shutil
import subprocess
import textwrap
import uuid
from datetime import datetime, timezone
from urllib.parse import quote

from marquez_client import MarquezClient
from openlineage.client import OpenLineageClient
from openlineage.client.event_v2 import Dataset, DatasetEvent, InputDataset, Job, JobEvent, OutputDataset, Run, RunEvent, RunState
from openlineage.client.facet_v2 import column_lineage_dataset, schema_dataset
from openlineage.client.transport.http import ApiKeyTokenProvider, HttpCompression, HttpConfig, HttpTransport

PRODUCER = "https://github.com/meshwork/interop"
NS = "postgres://interop-db:5432"


def client(mesh, key: str, compression=None) -> OpenLineageClient:
    config = HttpConfig(
        url=mesh.url,
        endpoint="api/v1/lineage",
        auth=ApiKeyTokenProvider({"apiKey": key}),
        compression=compression,
    )
    return OpenLineageClient(transport=HttpTransport(config))


def now() -> str:
    return datetime.now(timezone.utc).isoformat()


def test_openlineage_python_events_become_the_graph_marquez_python_reads(mesh):
    key = mesh.team_token("sales-analytics")
    run = Run(runId=str(uuid.uuid4()))
    job = Job(namespace="interop-etl", name="revenue.build")
    orders = InputDataset(namespace=NS, name="shop.public.orders", facets={
        "schema": schema_dataset.SchemaDatasetFacet(fields=[
            schema_dataset.SchemaDatasetFacetFields(name="order_id", type="BIGINT"),
            schema_dataset.SchemaDatasetFacetFields(name="amount", type="NUMERIC"),
        ]),
    })
    lineage = column_lineage_dataset.ColumnLineageDatasetFacet(fields={
        "total": column_lineage_dataset.Fields(inputFields=[
            column_lineage_dataset.InputField(namespace=NS, name="shop.public.orders", field="amount"),
        ]),
    })
    revenue = OutputDataset(namespace=NS, name="analytics.public.revenue", facets={"columnLineage": lineage})
    plain = client(mesh, key)
    plain.emit(RunEvent(eventType=RunState.START, eventTime=now(), run=run, job=job, producer=PRODUCER, inputs=[orders], outputs=[revenue]))
    # The same client configured to gzip its bodies.
    gzipped = client(mesh, key, HttpCompression.GZIP)
    gzipped.emit(RunEvent(eventType=RunState.COMPLETE, eventTime=now(), run=run, job=job, producer=PRODUCER, inputs=[orders], outputs=[revenue]))
    gzipped.emit(DatasetEvent(eventTime=now(), producer=PRODUCER, dataset=Dataset(namespace=NS, name="analytics.public.audit")))
    plain.emit(JobEvent(eventTime=now(), producer=PRODUCER, job=Job(namespace="interop-etl", name="audit.build"),
                        inputs=[InputDataset(namespace=NS, name="analytics.public.revenue")],
                        outputs=[OutputDataset(namespace=NS, name="analytics.public.audit")]))

    # Marquez's lineage endpoint, as the Marquez UI and clients call it.
    node = f"dataset:{NS}:analytics.public.revenue"
    r = mesh.api("GET", "/api/v1/lineage", params={"nodeId": node, "depth": 5})
    assert r.status_code == 200, r.text
    ids = {n["id"] for n in r.json()["graph"]}
    assert {node, "job:interop-etl:revenue.build", f"dataset:{NS}:shop.public.orders", "job:interop-etl:audit.build"} <= ids

    # marquez-python reads the listings and the column lineage.
    mz = MarquezClient(mesh.url, api_key=key)
    names = [n["name"] for n in mz.list_namespaces()["namespaces"]]
    assert NS in names and "interop-etl" in names
    datasets = mz.list_datasets(NS)["datasets"]
    assert {"shop.public.orders", "analytics.public.revenue", "analytics.public.audit"} <= {d["name"] for d in datasets}
    assert [f["name"] for f in mz.get_dataset(NS, "shop.public.orders")["fields"]] == ["order_id", "amount"]
    jobs = {j["name"]: j for j in mz.list_jobs("interop-etl")["jobs"]}
    assert jobs["revenue.build"]["latestRun"]["state"] == "COMPLETED"
    assert jobs["revenue.build"]["outputs"] == [{"namespace": NS, "name": "analytics.public.revenue"}]
    runs = mz.list_job_runs("interop-etl", "revenue.build")["runs"]
    assert [r["id"] for r in runs] == [run.runId]
    assert mz.get_job_run(run.runId)["state"] == "COMPLETED"
    columns = mz.get_column_lineage_by_dataset_field(NS, "analytics.public.revenue", "total")["graph"]
    total = next(n for n in columns if n["id"] == f"datasetField:{NS}:analytics.public.revenue:total")
    assert total["data"]["inputFields"][0]["field"] == "amount"


def test_a_wrong_key_is_refused_and_never_retried_as_a_server_error(mesh):
    r = mesh.api("POST", "/api/v1/lineage", token="wrong", json={"eventTime": now()})
    assert r.status_code == 401
    key = mesh.team_token("sales-analytics")
    r = mesh.api("POST", "/api/v1/lineage", token=key, data="{not json", headers={"Content-Type": "application/json"})
    assert r.status_code == 400, r.text


def test_dbt_ol_reports_a_real_dbt_run(mesh, tmp_path: pathlib.Path):
    """dbt-ol (openlineage-dbt) runs a small dbt project on DuckDB and posts its lineage."""
    key = mesh.team_token("sales-analytics")
    project = tmp_path / "shop"
    (project / "models").mkdir(parents=True)
    (project / "seeds").mkdir()
    (project / "dbt_project.yml").write_text(textwrap.dedent("""
        name: shop
        version: "1.0.0"
        profile: shop
        model-paths: ["models"]
        seed-paths: ["seeds"]
    """))
    (project / "profiles.yml").write_text(textwrap.dedent(f"""
        shop:
          target: dev
          outputs:
            dev:
              type: duckdb
              path: {tmp_path / "shop.duckdb"}
              threads: 1
    """))
    (project / "seeds" / "raw_orders.csv").write_text("order_id,customer_id,amount\n1,10,25.00\n2,11,12.50\n3,10,40.00\n")
    (project / "models" / "stg_orders.sql").write_text("select order_id, customer_id, amount from {{ ref('raw_orders') }}\n")
    (project / "models" / "customer_revenue.sql").write_text(
        "select customer_id, sum(amount) as revenue from {{ ref('stg_orders') }} group by customer_id\n")
    # A data product whose output port is the model's table in that DuckDB file.
    database = str(tmp_path / "shop.duckdb")
    bundle = {
        "product": {
            "apiVersion": "v1.1.0", "kind": "DataProduct", "id": "sales.dbt-revenue", "name": "Revenue (dbt)",
            "version": "1.0.0", "status": "active", "domain": "sales", "type": "aggregate", "team": {"name": "sales-analytics"},
            "outputPorts": [{"name": "table", "type": "table", "version": "1.0.0", "contractId": "urn:datacontract:sales:dbt-revenue"}],
        },
        "contracts": [{
            "apiVersion": "v3.0.2", "kind": "DataContract", "id": "urn:datacontract:sales:dbt-revenue", "version": "1.0.0", "status": "active",
            "servers": [{"server": "local", "type": "duckdb", "database": database, "schema": "main"}],
            "schema": [{"name": "customer_revenue", "properties": [{"name": "customer_id", "logicalType": "integer"}, {"name": "revenue", "logicalType": "number"}]}],
        }],
    }
    r = mesh.api("POST", "/api/v1/products", token=key, json=bundle)
    assert r.status_code == 201, r.text
    env = dict(os.environ, OPENLINEAGE_URL=mesh.url, OPENLINEAGE_API_KEY=key, OPENLINEAGE_NAMESPACE="dbt-interop",
               DBT_PROFILES_DIR=str(project), DO_NOT_TRACK="1")
    dbt_ol = shutil.which("dbt-ol")
    assert dbt_ol, "dbt-ol is not installed (cargo xtask setup installs openlineage-dbt)"
    for command in (["seed"], ["run"]):
        done = subprocess.run([dbt_ol, *command], cwd=project, env=env, capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, done.stdout + done.stderr
        assert "Emitted" in done.stdout + done.stderr or "OpenLineage" in done.stdout + done.stderr, done.stdout + done.stderr

    # The jobs dbt-ol reported, and their datasets, are in Meshwork's graph.
    jobs = mesh.api("GET", f"/api/v1/namespaces/{quote('dbt-interop', safe='')}/jobs").json()["jobs"]
    names = {j["name"] for j in jobs}
    model = next((j for j in jobs if j["name"].endswith("customer_revenue")), None)
    assert model, names
    assert model["latestRun"]["state"] == "COMPLETED"
    assert model["inputs"] and model["outputs"], model
    output = model["outputs"][0]
    node = f"dataset:{output['namespace']}:{output['name']}"
    r = mesh.api("GET", "/api/v1/lineage", params={"nodeId": node, "depth": 10})
    assert r.status_code == 200, r.text
    ids = {n["id"] for n in r.json()["graph"]}
    assert any(i.startswith("job:dbt-interop:") and i.endswith("stg_orders") for i in ids), ids
    # The run refreshed the product's port, and the product's page knows which job builds it.
    fresh = mesh.api("GET", "/api/v1/products/sales.dbt-revenue/freshness").json()
    assert fresh[0]["last_refresh_at"], fresh
    drift = mesh.api("GET", "/api/v1/products/sales.dbt-revenue/drift").json()
    assert drift["observed"] and any(w.endswith("customer_revenue") for w in drift["writers"]), drift
    # Meshwork's own explorer draws the same lineage.
    graph = mesh.api("GET", "/api/v1/graph", params={"focus": node, "scope": "observed", "upstream": 5, "downstream": 0}).json()
    assert len(graph["nodes"]) >= 4, graph["nodes"]
