"""Management API, Applications: GET /v1/applications and /v1/applications/{id} (SEMANTICS 17.10)."""

from __future__ import annotations

from typing import Any

import _client as sdk
from _harness import App, Tenant
from _helpers import assert_error_body, expect_error, is_aware


def _check_application(data: dict[str, Any], app: App, tenant: Tenant) -> None:
    assert data["id"] == app.id
    assert data["accountId"] == tenant.account_id
    assert data["name"] == app.name
    assert data["sandbox"] is app.sandbox
    assert data["currency"] == app.currency == "EUR"
    assert data["timezone"] == "UTC"
    assert data["loyaltyPrograms"] == []
    assert is_aware(data["created"])
    assert is_aware(data["modified"])


def test_get_applications_and_application(tenant: Tenant) -> None:
    apps = [tenant.sandbox, tenant.live, tenant.new_app(sandbox=True)]
    management = tenant.management()

    result = sdk.get_applications(management)
    assert result["totalResultSize"] == 3
    assert sorted(a["id"] for a in result["data"]) == sorted(app.id for app in apps)
    by_id = {a["id"]: a for a in result["data"]}
    for app in apps:
        _check_application(by_id[app.id], app, tenant)
        single = sdk.get_application(management, app.id)
        _check_application(single, app, tenant)
        assert single == by_id[app.id]

    pages = [sdk.get_applications(management, page_size=1, skip=skip, sort="id") for skip in range(4)]
    assert [p["totalResultSize"] for p in pages] == [3, 3, 3, 3]
    assert [[a["id"] for a in p["data"]] for p in pages] == [
        [a.id] for a in sorted(apps, key=lambda a: a.id)
    ] + [[]]


def test_applications_of_other_accounts_are_invisible(tenant: Tenant, other_tenant: Tenant) -> None:
    management = tenant.management()

    body = expect_error(404, sdk.get_application, management, other_tenant.sandbox.id)
    assert_error_body(body, 404)
    body = expect_error(404, sdk.get_application, management, 999_999_999)
    assert_error_body(body, 404)
    listed = sdk.get_applications(management)
    assert listed["totalResultSize"] == 1
    assert [a["id"] for a in listed["data"]] == [tenant.sandbox.id]
