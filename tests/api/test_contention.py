"""A write that cannot get its turn within the lock timeout answers Talon.One's 409 (SEMANTICS 2.5)."""

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from patron.api.app import create_app
from patron.config import Settings
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
