"""Concurrent writes through two real server processes on one database: none lost, none doubled.

Each test starts two `patron serve` processes on the test's database and fires requests at
both from a thread pool, so writers race across processes (SEMANTICS 2.5: concurrent writes to
one session or profile queue in the database and all apply).
"""

import json
import os
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx2
import pytest

from patron.services.audit import Drift, find_drift
from patron.store.database import Transaction
from tests.factories import Store, Tenant, create_tenant

# The `patron` script installed beside the interpreter running the tests.
PATRON = str(Path(sys.executable).parent / "patron")
STARTUP_SECONDS = 30
THREADS = 16


@dataclass(frozen=True)
class Answer:
    status: int
    body: Any


@dataclass(frozen=True)
class Servers:
    """Two servers on one database, and a tenant created before any traffic."""

    urls: tuple[str, str]
    tenant: Tenant
    client: httpx2.Client

    def call(self, index: int, method: str, path: str, body: Any = None, **params: str) -> Answer:
        """Send to server `index % 2`; JSON numbers come back as exact decimals."""
        response = self.client.request(
            method,
            self.urls[index % 2] + path,
            headers={
                "Authorization": f"ApiKey-v1 {self.tenant.sandbox_key}",
                "Content-Type": "application/json",
            },
            content=None if body is None else json.dumps(body),
            params=params,
        )
        parsed = json.loads(response.text, parse_float=Decimal) if response.content else None
        return Answer(response.status_code, parsed)

    def counters(self, profile_id: str) -> tuple[int, Decimal]:
        """closedSessions and totalSales, as an empty runRuleEngine=false update shows them."""
        answer = self.call(0, "PUT", f"/v2/customer_profiles/{profile_id}", {}, runRuleEngine="false")
        assert answer.status == 200, answer.body
        profile = answer.body["customerProfile"]
        return profile["closedSessions"], Decimal(profile["totalSales"])


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _wait_until_healthy(client: httpx2.Client, url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"patron serve exited with {process.returncode}:\n{log.read_text()}")
        try:
            if client.get(f"{url}/healthz").status_code == 200:
                return
        except httpx2.TransportError:
            pass
        time.sleep(0.1)
    pytest.fail(f"patron serve did not become healthy in {STARTUP_SECONDS} s:\n{log.read_text()}")


@pytest.fixture
def servers(database_url: str, store: Store, tmp_path: Path) -> Iterator[Servers]:
    tenant = create_tenant(store)
    env = {**os.environ, "PATRON_DATABASE_URL": database_url}
    processes: list[subprocess.Popen[bytes]] = []
    logs: list[Path] = []
    urls: list[str] = []
    client = httpx2.Client(timeout=30, trust_env=False)
    try:
        for index in range(2):
            port = _free_port()
            log = tmp_path / f"server-{index}.log"
            with log.open("wb") as output:
                processes.append(
                    subprocess.Popen(
                        [PATRON, "serve", "--port", str(port)],
                        env=env,
                        stdout=output,
                        stderr=subprocess.STDOUT,
                    )
                )
            logs.append(log)
            urls.append(f"http://127.0.0.1:{port}")
        for url, process, log in zip(urls, processes, logs, strict=True):
            _wait_until_healthy(client, url, process, log)
        yield Servers((urls[0], urls[1]), tenant, client)
    finally:
        client.close()
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


async def drift(tx: Transaction) -> list[Drift]:
    return [found async for found in find_drift(tx)]


def in_parallel(count: int, request: Callable[[int], Answer]) -> list[Answer]:
    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        return list(pool.map(request, range(count)))


def test_sixty_orders_of_one_customer_through_two_servers_all_count(servers: Servers, store: Store) -> None:
    def order(index: int) -> Answer:
        body = {
            "customerSession": {
                "profileId": "p1",
                "state": "closed",
                "cartItems": [{"sku": "s", "quantity": 1, "price": 10.01}],
            }
        }
        return servers.call(index, "PUT", f"/v2/customer_sessions/order-{index}", body)

    answers = in_parallel(60, order)

    assert [answer.status for answer in answers] == [200] * 60, [a.body for a in answers if a.status != 200]
    assert servers.counters("p1") == (60, Decimal("600.6"))
    assert store.read(drift) == []


def test_thirty_concurrent_updates_of_one_session_all_apply_in_some_order(
    servers: Servers, store: Store
) -> None:
    def update(index: int) -> Answer:
        cart = [{"sku": f"sku-{index}", "quantity": 1, "price": index + 1.25}]
        body = {"customerSession": {"profileId": "p1", "state": "open", "cartItems": cart}}
        return servers.call(index, "PUT", "/v2/customer_sessions/basket", body)

    answers = in_parallel(30, update)

    assert [answer.status for answer in answers] == [200] * 30, [a.body for a in answers if a.status != 200]
    # One write created the session (updateCount 1); each later one saw all before it.
    seen = sorted(answer.body["customerSession"]["updateCount"] for answer in answers)
    assert seen == list(range(1, 31))
    last = next(answer for answer in answers if answer.body["customerSession"]["updateCount"] == 30)
    last_total = last.body["customerSession"]["total"]

    closed = servers.call(1, "PUT", "/v2/customer_sessions/basket", {"customerSession": {"state": "closed"}})

    assert closed.status == 200, closed.body
    assert closed.body["customerSession"]["updateCount"] == 31
    assert (
        closed.body["customerSession"]["cartItems"][0]["sku"]
        == last.body["customerSession"]["cartItems"][0]["sku"]
    )
    assert closed.body["customerSession"]["total"] == last_total
    assert servers.counters("p1") == (1, last_total)
    assert store.read(drift) == []


def test_concurrent_returns_of_single_units_stop_exactly_when_the_units_run_out(
    servers: Servers, store: Store
) -> None:
    order = {
        "customerSession": {
            "profileId": "p1",
            "state": "closed",
            "cartItems": [
                {"sku": "sock", "quantity": 20, "price": 1.25, "additionalCosts": {"wrap": {"price": 0.1}}}
            ],
            "additionalCosts": {"shipping": {"price": 5}},
        }
    }
    created = servers.call(0, "PUT", "/v2/customer_sessions/order", order)
    assert created.status == 200, created.body
    assert servers.counters("p1") == (1, Decimal("32.00"))

    def return_one(index: int) -> Answer:
        body = {"return": {"returnedCartItems": [{"position": 0, "quantity": 1}]}}
        return servers.call(index, "POST", "/v2/customer_sessions/order/returns", body)

    answers = in_parallel(25, return_one)

    assert Counter(answer.status for answer in answers) == {200: 20, 400: 5}, [a.body for a in answers]
    item = servers.call(0, "GET", "/v2/customer_sessions/order").body["customerSession"]["cartItems"][0]
    assert (item["returnedQuantity"], item["remainingQuantity"]) == (20, 0)
    # Every unit came back with its own cost; the shipping stays until a cancel.
    assert servers.counters("p1") == (1, Decimal("5.00"))
    assert store.read(drift) == []


def test_concurrent_replays_of_one_idempotency_key_apply_once(servers: Servers, store: Store) -> None:
    body = {
        "customerSession": {
            "profileId": "p1",
            "state": "closed",
            "cartItems": [{"sku": "s", "quantity": 1, "price": 7.25}],
        }
    }
    servers.call(0, "PUT", "/v2/customer_sessions/s1", body)
    returned = json.dumps({"return": {"returnedCartItems": [{"position": 0, "quantity": 1}]}})

    def replay(index: int) -> Answer:
        response = servers.client.post(
            servers.urls[index % 2] + "/v2/customer_sessions/s1/returns",
            headers={
                "Authorization": f"ApiKey-v1 {servers.tenant.sandbox_key}",
                "Content-Type": "application/json",
                "Idempotency-Key": "one-return",
            },
            content=returned,
        )
        return Answer(response.status_code, response.content)

    answers = in_parallel(20, replay)

    assert Counter(answer.status for answer in answers) == {200: 20}
    assert len({answer.body for answer in answers}) == 1
    assert servers.counters("p1") == (1, Decimal("0.00"))
    assert store.read(drift) == []
