from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from patron.api.app import create_app
from patron.config import Settings

# Every in-scope operation of ../shared/spec/ENDPOINTS.md, as (method, path, operationId).
OPERATIONS = [
    ("put", "/v2/customer_sessions/{customerSessionId}", "updateCustomerSessionV2"),
    ("get", "/v2/customer_sessions/{customerSessionId}", "getCustomerSession"),
    ("post", "/v2/customer_sessions/{customerSessionId}/returns", "returnCartItems"),
    ("put", "/v2/customer_sessions/{customerSessionId}/reopen", "reopenCustomerSession"),
    ("put", "/v2/customer_profiles/{integrationId}", "updateCustomerProfileV2"),
    ("put", "/v2/customer_profiles", "updateCustomerProfilesV2"),
    ("post", "/v2/events", "trackEventV2"),
    ("post", "/v2/audiences", "createAudienceV2"),
    ("put", "/v2/audiences/{audienceId}", "updateAudienceV2"),
    ("delete", "/v2/audiences/{audienceId}", "deleteAudienceV2"),
    ("delete", "/v2/audiences/{audienceId}/memberships", "deleteAudienceMembershipsV2"),
    ("post", "/v2/customer_audiences", "updateCustomerProfileAudiences"),
    ("put", "/v2/audience_customers/{audienceId}/attributes", "updateAudienceCustomersAttributes"),
    ("delete", "/v1/customer_data/{integrationId}", "deleteCustomerData"),
    ("get", "/v1/customers/{customerId}", "getCustomerProfile"),
    ("get", "/v1/customers/no_total", "getCustomerProfiles"),
    ("post", "/v1/customer_search/no_total", "getCustomersByAttributes"),
    ("get", "/v1/applications/{applicationId}/customers", "getApplicationCustomers"),
    ("get", "/v1/applications/{applicationId}/customers/{customerId}", "getApplicationCustomer"),
    ("post", "/v1/applications/{applicationId}/customer_search", "getApplicationCustomersByAttributes"),
    ("get", "/v1/applications/{applicationId}/customers/{customerId}/analytics", "getCustomerAnalytics"),
    (
        "get",
        "/v1/applications/{applicationId}/customer_activity_reports/{customerId}",
        "getCustomerActivityReport",
    ),
    ("get", "/v1/applications/{applicationId}/sessions", "getApplicationSessions"),
    ("get", "/v1/applications/{applicationId}/sessions/{sessionId}", "getApplicationSession"),
    ("get", "/v1/applications/{applicationId}/export_customer_sessions", "exportCustomerSessions"),
    ("get", "/v1/audiences", "getAudiences"),
    ("get", "/v1/audiences/{audienceId}/memberships", "getAudienceMemberships"),
    ("get", "/v1/audiences/{audienceId}/memberships/export", "exportAudiencesMemberships"),
    ("post", "/v1/audiences/{audienceId}/memberships/import", "importAudiencesMemberships"),
    ("get", "/v1/attributes", "getAttributes"),
    ("post", "/v1/attributes", "createAttribute"),
    ("get", "/v1/applications", "getApplications"),
    ("get", "/v1/applications/{applicationId}", "getApplication"),
]


@pytest.fixture(scope="module")
def openapi_document(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    database = tmp_path_factory.mktemp("openapi") / "patron.db"
    with TestClient(create_app(Settings(database_url=f"sqlite:///{database}"))) as client:
        document: dict[str, Any] = client.get("/openapi.json").json()
    return document


SPEC = Path(__file__).parents[3] / "shared" / "spec" / "openapi"


def test_the_operation_list_matches_the_spec_files() -> None:
    if not SPEC.is_dir():
        pytest.skip(f"{SPEC} is not beside this checkout")
    spec_files = {p.name for p in SPEC.glob("*/paths/*.yaml")}
    ours = {path.strip("/").replace("/", "-") + ".yaml" for _, path, _ in OPERATIONS}

    assert ours == spec_files


@pytest.mark.parametrize(("method", "path", "operation_id"), OPERATIONS, ids=[op for *_, op in OPERATIONS])
def test_every_in_scope_operation_is_declared_with_talons_operation_id(
    openapi_document: dict[str, Any], method: str, path: str, operation_id: str
) -> None:
    assert openapi_document["paths"][path][method]["operationId"] == operation_id


def test_interactive_docs_are_served(client: TestClient) -> None:
    response = client.get("/docs")

    assert response.status_code == 200
    assert "swagger" in response.text.lower()


def operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(method, path, document["paths"][path][method]) for method, path, _ in OPERATIONS]


def error_statuses(operation: dict[str, Any]) -> set[str]:
    error = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorResponseWithStatus"}}}
    return {status for status, answer in operation["responses"].items() if answer.get("content") == error}


def test_errors_are_documented_with_talons_body_and_the_422_is_gone(openapi_document: dict[str, Any]) -> None:
    schemas = openapi_document["components"]["schemas"]

    assert "HTTPValidationError" not in schemas
    assert schemas["ErrorResponseWithStatus"]["required"] == ["message", "errors", "StatusCode"]
    assert schemas["APIError"]["required"] == ["title", "source"]
    assert set(schemas["ErrorSource"]["properties"]) == {"pointer", "parameter", "line"}
    for method, path, operation in operations(openapi_document):
        statuses = error_statuses(operation)
        writes = method != "get" and "search" not in path
        assert "422" not in operation["responses"], path
        assert {"400", "401"} <= statuses, path
        assert ("409" in statuses) == writes, path
        assert ("413" in statuses) == ("requestBody" in operation), path
        assert "501" not in operation["responses"], path


@pytest.mark.parametrize(
    ("path", "method", "statuses"),
    [
        ("/v2/customer_sessions/{customerSessionId}", "put", {"400", "401", "409", "413"}),
        ("/v2/customer_sessions/{customerSessionId}", "get", {"400", "401", "404"}),
        ("/v2/customer_audiences", "post", {"400", "401", "404", "409", "413"}),
        ("/v1/customers/no_total", "get", {"400", "401"}),
        ("/v1/audiences/{audienceId}/memberships/import", "post", {"400", "401", "404", "409", "413"}),
    ],
)
def test_each_operation_lists_the_errors_it_can_answer(
    openapi_document: dict[str, Any], path: str, method: str, statuses: set[str]
) -> None:
    assert error_statuses(openapi_document["paths"][path][method]) == statuses


def test_keys_are_documented_as_security_schemes(openapi_document: dict[str, Any]) -> None:
    schemes = openapi_document["components"]["securitySchemes"]

    assert schemes["api_key_v1"] == schemes["api_key_v1"] | {
        "type": "apiKey",
        "in": "header",
        "name": "Authorization",
    }
    assert schemes["management_key"]["name"] == "Authorization"
    for _, path, operation in operations(openapi_document):
        integration = path.startswith(("/v2/", "/v1/customer_data/"))
        assert operation["security"] == [{"api_key_v1" if integration else "management_key": []}], path


def test_success_statuses_and_content_types_are_the_real_ones(openapi_document: dict[str, Any]) -> None:
    paths = openapi_document["paths"]

    def content(path: str, method: str, status: str) -> dict[str, Any] | None:
        result: dict[str, Any] | None = paths[path][method]["responses"][status].get("content")
        return result

    assert content("/v2/audiences", "post", "201") is not None
    assert content("/v2/events", "post", "204") is None
    assert content("/v2/customer_profiles", "put", "204") is None
    assert content("/v2/audiences/{audienceId}", "delete", "204") is None
    assert content("/v1/customer_data/{integrationId}", "delete", "204") is None
    for export in (
        "/v1/applications/{applicationId}/export_customer_sessions",
        "/v1/audiences/{audienceId}/memberships/export",
    ):
        assert content(export, "get", "200") == {
            "application/csv": {"schema": {"type": "string", "format": "csv"}}
        }
    upload = paths["/v1/audiences/{audienceId}/memberships/import"]["post"]["requestBody"]["content"]
    assert upload["multipart/form-data"]["schema"]["required"] == ["upFile"]


def test_money_is_documented_as_a_json_number(openapi_document: dict[str, Any]) -> None:
    schemas = openapi_document["components"]["schemas"]

    for schema, field in [
        ("CustomerProfile", "totalSales"),
        ("CustomerSessionV2", "total"),
        ("CustomerSessionV2", "cartItemTotal"),
        ("CartItem", "price"),
        ("AdditionalCost", "price"),
        ("CustomerAnalytics", "totalRevenue"),
        ("CustomerActivityReport", "accruedRevenue"),
        ("ApplicationSession", "total"),
    ]:
        assert schemas[schema]["properties"][field]["type"] == "number", (schema, field)
    price = schemas["CartItemIn"]["properties"]["price"]
    assert (price["type"], price["minimum"], price["maximum"]) == ("number", -(10**15), 10**15)


def test_the_profile_schema_describes_its_fields(openapi_document: dict[str, Any]) -> None:
    profile = openapi_document["components"]["schemas"]["CustomerProfile"]

    assert {"integrationId", "totalSales", "loyaltyMemberships"} <= set(profile["required"])
    assert profile["properties"]["loyaltyMemberships"]["type"] == "null"


def test_parameters_are_never_documented_as_null(openapi_document: dict[str, Any]) -> None:
    for _, path, operation in operations(openapi_document):
        for parameter in operation.get("parameters", []):
            assert "null" not in str(parameter["schema"]), (path, parameter["name"])
