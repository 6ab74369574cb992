"""Fixtures of the SDK suite: a real patron server per backend, tenants made through its CLI.

The suite runs in a virtualenv holding one official Talon.One SDK (never patron itself), so it
drives patron only from outside (see scripts/test-sdk.sh):

* ``server`` (session scope, over ``database_url`` parametrised ``sqlite`` / ``postgresql``): one
  ``$PATRON_BIN serve`` subprocess per backend for the whole session, on a free loopback port, over
  a database of its own (a temp SQLite file, or a PostgreSQL database created with
  ``CREATE DATABASE`` on the server named by ``PATRON_TEST_POSTGRES_URL`` and dropped at the end).
  PostgreSQL cases are skipped when that variable is unset, and fail when
  ``PATRON_TEST_REQUIRE_POSTGRES`` is set.
* ``tenant`` / ``other_tenant``: fresh accounts with a sandbox and a live Application for each
  test, created with ``patron account create`` / ``patron application create``.

``PATRON_BIN`` names the ``patron`` executable (default: ``.venv/bin/patron`` of this checkout).
"""

from __future__ import annotations

import os
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from _harness import PATRON_BIN, Server, Tenant, TenantPool, free_port, healthy, with_database

POSTGRES_URL = os.environ.get("PATRON_TEST_POSTGRES_URL")
REQUIRE_POSTGRES = bool(os.environ.get("PATRON_TEST_REQUIRE_POSTGRES"))
STARTUP_TIMEOUT_S = 60.0


@pytest.fixture(scope="session")
def postgres_admin_url() -> str:
    if not POSTGRES_URL:
        if REQUIRE_POSTGRES:
            pytest.fail("PATRON_TEST_REQUIRE_POSTGRES is set but PATRON_TEST_POSTGRES_URL is not")
        pytest.skip("PATRON_TEST_POSTGRES_URL is not set")
    return POSTGRES_URL


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A fresh, empty database for one server: a temp SQLite file or a new PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('sqlite') / 'patron.db'}"
        return
    import psycopg  # only the PostgreSQL cases need it

    admin_url: str = request.getfixturevalue("postgres_admin_url")
    name = f"patron_sdk_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield with_database(admin_url, name)
    finally:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def server(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """One ``patron serve`` per backend for the whole session, killed at the end."""
    backend = "sqlite" if database_url.startswith("sqlite") else "postgresql"
    if not Path(PATRON_BIN).exists():
        pytest.fail(f"PATRON_BIN {PATRON_BIN} does not exist (set PATRON_BIN to the patron executable)")
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    log_path = tmp_path_factory.mktemp(f"server-{backend}") / "server.log"
    env = dict(os.environ, PATRON_DATABASE_URL=database_url)
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            [PATRON_BIN, "serve", "--host", "127.0.0.1", "--port", str(port)],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while not healthy(base_url):
            if proc.poll() is not None:
                pytest.fail(f"patron serve exited {proc.returncode}:\n{log_path.read_text()}")
            if time.monotonic() > deadline:
                pytest.fail(f"patron serve not healthy after {STARTUP_TIMEOUT_S}s:\n{log_path.read_text()}")
            time.sleep(0.05)
        yield Server(backend=backend, base_url=base_url, database_url=database_url, log_path=log_path)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


TENANTS_WANTED = pytest.StashKey[dict[str, int]]()
TENANT_FIXTURES = ("tenant", "other_tenant")


def pytest_collection_finish(session: pytest.Session) -> None:
    """Count the tenants each backend's selected tests will take, so the pool makes that many."""
    wanted: dict[str, int] = {}
    for item in session.items:
        callspec = getattr(item, "callspec", None)
        backend = callspec.params.get("database_url") if callspec else None
        if backend is None:
            continue
        names = getattr(item, "fixturenames", ())
        wanted[backend] = wanted.get(backend, 0) + sum(1 for name in TENANT_FIXTURES if name in names)
    session.config.stash[TENANTS_WANTED] = wanted


@pytest.fixture(scope="session")
def tenant_pool(request: pytest.FixtureRequest, server: Server) -> Iterator[TenantPool]:
    wanted = request.config.stash.get(TENANTS_WANTED, {})
    pool = TenantPool(server, expected=wanted.get(server.backend, 0))
    yield pool
    pool.close()


@pytest.fixture
def tenant(tenant_pool: TenantPool) -> Tenant:
    """A fresh account with a sandbox and a live Application (see _harness.Tenant)."""
    return tenant_pool.take()


@pytest.fixture
def other_tenant(tenant_pool: TenantPool) -> Tenant:
    """A second fresh account, for cross-account checks."""
    return tenant_pool.take()


@pytest.fixture
def api(tenant: Tenant) -> Any:
    """The SDK IntegrationApi of the tenant's sandbox Application."""
    return tenant.integration()
