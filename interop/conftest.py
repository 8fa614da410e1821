"""Shared set-up for the interop suite: a running Meshwork (MESHWORK_URL) with an admin token
(MESHWORK_ADMIN_TOKEN), a small directory created through the REST API, and helpers to run the
real command-line clients exactly as users do."""

import os
import pathlib
import shutil
import subprocess

import pytest
import requests

FIXTURES = pathlib.Path(__file__).resolve().parent.parent / "fixtures"


class Mesh:
    def __init__(self, url: str, admin: str):
        self.url = url.rstrip("/")
        self.admin = admin

    def api(self, method: str, path: str, token: str | None = None, **kwargs) -> requests.Response:
        headers = kwargs.pop("headers", {})
        headers["Authorization"] = f"Bearer {token or self.admin}"
        return requests.request(method, f"{self.url}{path}", headers=headers, timeout=30, **kwargs)

    def ensure(self, method: str, path: str, body: dict) -> None:
        r = self.api(method, path, json=body)
        assert r.status_code in (200, 201, 409), f"{method} {path}: {r.status_code} {r.text}"

    def team_token(self, team: str) -> str:
        r = self.api("POST", "/api/v1/tokens", json={"name": f"ci-{team}", "team_id": team})
        assert r.status_code == 201, r.text
        return r.json()["secret"]

    def cli(self, program: str, *args: str, key: str, cwd: pathlib.Path) -> subprocess.CompletedProcess:
        """Runs a CLI with the Entropy Data settings pointing at Meshwork."""
        env = dict(os.environ, ENTROPY_DATA_HOST=self.url, ENTROPY_DATA_API_KEY=key, NO_COLOR="1", COLUMNS="200")
        executable = shutil.which(program)
        assert executable, f"{program} is not installed (cargo xtask setup installs it)"
        return subprocess.run([executable, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="session")
def mesh() -> Mesh:
    url = os.environ.get("MESHWORK_URL")
    admin = os.environ.get("MESHWORK_ADMIN_TOKEN")
    if not url or not admin:
        pytest.fail("set MESHWORK_URL and MESHWORK_ADMIN_TOKEN (cargo xtask test does)")
    m = Mesh(url, admin)
    for domain, name in [("sales", "Sales"), ("shop", "Shop")]:
        m.ensure("POST", "/api/v1/domains", {"id": domain, "name": name})
    for team, domain in [("sales-analytics", "sales"), ("shop-team", "shop")]:
        m.ensure("POST", "/api/v1/teams", {"id": team, "name": team, "domain_id": domain})
    return m


@pytest.fixture()
def workdir(tmp_path: pathlib.Path) -> pathlib.Path:
    """The shared fixture files, copied where the CLIs run."""
    for source in list((FIXTURES / "contracts").glob("*.yaml")) + list((FIXTURES / "dataproducts").glob("*.yaml")):
        shutil.copy(source, tmp_path / source.name)
    return tmp_path
