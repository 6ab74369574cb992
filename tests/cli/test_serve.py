"""`patron serve` from spawn to its first answer, and what it leaves unloaded on the way."""

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from patron.config import Settings
from patron.store.database import open_database
from patron.store.schema import HEAD_REVISION, stored_revisions
from tests.conftest import BACKENDS
from tests.fresh_databases import fresh_database

PATRON = str(Path(sys.executable).parent / "patron")


@pytest.fixture(params=BACKENDS)
def fresh_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    with fresh_database(request.param, tmp_path) as url:
        yield url


@pytest.mark.parametrize("workers", [1, 2])
def test_serve_migrates_a_new_database_then_answers(fresh_url: str, workers: int) -> None:
    port = _free_port()
    env = {**os.environ, "PATRON_DATABASE_URL": fresh_url}
    command = [PATRON, "serve", "--port", str(port), "--workers", str(workers)]
    server = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True
    )
    try:
        status = _first_status(server, f"http://127.0.0.1:{port}/healthz")
    finally:
        os.killpg(server.pid, signal.SIGINT)
        server.wait(timeout=60)
        assert server.stderr is not None
        server.stderr.close()
    revisions = asyncio.run(_stored_revisions(fresh_url))

    assert status == 200
    assert revisions == [HEAD_REVISION]


def test_the_command_line_alone_loads_no_server_database_or_transfer_code() -> None:
    code = (
        "import sys, typer.main\n"
        "from patron.cli import app\n"
        "typer.main.get_command(app)\n"
        "print(__import__('json').dumps(sorted(sys.modules)))\n"
    )

    loaded = _modules_after(code)

    unwanted = ("alembic", "fastapi", "rich", "sqlalchemy", "uvicorn", "patron.api", "patron.services")
    assert [name for name in loaded if name.startswith(unwanted)] == []


def test_the_served_app_loads_neither_alembic_nor_the_transfer_commands(database_url: str) -> None:
    code = (
        "import gc, json, sys\n"
        "from patron.cli.app import server_app\n"
        "server_app()\n"
        "assert gc.isenabled() and gc.get_freeze_count() > 0\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )

    loaded = _modules_after(code, PATRON_DATABASE_URL=database_url)

    assert "patron.api.app" in loaded
    unwanted = ("alembic", "rich", "patron.services.transfer", "patron.cli.demo")
    assert [name for name in loaded if name.startswith(unwanted)] == []


async def _stored_revisions(url: str) -> list[str]:
    database = await open_database(Settings(database_url=url))
    try:
        return await stored_revisions(database)
    finally:
        await database.close()


def _modules_after(code: str, **env: str) -> list[str]:
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    modules: list[str] = json.loads(result.stdout)
    return modules


def _first_status(server: "subprocess.Popen[bytes]", url: str) -> int:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            assert server.stderr is not None
            pytest.fail(f"server exited: {server.stderr.read().decode()}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                status: int = response.status
                return status
        except OSError:
            time.sleep(0.02)
    pytest.fail("server did not answer within 60 s")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port
