"""The SDK suite's harness: a patron server subprocess, its CLI, tenants made through the CLI.

Nothing here imports patron: the suite runs in a virtualenv holding one official SDK only.
"""

from __future__ import annotations

import itertools
import json
import os
import socket
import subprocess
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import _client as sdk

REPO_ROOT = Path(__file__).resolve().parent.parent
PATRON_BIN = os.environ.get("PATRON_BIN") or str(REPO_ROOT / ".venv" / "bin" / "patron")
CLI_TIMEOUT_S = 60.0
TENANT_WORKERS = 3
"""Threads making tenants ahead of demand: each tenant costs two CLI processes (about half a second
of CPU each), so making them while earlier tests talk to the server keeps the suite fast."""


@dataclass(frozen=True)
class Server:
    backend: str
    base_url: str
    database_url: str
    log_path: Path

    def cli(self, *args: str) -> dict[str, Any]:
        """Run ``patron <args>`` on this server's database; return the JSON object it prints."""
        env = dict(os.environ, PATRON_DATABASE_URL=self.database_url)
        proc = subprocess.run(
            [PATRON_BIN, *args], env=env, capture_output=True, text=True, timeout=CLI_TIMEOUT_S, check=False
        )
        if proc.returncode != 0:
            raise RuntimeError(
                f"patron {' '.join(args)} exited {proc.returncode}:\n{proc.stdout}\n{proc.stderr}"
            )
        try:
            out = json.loads(proc.stdout)
        except ValueError as exc:
            raise RuntimeError(f"patron {' '.join(args)} printed no JSON: {proc.stdout!r}") from exc
        if not isinstance(out, dict):
            raise RuntimeError(f"patron {' '.join(args)} printed {out!r}, not an object")
        return out


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def healthy(base_url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{base_url}/healthz", timeout=2) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False


def with_database(url: str, name: str) -> str:
    """``url`` with its database name replaced by ``name``."""
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))


@dataclass(frozen=True)
class App:
    """An Application as ``patron application create`` printed it."""

    id: int
    account_id: int
    name: str
    sandbox: bool
    currency: str
    api_key: str


def app_from_cli(printed: dict[str, Any]) -> App:
    return App(
        id=printed["id"],
        account_id=printed["accountId"],
        name=printed["name"],
        sandbox=printed["sandbox"],
        currency=printed["currency"],
        api_key=printed["apiKey"],
    )


class Tenant:
    """A fresh account of one server with a sandbox and a live Application.

    The live Application is created on first use (most tests never touch it, and each CLI call
    costs half a second); from a test's point of view it exists from the start.
    """

    def __init__(self, server: Server, number: int, account: dict[str, Any], sandbox: App) -> None:
        self.server = server
        self.base_url = server.base_url
        self.number = number
        self.account_id: int = account["id"]
        self.account_name: str = account["name"]
        self.management_key: str = account["managementKey"]
        self.sandbox = sandbox
        self._live: App | None = None
        self._extra = itertools.count(1)

    @property
    def live(self) -> App:
        if self._live is None:
            self._live = self.new_app(sandbox=False)
        return self._live

    def new_app(self, *, sandbox: bool) -> App:
        """Another Application of this account, made through the CLI."""
        env = "sandbox" if sandbox else "live"
        args = ["application", "create", "--account-id", str(self.account_id)]
        args += ["--name", f"t{self.number}-{env}-{next(self._extra)}"]
        if sandbox:
            args.append("--sandbox")
        app = app_from_cli(self.server.cli(*args))
        assert app.sandbox is sandbox
        assert app.account_id == self.account_id
        return app

    def integration(self, app: App | None = None) -> Any:
        """An SDK IntegrationApi with the key of ``app`` (default: the sandbox Application)."""
        return sdk.integration_api(self.base_url, (app or self.sandbox).api_key)

    def management(self) -> Any:
        """An SDK ManagementApi with the account's management key."""
        return sdk.management_api(self.base_url, self.management_key)


class TenantPool:
    """Makes tenants (account + sandbox Application) through the CLI ahead of demand.

    ``expected`` is how many tenants the collected tests will take from this server; that many are
    queued at once (more are made on demand), so no CPU goes to tenants nobody takes.
    """

    def __init__(self, server: Server, expected: int) -> None:
        self._server = server
        self._numbers = itertools.count(1)
        self._lock = threading.Lock()
        self._executor = ThreadPoolExecutor(max_workers=TENANT_WORKERS, thread_name_prefix="tenants")
        self._ready: deque[Future[Tenant]] = deque()
        for _ in range(expected):
            self._submit()

    def _submit(self) -> None:
        self._ready.append(self._executor.submit(self._make, next(self._numbers)))

    def _make(self, number: int) -> Tenant:
        account = self._server.cli("account", "create", "--name", f"sdk-tenant-{number}")
        sandbox = app_from_cli(
            self._server.cli(
                "application",
                "create",
                "--account-id",
                str(account["id"]),
                "--name",
                f"t{number}-sandbox",
                "--sandbox",
            )
        )
        assert sandbox.sandbox is True
        assert sandbox.account_id == account["id"]
        return Tenant(self._server, number, account, sandbox)

    def take(self) -> Tenant:
        with self._lock:
            if not self._ready:
                self._submit()
            future = self._ready.popleft()
        return future.result()

    def close(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)
