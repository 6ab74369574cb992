from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

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
