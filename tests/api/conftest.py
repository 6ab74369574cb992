from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from patron.api.app import create_app
from patron.config import Settings
from patron.store.engine import Engine
from tests.factories import Tenant, create_tenant


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        yield client


@pytest.fixture
def app_engine(client: TestClient) -> Engine:
    engine: Engine = client.app.state.engine  # type: ignore[attr-defined]
    return engine


@pytest.fixture
def tenant(app_engine: Engine) -> Tenant:
    return create_tenant(app_engine)


def integration(key: str) -> dict[str, str]:
    return {"Authorization": f"ApiKey-v1 {key}"}


def management(key: str) -> dict[str, str]:
    return {"Authorization": f"ManagementKey-v1 {key}"}


@pytest.fixture
def other_tenant(app_engine: Engine, tenant: Tenant) -> Tenant:
    """A second account on the same server, to show that tenants never see each other."""
    return create_tenant(app_engine, name="Other")
