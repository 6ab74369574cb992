"""A write that cannot get its turn within the lock timeout answers Talon.One's 409 (SEMANTICS 2.5)."""

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import psycopg
import pytest
from starlette.testclient import TestClient

from patron.api.app import create_app
from patron.config import Settings
from patron.store import locks
from patron.store.database import Transaction
from patron.store.postgres import lock_key
from tests.api.integration_client import call, item
from tests.factories import Store, create_tenant


@pytest.fixture
def impatient_client(database_url: str) -> Iterator[TestClient]:
    settings = Settings(database_url=database_url, lock_timeout_seconds=0.3)
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        yield client


@contextmanager
def holding(database_url: str, *names: str) -> Iterator[None]:
    """Another writer holding the locks `names` until the block ends (on SQLite: the write lock)."""
    if database_url.startswith("sqlite"):
        connection = sqlite3.connect(database_url.split(":///", 1)[1], isolation_level=None)
        try:
            connection.execute("BEGIN IMMEDIATE")
            yield
            connection.rollback()
        finally:
            connection.close()
        return
    with psycopg.connect(database_url) as holder, holder.transaction(force_rollback=True):
        for name in names:
            holder.execute("SELECT pg_advisory_xact_lock(%s)", (lock_key(name),))
        yield


def test_a_write_stuck_behind_another_gets_409_and_changes_nothing(
    impatient_client: TestClient, database_url: str
) -> None:
    tenant = create_tenant(Store.of(impatient_client))
    body = {"customerSession": {"profileId": "p1", "state": "closed", "cartItems": [item("a", 1, "10")]}}

    with holding(
        database_url,
        locks.session(tenant.sandbox_application_id, "s1"),
        *locks.profiles(tenant.account_id, True, ["p1"]),
    ):
        blocked = call(impatient_client, "PUT", "/v2/customer_sessions/s1", tenant.sandbox_key, body)

    assert blocked.status == 409
    assert blocked["message"] == "Too many requests are updating this session at the same time"
    assert blocked["StatusCode"] == 409
    assert call(impatient_client, "GET", "/v2/customer_sessions/s1", tenant.sandbox_key).status == 404
    assert call(impatient_client, "PUT", "/v2/customer_sessions/s1", tenant.sandbox_key, body).status == 200


@pytest.fixture
def talon_like_client(database_url: str) -> Iterator[TestClient]:
    settings = Settings(database_url=database_url, emulate_talon_concurrency_limit=True)
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        yield client


def admit(store: Store, resource: str, tickets: int, *, started: datetime, prefix: str = "other") -> None:
    """Tickets of other requests in flight, as if they were running right now."""

    async def add(tx: Transaction) -> None:
        for ticket in range(tickets):
            await tx.admission.add(resource, f"{prefix}-{ticket}", now=started)

    store.write(add)


def test_the_emulated_talon_limit_refuses_a_sixth_parallel_write_at_once(
    talon_like_client: TestClient,
) -> None:
    store = Store.of(talon_like_client)
    tenant = create_tenant(store)
    body = {"customerSession": {"profileId": "p1", "cartItems": [item("a", 1, "10")]}}
    resource = f"session:{tenant.sandbox_application_id}:s1"

    admit(store, resource, 4, started=datetime.now(UTC))
    fifth = call(talon_like_client, "PUT", "/v2/customer_sessions/s1", tenant.sandbox_key, body)
    admit(store, resource, 1, started=datetime.now(UTC), prefix="fifth")
    sixth = call(talon_like_client, "PUT", "/v2/customer_sessions/s1", tenant.sandbox_key, body)
    dry = call(talon_like_client, "PUT", "/v2/customer_sessions/s1", tenant.sandbox_key, body, dry="true")

    assert fifth.status == 200
    assert (sixth.status, sixth["message"]) == (
        409,
        "Too many requests are updating this session at the same time",
    )
    assert dry.status == 200
    assert (
        call(talon_like_client, "GET", "/v2/customer_sessions/s1", tenant.sandbox_key)["customerSession"][
            "updateCount"
        ]
        == 1
    )


def test_tickets_left_by_crashed_requests_expire(talon_like_client: TestClient) -> None:
    store = Store.of(talon_like_client)
    tenant = create_tenant(store)
    resource = f"profile:{tenant.account_id}:1:p1"
    admit(store, resource, 5, started=datetime.now(UTC) - timedelta(hours=1))

    answer = call(
        talon_like_client, "PUT", "/v2/customer_profiles/p1", tenant.sandbox_key, {}, runRuleEngine="true"
    )

    assert answer.status == 200
