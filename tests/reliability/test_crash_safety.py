"""A server killed with SIGKILL mid-load loses no acknowledged write and leaves no drift.

Loopback only; every loop is bounded in count and time.
"""

import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path

import httpx2
import pytest

from patron.services import audit
from patron.store.database import Transaction
from tests.factories import Store, create_tenant

PATRON = str(Path(sys.executable).parent / "patron")
KILLS = 3
WRITERS = 6


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def server(database_url: str, port: int) -> Iterator[subprocess.Popen[bytes]]:
    env = {**os.environ, "PATRON_DATABASE_URL": database_url}
    process = subprocess.Popen(
        [PATRON, "serve", "--port", str(port)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx2.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                    break
            except httpx2.TransportError:
                time.sleep(0.1)
        else:
            raise AssertionError("patron did not start")
        yield process
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=10)


def write_until_killed(
    port: int, key: str, prefix: str, acknowledged: dict[str, Decimal], stop: threading.Event
) -> None:
    """Close new sessions one after another; remember those the server acknowledged."""
    with httpx2.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) as client:
        for number in range(10_000):
            if stop.is_set():
                return
            session_id = f"{prefix}-{number}"
            price = Decimal(random.randint(1, 9999)) / 100
            body = {
                "customerSession": {
                    "profileId": f"customer-{number % 3}",
                    "state": "closed",
                    "cartItems": [{"sku": "s", "quantity": 1, "price": float(price)}],
                }
            }
            try:
                response = client.put(
                    f"/v2/customer_sessions/{session_id}",
                    json=body,
                    headers={"Authorization": f"ApiKey-v1 {key}"},
                )
            except httpx2.TransportError:
                return
            if response.status_code == 200:
                acknowledged[session_id] = price


async def drift(tx: Transaction) -> list[audit.Drift]:
    return [found async for found in audit.find_drift(tx)]


def test_acknowledged_writes_survive_sigkill(database_url: str, store: Store) -> None:
    tenant = create_tenant(store)
    acknowledged: dict[str, Decimal] = {}
    port = free_port()
    for round_number in range(KILLS):
        with server(database_url, port) as process:
            stop = threading.Event()
            writers = [
                threading.Thread(
                    target=write_until_killed,
                    args=(port, tenant.sandbox_key, f"r{round_number}w{w}", acknowledged, stop),
                )
                for w in range(WRITERS)
            ]
            for writer in writers:
                writer.start()
            time.sleep(random.uniform(0.5, 2.0))
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=10)
            stop.set()
            for writer in writers:
                writer.join(timeout=30)

    assert len(acknowledged) > 0
    with server(database_url, port):
        pass  # a restart after the last kill: the database must open and migrate cleanly

    async def sessions(tx: Transaction) -> dict[str, tuple[str, Decimal]]:
        rows = await tx.all(
            "SELECT integration_id, state, total FROM customer_sessions WHERE application_id = ?",
            tenant.sandbox_application_id,
        )
        return {row["integration_id"]: (row["state"], tx.read_money(row["total"])) for row in rows}

    stored = store.read(sessions)
    assert {sid: stored.get(sid) for sid in acknowledged} == {
        sid: ("closed", p) for sid, p in acknowledged.items()
    }
    assert store.read(drift) == []


@pytest.fixture(autouse=True)
def _seeded_randomness() -> None:
    random.seed(20261128)
