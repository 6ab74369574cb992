from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from patron.api.app import create_app
from patron.config import Settings
from tests.factories import Store, Tenant, create_tenant


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        yield client


@pytest.fixture
def app_store(client: TestClient) -> Store:
    """The server's own database, used from the test (on the server's event loop)."""
    return Store.of(client)


@pytest.fixture
def tenant(app_store: Store) -> Tenant:
    return create_tenant(app_store)


def integration(key: str) -> dict[str, str]:
    return {"Authorization": f"ApiKey-v1 {key}"}


def management(key: str) -> dict[str, str]:
    return {"Authorization": f"ManagementKey-v1 {key}"}


@pytest.fixture
def other_tenant(app_store: Store, tenant: Tenant) -> Tenant:
    """A second account on the same server, to show that tenants never see each other."""
    return create_tenant(app_store, name="Other")
