"""No key sees another tenant's data: every route, enumerated from the application itself.

A route missing from ROUTES fails the test, so a new route cannot skip this check.
"""

from typing import Any

import pytest
from starlette.testclient import TestClient

from patron.api.app import document
from tests.api.conftest import integration, management
from tests.api.integration_client import call, item, profile, put_session
from tests.factories import Store, Tenant, create_application

# What a foreign key may do on each route: "lookup" routes answer 404 for another tenant's
# resource; "upsert" routes act on the caller's own namespace and must leave the owner's untouched.
ROUTES: dict[tuple[str, str], str] = {
    ("PUT", "/v2/customer_sessions/{customerSessionId}"): "upsert",
    ("GET", "/v2/customer_sessions/{customerSessionId}"): "lookup",
    ("POST", "/v2/customer_sessions/{customerSessionId}/returns"): "lookup",
    ("PUT", "/v2/customer_sessions/{customerSessionId}/reopen"): "lookup",
    ("PUT", "/v2/customer_profiles/{integrationId}"): "upsert",
    ("PUT", "/v2/customer_profiles"): "upsert",
    ("POST", "/v2/events"): "upsert",
    ("POST", "/v2/audiences"): "upsert",
    ("PUT", "/v2/audiences/{audienceId}"): "lookup",
    ("DELETE", "/v2/audiences/{audienceId}"): "lookup",
    ("DELETE", "/v2/audiences/{audienceId}/memberships"): "lookup",
    ("POST", "/v2/customer_audiences"): "lookup",
    ("PUT", "/v2/audience_customers/{audienceId}/attributes"): "lookup",
    ("DELETE", "/v1/customer_data/{integrationId}"): "lookup",
    ("GET", "/v1/customers/no_total"): "list",
    ("GET", "/v1/customers/{customerId}"): "lookup",
    ("POST", "/v1/customer_search/no_total"): "list",
    ("GET", "/v1/applications/{applicationId}/customers"): "lookup",
    ("GET", "/v1/applications/{applicationId}/customers/{customerId}"): "lookup",
    ("POST", "/v1/applications/{applicationId}/customer_search"): "lookup",
    ("GET", "/v1/applications/{applicationId}/customers/{customerId}/analytics"): "lookup",
    ("GET", "/v1/applications/{applicationId}/customer_activity_reports/{customerId}"): "lookup",
    ("GET", "/v1/applications/{applicationId}/sessions"): "lookup",
    ("GET", "/v1/applications/{applicationId}/sessions/{sessionId}"): "lookup",
    ("GET", "/v1/applications/{applicationId}/export_customer_sessions"): "lookup",
    ("GET", "/v1/audiences"): "list",
    ("GET", "/v1/audiences/{audienceId}/memberships"): "lookup",
    ("GET", "/v1/audiences/{audienceId}/memberships/export"): "lookup",
    ("POST", "/v1/audiences/{audienceId}/memberships/import"): "lookup",
    ("GET", "/v1/attributes"): "list",
    ("POST", "/v1/attributes"): "upsert",
    ("GET", "/v1/applications"): "list",
    ("GET", "/v1/applications/{applicationId}"): "lookup",
}
PUBLIC = {"/healthz", "/openapi.json", "/docs", "/docs/oauth2-redirect", "/redoc"}
SECRET = "owner-only-secret"


def declared_routes() -> list[tuple[str, str]]:
    """Every operation the application serves, read from its own OpenAPI document."""
    paths: dict[str, dict[str, Any]] = document()["paths"]
    return sorted(
        (method.upper(), path)
        for path, operations in paths.items()
        if path not in PUBLIC
        for method in operations
    )


def test_every_route_is_classified() -> None:
    assert set(declared_routes()) == set(ROUTES)


class Owner:
    """Tenant A's data: one of everything, carrying SECRET where the wire shows attributes."""

    def __init__(self, client: TestClient, tenant: Tenant) -> None:
        key = tenant.sandbox_key
        call(client, "PUT", "/v2/customer_profiles/p1", key, {"attributes": {"b": SECRET}})
        put_session(client, key, "s1", profileId="p1", state="closed", cartItems=[item("A", 2, "10")])
        self.audience_id: int = call(client, "POST", "/v2/audiences", key, {"name": SECRET})["id"]
        call(
            client,
            "PUT",
            "/v2/customer_profiles/p1",
            key,
            {"audiencesChanges": {"adds": [self.audience_id], "deletes": []}},
        )
        self.profile_id: int = profile(client, key, "p1")["id"]
        self.session_id: int = call(client, "GET", "/v2/customer_sessions/s1", key)["customerSession"]["id"]
        self.application_id = tenant.sandbox_application_id

    def path(self, template: str) -> str:
        return template.format(
            customerSessionId="s1",
            integrationId="p1",
            audienceId=self.audience_id,
            customerId=self.profile_id,
            applicationId=self.application_id,
            sessionId=self.session_id,
        )


BODIES: dict[str, Any] = {
    "/v2/customer_sessions/{customerSessionId}": {"customerSession": {"profileId": "p1", "state": "closed"}},
    "/v2/customer_sessions/{customerSessionId}/returns": {"return": {"returnedCartItems": [{"position": 0}]}},
    "/v2/customer_profiles/{integrationId}": {"attributes": {"b": "overwritten"}},
    "/v2/customer_profiles": {
        "customerProfiles": [{"integrationId": "p1", "attributes": {"b": "overwritten"}}]
    },
    "/v2/events": {"profileId": "p1", "type": "x"},
    "/v2/audiences": {"name": "mine"},
    "/v2/audiences/{audienceId}": {"name": "renamed"},
    "/v2/audience_customers/{audienceId}/attributes": {"b": "overwritten"},
    "/v1/customer_search/no_total": {},
    "/v1/applications/{applicationId}/customer_search": {},
}
QUERIES: dict[str, dict[str, str]] = {
    "/v1/applications/{applicationId}/customer_activity_reports/{customerId}": {
        "rangeStart": "2000-01-01T00:00:00Z",
        "rangeEnd": "2999-01-01T00:00:00Z",
    },
}


def owner_view(client: TestClient, tenant: Tenant, *, with_profile: bool = True) -> list[Any]:
    """What tenant A's sandbox holds; a same-environment Application shares its profiles."""
    key = tenant.sandbox_key
    audiences = client.get("/v1/audiences", headers=management(tenant.management_key)).json()["data"]
    return [
        profile(client, key, "p1") if with_profile else None,
        call(client, "GET", "/v2/customer_sessions/s1", key).body,
        [audience for audience in audiences if audience["sandbox"]],
    ]


def send(client: TestClient, method: str, template: str, owner: Owner, headers: dict[str, str]) -> Any:
    kwargs: dict[str, Any] = {"headers": headers, "params": QUERIES.get(template, {})}
    if template.endswith("/memberships/import"):
        kwargs["files"] = {"upFile": ("m.csv", b"profileintegrationid\nintruder\n", "text/csv")}
    elif template == "/v2/customer_audiences":
        kwargs["json"] = {
            "data": [{"action": "add", "profileIntegrationId": "x", "audienceId": owner.audience_id}]
        }
    elif method in {"PUT", "POST"}:
        kwargs["json"] = BODIES.get(template, {})
    return client.request(method, owner.path(template), **kwargs)


@pytest.mark.parametrize(("method", "template"), sorted(ROUTES), ids=[f"{m} {p}" for m, p in sorted(ROUTES)])
def test_foreign_keys_get_nothing_of_the_owners(
    client: TestClient, tenant: Tenant, other_tenant: Tenant, app_store: Store, method: str, template: str
) -> None:
    owner = Owner(client, tenant)
    _, same_env_key = create_application(app_store, tenant.account_id, name="Shop 2", sandbox=True)
    before = owner_view(client, tenant)
    management_route = template.startswith("/v1/") and not template.startswith("/v1/customer_data")
    if management_route:
        foreign = {"other account": management(other_tenant.management_key)}
        wrong_kind = integration(tenant.sandbox_key)
    else:
        foreign = {
            "other account": integration(other_tenant.sandbox_key),
            "other environment": integration(tenant.live_key),
        }
        if "customerSessionId" in template:
            foreign["other application"] = integration(same_env_key)
        wrong_kind = management(tenant.management_key)

    assert send(client, method, template, owner, wrong_kind).status_code == 401
    for who, headers in foreign.items():
        response = send(client, method, template, owner, headers)
        if ROUTES[(method, template)] == "lookup":
            assert response.status_code == 404, who
        assert SECRET not in response.text, who
        # Another Application of the environment may change the shared profile, nothing else.
        shares_profiles = who == "other application"
        assert owner_view(client, tenant, with_profile=not shares_profiles) == [
            None if shares_profiles else before[0],
            *before[1:],
        ], who
