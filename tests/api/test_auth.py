from typing import Any

import pytest
from starlette.testclient import TestClient

from tests.api.conftest import integration, management
from tests.factories import Store, Tenant, create_tenant

INTEGRATION_PATH = "/v2/customer_sessions/s1"
MANAGEMENT_PATH = "/v1/applications"


def assert_error_body(response: Any, status: int) -> None:
    assert response.status_code == status
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert isinstance(body["message"], str)
    assert body["message"]
    assert body["StatusCode"] == status
    assert len(body["errors"]) >= 1
    for error in body["errors"]:
        assert error["title"]
        assert isinstance(error["source"], dict)


@pytest.mark.parametrize(
    "authorization",
    [
        None,
        "",
        "ApiKey-v1",
        "ApiKey-v1 ",
        "apikey-v1 {key}",
        "Bearer {key}",
        "ApiKey-v1  {key}",
        "ApiKey-v1 nope",
    ],
    ids=["absent", "empty", "prefix-only", "prefix-space", "lowercase", "bearer", "two-spaces", "unknown"],
)
def test_bad_integration_credentials_are_401(
    client: TestClient, tenant: Tenant, authorization: str | None
) -> None:
    headers = {} if authorization is None else {"Authorization": authorization.format(key=tenant.sandbox_key)}

    response = client.get(INTEGRATION_PATH, headers=headers)

    assert_error_body(response, 401)
    assert response.json()["errors"][0]["source"] == {"parameter": "Authorization"}


def test_a_management_key_is_no_integration_key(client: TestClient, tenant: Tenant) -> None:
    response = client.get(INTEGRATION_PATH, headers=integration(tenant.management_key))

    assert_error_body(response, 401)


def test_an_integration_key_is_no_management_key(client: TestClient, tenant: Tenant) -> None:
    response = client.get(MANAGEMENT_PATH, headers=management(tenant.sandbox_key))

    assert_error_body(response, 401)


def test_a_management_key_lists_only_its_own_applications(
    client: TestClient, tenant: Tenant, app_store: Store
) -> None:
    other = create_tenant(app_store, name="Other")

    response = client.get(MANAGEMENT_PATH, headers=management(tenant.management_key))

    assert response.status_code == 200
    body = response.json()
    assert body["totalResultSize"] == 2
    assert {app["id"] for app in body["data"]} == {tenant.sandbox_application_id, tenant.live_application_id}
    assert other.sandbox_application_id not in {app["id"] for app in body["data"]}


def test_another_accounts_application_is_404(client: TestClient, tenant: Tenant, app_store: Store) -> None:
    other = create_tenant(app_store, name="Other")

    response = client.get(
        f"{MANAGEMENT_PATH}/{other.live_application_id}", headers=management(tenant.management_key)
    )

    assert_error_body(response, 404)
    assert response.json()["errors"][0]["source"] == {"parameter": "applicationId"}


def test_an_application_reads_in_talon_shape(client: TestClient, tenant: Tenant) -> None:
    response = client.get(
        f"{MANAGEMENT_PATH}/{tenant.sandbox_application_id}", headers=management(tenant.management_key)
    )

    assert response.status_code == 200
    body = response.json()
    assert body["id"] == tenant.sandbox_application_id
    assert body["accountId"] == tenant.account_id
    assert body["sandbox"] is True
    assert body["loyaltyPrograms"] == []
    assert body["created"].endswith("Z")
