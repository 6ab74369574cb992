"""A write that cannot get its turn within the lock timeout answers Talon.One's 409 (SEMANTICS 2.5)."""

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from patron.api.app import create_app
from patron.config import Settings
from patron.store.engine import Engine
from patron.store.unit_of_work import UnitOfWork
from tests.api.integration_client import call, item
from tests.factories import create_tenant


@pytest.fixture
def impatient_client(database_url: str) -> Iterator[TestClient]:
    settings = Settings(database_url=database_url, lock_timeout_seconds=0.3)
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        yield client


def test_a_write_stuck_behind_another_gets_409_and_changes_nothing(impatient_client: TestClient) -> None:
    engine = impatient_client.app.state.engine  # type: ignore[attr-defined]
    tenant = create_tenant(engine)
    body = {"customerSession": {"profileId": "p1", "state": "closed", "cartItems": [item("a", 1, "10")]}}

    with UnitOfWork(engine, write=True) as holder:
        holder.lock_session(tenant.sandbox_application_id, "s1")
        holder.lock_profiles(tenant.account_id, True, ["p1"])
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


def admit(engine: Engine, resource: str, tickets: int, *, started: datetime, prefix: str = "other") -> None:
    """Tickets of other requests in flight, as if they were running right now."""
    with UnitOfWork(engine, write=True) as uow:
        for ticket in range(tickets):
            uow.admission.add(resource, f"{prefix}-{ticket}", now=started)
        uow.commit()


def test_the_emulated_talon_limit_refuses_a_sixth_parallel_write_at_once(
    talon_like_client: TestClient,
) -> None:
    engine = talon_like_client.app.state.engine  # type: ignore[attr-defined]
    tenant = create_tenant(engine)
    body = {"customerSession": {"profileId": "p1", "cartItems": [item("a", 1, "10")]}}
    resource = f"session:{tenant.sandbox_application_id}:s1"

    admit(engine, resource, 4, started=datetime.now(UTC))
    fifth = call(talon_like_client, "PUT", "/v2/customer_sessions/s1", tenant.sandbox_key, body)
    admit(engine, resource, 1, started=datetime.now(UTC), prefix="fifth")
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
    engine = talon_like_client.app.state.engine  # type: ignore[attr-defined]
    tenant = create_tenant(engine)
    resource = f"profile:{tenant.account_id}:1:p1"
    admit(engine, resource, 5, started=datetime.now(UTC) - timedelta(hours=1))

    answer = call(
        talon_like_client, "PUT", "/v2/customer_profiles/p1", tenant.sandbox_key, {}, runRuleEngine="true"
    )

    assert answer.status == 200
