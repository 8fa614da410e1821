"""Governance refusals as the unmodified CLIs show them: `datacontract publish` and
`dataproduct publish` against a policy that blocks, their actual output asserted line by line, and
nothing stored. The policies are scoped to a domain of their own so the other tests are not
affected."""

import copy
import urllib.parse

import yaml

DOMAIN = "governed"
TEAM = "governed-team"


def enforce(mesh, policy: dict) -> None:
    """Creates a draft, dry-runs it and enforces it, as a platform admin would."""
    draft = dict(policy, state="draft")
    r = mesh.api("POST", "/api/v1/governance/policies", json=draft)
    assert r.status_code in (201, 409), r.text
    if r.status_code == 409:
        return
    r = mesh.api("POST", f"/api/v1/governance/policies/{policy['id']}/dry-run", json=draft)
    assert r.status_code == 200, r.text
    r = mesh.api("PUT", f"/api/v1/governance/policies/{policy['id']}", json=dict(policy, state="enforced"),
                 headers={"If-Match": '"1"'})
    assert r.status_code == 200, r.text


def setup(mesh) -> str:
    mesh.ensure("POST", "/api/v1/domains", {"id": DOMAIN, "name": "Governed"})
    mesh.ensure("POST", "/api/v1/teams", {"id": TEAM, "name": TEAM, "domain_id": DOMAIN})
    enforce(mesh, {
        "id": "governed-pii", "title": "Personal data is confidential or restricted",
        "rationale": "GDPR.", "severity": "error", "scope": {"domains": [DOMAIN]},
        "kind": "pii-classified", "parameters": {"names": ["e[-_]?mail"]},
    })
    enforce(mesh, {
        "id": "governed-purpose", "title": "The purpose is described in at least 40 characters",
        "rationale": "Discovery starts with the purpose.", "severity": "error", "scope": {"domains": [DOMAIN]},
        "kind": "min-length", "parameters": {"field": "/description/purpose", "min": 40},
    })
    return mesh.team_token(TEAM)


def leaky_contract(workdir) -> str:
    contract = yaml.safe_load((workdir / "odcs-v3-customer-revenue.v1.yaml").read_text())
    contract = copy.deepcopy(contract)
    contract["id"] = "urn:datacontract:governed:leaky"
    contract["domain"] = DOMAIN
    contract["team"] = {"name": TEAM}
    for table in contract["schema"]:
        for prop in table.get("properties", []):
            prop["classification"] = "internal"
            prop.pop("customProperties", None)
    path = workdir / "leaky.odcs.yaml"
    path.write_text(yaml.safe_dump(contract, sort_keys=False))
    return path.name


def test_datacontract_publish_shows_the_refusal(mesh, workdir):
    key = setup(mesh)
    run = mesh.cli("datacontract", "publish", leaky_contract(workdir), key=key, cwd=workdir)
    output = run.stdout + run.stderr
    assert run.returncode != 0, output
    # The CLI prints the body of the refusal as it is, after its own prefix: our plain text.
    host = urllib.parse.urlparse(mesh.url).hostname
    assert output.strip() == f"""
Error publishing data contract to {host}: Refused: 1 blocking governance finding, nothing was stored.
- governed-pii: 'email' is a critical data element but is classified internal
  (at contract:urn:datacontract:governed:leaky
  /schema/0/properties/3/classification)
  fix: classify it confidential or restricted
Details: {mesh.url}/governance/policies/governed-pii
""".strip(), output
    stored = mesh.api("GET", "/api/v1/contracts/urn:datacontract:governed:leaky")
    assert stored.status_code == 404


def test_dataproduct_publish_shows_the_refusal(mesh, workdir):
    key = setup(mesh)
    product = yaml.safe_load((workdir / "customer-revenue.odps.yaml").read_text())
    product["id"] = "governed.short-purpose"
    product["domain"] = DOMAIN
    product["team"] = {"name": TEAM}
    product["description"] = {"purpose": "Revenue."}
    product["inputPorts"] = []
    # Its output port's contract, published first (it passes the policies).
    contract = yaml.safe_load((workdir / "odcs-v3-customer-revenue.v1.yaml").read_text())
    contract.update(id="urn:datacontract:governed:revenue", domain=DOMAIN, team={"name": TEAM})
    r = mesh.api("PUT", "/api/datacontracts/urn:datacontract:governed:revenue", token=key, json=contract)
    assert r.status_code == 200, r.text
    product["outputPorts"] = [{"name": "revenue", "type": "table", "version": "1.0.0",
                               "contractId": "urn:datacontract:governed:revenue"}]
    (workdir / "short.odps.yaml").write_text(yaml.safe_dump(product, sort_keys=False))
    run = mesh.cli("dataproduct", "publish", "short.odps.yaml", key=key, cwd=workdir)
    output = run.stdout + run.stderr
    assert run.returncode != 0, output
    # Rendered through the CLI's markup library: nothing was in square brackets, so nothing was
    # eaten; every line of ours fits in 80 columns (the first carries the CLI's own prefix).
    host = urllib.parse.urlparse(mesh.url).hostname
    assert output.strip() == f"""
Failed publishing data product. Error: Error publishing data product to {host}: Refused: 1 blocking governance finding, nothing was stored.
- governed-purpose: /description/purpose has 8 characters, fewer than 40 (at
  product /description/purpose)
  fix: write at least 40 characters in /description/purpose
Details: {mesh.url}/governance/policies/governed-purpose
""".strip(), output
    stored = mesh.api("GET", "/api/v1/products/governed.short-purpose")
    assert stored.status_code == 404
