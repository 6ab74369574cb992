from starlette.testclient import TestClient

from tests.api.conftest import integration, management
from tests.api.test_auth import assert_error_body
from tests.factories import Tenant


def test_an_unknown_path_is_404_with_the_error_body(client: TestClient) -> None:
    assert_error_body(client.get("/v2/nothing-here"), 404)


def test_a_wrong_method_is_405_with_the_error_body(client: TestClient) -> None:
    assert_error_body(client.delete("/healthz"), 405)


def test_a_body_over_the_limit_is_413_and_never_parsed(client: TestClient, tenant: Tenant) -> None:
    huge = b"[" + b"1," * (3 * 1024 * 1024) + b"1]"

    response = client.put(
        "/v2/customer_sessions/s1",
        content=huge,
        headers={**integration(tenant.sandbox_key), "Content-Type": "application/json"},
    )

    assert_error_body(response, 413)


def test_a_path_parameter_of_the_wrong_type_points_at_the_parameter(
    client: TestClient, tenant: Tenant
) -> None:
    response = client.get("/v1/applications/not-a-number", headers=management(tenant.management_key))

    assert_error_body(response, 400)
    assert response.json()["errors"][0]["source"] == {"parameter": "applicationId"}


def test_health_answers_when_the_database_does(client: TestClient) -> None:
    response = client.get("/healthz")

    assert (response.status_code, response.json()) == (200, {"status": "ok"})
