"""Customer profiles through the Management API: read, list, search, analytics (SEMANTICS 17.1-17.6)."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from starlette.testclient import TestClient

from patron.store.database import Transaction
from tests.api.integration_client import call, item, profile, put_session
from tests.api.management_client import assert_money, assert_not_found, read
from tests.factories import Store, Tenant, create_application, create_tenant

PROFILE_KEYS = {
    "id",
    "created",
    "integrationId",
    "attributes",
    "accountId",
    "closedSessions",
    "totalSales",
    "loyaltyMemberships",
    "audienceMemberships",
    "lastActivity",
    "sandbox",
}


def set_attributes(client: TestClient, key: str, integration_id: str, **attributes: Any) -> int:
    answer = call(
        client,
        "PUT",
        f"/v2/customer_profiles/{integration_id}",
        key,
        {"attributes": attributes},
        runRuleEngine="false",
    )
    assert answer.status == 200, answer.body
    profile_id: int = answer["customerProfile"]["id"]
    return profile_id


def another_sandbox_application(store: Store, tenant: Tenant) -> tuple[int, str]:
    return create_application(store, tenant.account_id, name="Second", sandbox=True)


def ids(answer: Any) -> list[str]:
    return [shown["integrationId"] for shown in answer["data"]]


def test_a_profile_reads_by_id_in_talon_shape(client: TestClient, tenant: Tenant) -> None:
    put_session(
        client, tenant.sandbox_key, "s1", profileId="p1", state="closed", cartItems=[item("A", 2, "9.95")]
    )
    profile_id = set_attributes(client, tenant.sandbox_key, "p1", Name="Ann")

    answer = read(client, tenant.management_key, f"/v1/customers/{profile_id}")

    assert answer.status == 200
    assert set(answer.body) == PROFILE_KEYS
    assert (answer["id"], answer["integrationId"], answer["accountId"]) == (
        profile_id,
        "p1",
        tenant.account_id,
    )
    assert (answer["closedSessions"], answer["totalSales"]) == (1, Decimal("19.90"))
    assert_money(answer["totalSales"])
    assert answer["attributes"] == {"Name": "Ann"}
    assert (answer["sandbox"], answer["loyaltyMemberships"], answer["audienceMemberships"]) == (
        True,
        None,
        [],
    )
    assert answer["created"].endswith("Z")
    assert answer["lastActivity"].endswith("Z")


def test_a_profile_of_either_environment_reads_by_id(client: TestClient, tenant: Tenant) -> None:
    live = profile(client, tenant.live_key, "u1")
    sandbox = profile(client, tenant.sandbox_key, "u1")

    shown = [read(client, tenant.management_key, f"/v1/customers/{p['id']}") for p in (live, sandbox)]

    assert [(s.status, s["integrationId"], s["sandbox"]) for s in shown] == [
        (200, "u1", False),
        (200, "u1", True),
    ]


def test_another_accounts_profile_and_an_unknown_id_are_not_found(
    client: TestClient, tenant: Tenant, app_store: Store
) -> None:
    other = create_tenant(app_store, name="Other")
    theirs = profile(client, other.live_key, "u1")

    assert_not_found(read(client, tenant.management_key, f"/v1/customers/{theirs['id']}"), "customerId")
    assert_not_found(read(client, tenant.management_key, "/v1/customers/999999"), "customerId")


def test_the_profile_list_shows_one_environment_live_by_default(client: TestClient, tenant: Tenant) -> None:
    for name in ("l1", "l2"):
        profile(client, tenant.live_key, name)
    profile(client, tenant.sandbox_key, "s1")

    live = read(client, tenant.management_key, "/v1/customers/no_total")
    sandbox = read(client, tenant.management_key, "/v1/customers/no_total", sandbox="True")

    assert (live.status, ids(live), live["hasMore"]) == (200, ["l1", "l2"], False)
    assert "totalResultSize" not in live.body
    assert set(live["data"][0]) == PROFILE_KEYS
    assert_money(*(shown["totalSales"] for shown in live["data"]))
    assert (ids(sandbox), sandbox["hasMore"]) == (["s1"], False)


@pytest.mark.parametrize(
    ("skip", "page_size", "expected", "has_more"),
    [(0, 2, ["u0", "u1"], True), (2, 2, ["u2", "u3"], True), (4, 2, ["u4"], False), (9, 2, [], False)],
)
def test_the_profile_list_pages(
    client: TestClient, tenant: Tenant, skip: int, page_size: int, expected: list[str], has_more: bool
) -> None:
    for number in range(5):
        profile(client, tenant.live_key, f"u{number}")

    answer = read(client, tenant.management_key, "/v1/customers/no_total", skip=skip, pageSize=page_size)

    assert (ids(answer), answer["hasMore"]) == (expected, has_more)


@pytest.mark.parametrize(
    ("path", "parameter", "value"),
    [
        ("/v1/customers/no_total", "pageSize", 0),
        ("/v1/customers/no_total", "pageSize", 1001),
        ("/v1/customers/no_total", "skip", -1),
        # Found by the fuzzer: SQLite cannot bind an OFFSET past 64 bits (it was a 500).
        ("/v1/customers/no_total", "skip", 2**63),
        ("/v1/applications/{app}/customers", "pageSize", 1001),
        ("/v1/applications/{app}/customers", "withTotalResultSize", "maybe"),
    ],
)
def test_out_of_range_list_parameters_are_400(
    client: TestClient, tenant: Tenant, path: str, parameter: str, value: object
) -> None:
    answer = read(
        client, tenant.management_key, path.format(app=tenant.sandbox_application_id), **{parameter: value}
    )

    assert (answer.status, answer["StatusCode"]) == (400, 400)
    assert answer["errors"][0]["source"] == {"parameter": parameter}


@pytest.mark.parametrize(
    ("path", "parameter"),
    [
        (f"/v1/customers/{2**31}", "customerId"),
        (f"/v1/applications/{2**70}/customers", "applicationId"),
        (f"/v1/applications/1/customers/{-(2**63) - 1}", "customerId"),
    ],
)
def test_ids_beyond_32_bits_are_400_naming_them(
    client: TestClient, tenant: Tenant, path: str, parameter: str
) -> None:
    answer = read(client, tenant.management_key, path)

    assert (answer.status, answer["StatusCode"]) == (400, 400)
    assert answer["errors"][0]["source"] == {"parameter": parameter}


def test_a_search_for_a_profile_id_beyond_32_bits_is_400(client: TestClient, tenant: Tenant) -> None:
    answer = read(client, tenant.management_key, "/v1/customer_search/no_total", {"profileIDs": [1, 2**70]})

    assert answer.status == 400
    assert answer["errors"][0]["source"] == {"pointer": "/profileIDs/1"}


def test_a_search_matches_every_given_attribute_exactly(client: TestClient, tenant: Tenant) -> None:
    key = tenant.live_key
    set_attributes(client, key, "p1", Name="Ann", Language="en")
    set_attributes(client, key, "p2", Name="Ann", Language="de")
    set_attributes(client, key, "p3", Name="ann")
    set_attributes(client, tenant.sandbox_key, "p4", Name="Ann")

    def search(body: dict[str, Any]) -> list[str]:
        answer = read(client, tenant.management_key, "/v1/customer_search/no_total", body)
        assert answer.status == 200, answer.body
        assert answer["hasMore"] is False
        assert "totalResultSize" not in answer.body
        return ids(answer)

    assert search({"attributes": {"Name": "Ann"}}) == ["p1", "p2"]
    assert search({"attributes": {"Name": "Ann", "Language": "de"}}) == ["p2"]
    assert search({"attributes": {"Name": "An"}}) == []
    assert search({"attributes": {"Email": "x@example.com"}}) == []
    assert search({}) == ["p1", "p2", "p3"]


def test_search_criteria_are_all_required(client: TestClient, tenant: Tenant) -> None:
    key = tenant.live_key
    first = set_attributes(client, key, "p1", Name="Ann")
    second = set_attributes(client, key, "p2", Name="Ann")
    set_attributes(client, key, "p3", Name="Bob")

    def search(body: dict[str, Any]) -> list[str]:
        return ids(read(client, tenant.management_key, "/v1/customer_search/no_total", body))

    assert search({"integrationIDs": ["p1", "p3"]}) == ["p1", "p3"]
    assert search({"integrationIDs": ["p1", "p3"], "attributes": {"Name": "Ann"}}) == ["p1"]
    assert search({"profileIDs": [second, first]}) == ["p1", "p2"]
    assert search({"profileIDs": [second], "integrationIDs": ["p1"]}) == []
    assert search({"profileIDs": [], "integrationIDs": []}) == ["p1", "p2", "p3"]


def test_a_search_compares_json_values_exactly(client: TestClient, tenant: Tenant, app_store: Store) -> None:
    # Only string profile attributes are built in: other JSON types are written to the store directly.
    stored: dict[str, dict[str, Any]] = {
        "p1": {"n": Decimal("1.50"), "b": True, "l": ["a", "b"], "o": {"k": 1}},
        "p2": {"n": 1, "b": 1, "l": ["b", "a"], "o": {"k": 1, "j": 2}},
        "p3": {"n": "1.5", "b": "true", "l": ["a"], "o": None},
    }
    for integration_id in stored:
        profile(client, tenant.live_key, integration_id)

    async def store_attributes(tx: Transaction) -> None:
        for integration_id, attributes in stored.items():
            found = await tx.profiles.get(
                account_id=tenant.account_id, sandbox=False, integration_id=integration_id
            )
            assert found is not None
            await tx.profiles.save(replace(found, attributes=attributes))

    app_store.write(store_attributes)

    def search(**attributes: Any) -> list[str]:
        return ids(
            read(client, tenant.management_key, "/v1/customer_search/no_total", {"attributes": attributes})
        )

    assert search(n=Decimal("1.5")) == ["p1"]
    assert search(n=Decimal("1.0")) == ["p2"]
    assert search(n="1.5") == ["p3"]
    assert search(b=True) == ["p1"]
    assert search(b=1) == ["p2"]
    assert search(l=["a", "b"]) == ["p1"]
    assert search(o={"k": 1}) == ["p1"]
    assert search(o=None) == ["p3"]


def test_attribute_search_results_page(client: TestClient, tenant: Tenant) -> None:
    for number in range(5):
        set_attributes(client, tenant.sandbox_key, f"u{number}", Name="Ann" if number != 2 else "Bob")
    path = f"/v1/applications/{tenant.sandbox_application_id}/customer_search"
    body = {"attributes": {"Name": "Ann"}}

    first = read(client, tenant.management_key, path, body, pageSize=3, withTotalResultSize="true")
    rest = read(client, tenant.management_key, path, body, pageSize=3, skip=3)
    beyond = read(client, tenant.management_key, path, body, skip=7, withTotalResultSize="true")

    assert (ids(first), first["hasMore"], first["totalResultSize"]) == (["u0", "u1", "u3"], True, 4)
    assert (ids(rest), rest["hasMore"]) == (["u4"], False)
    assert "totalResultSize" not in rest.body
    assert (ids(beyond), beyond["hasMore"], beyond["totalResultSize"]) == ([], False, 4)


def test_an_application_lists_the_customers_it_has_seen(
    client: TestClient, tenant: Tenant, app_store: Store
) -> None:
    second_id, second_key = another_sandbox_application(app_store, tenant)
    put_session(client, tenant.sandbox_key, "s1", profileId="p1")
    profile(client, tenant.sandbox_key, "p2")
    put_session(client, second_key, "s1", profileId="p2")
    set_attributes(client, second_key, "p3", Name="Ann")
    first_path = f"/v1/applications/{tenant.sandbox_application_id}/customers"

    first = read(client, tenant.management_key, first_path)
    second = read(client, tenant.management_key, f"/v1/applications/{second_id}/customers")
    counted = read(client, tenant.management_key, first_path, pageSize=1, withTotalResultSize="true")
    one = read(client, tenant.management_key, first_path, integrationId="p2")

    assert (first.status, ids(first), first["hasMore"]) == (200, ["p1", "p2"], False)
    assert "totalResultSize" not in first.body
    assert set(first["data"][0]) == PROFILE_KEYS
    assert ids(second) == ["p2", "p3"]
    assert (ids(counted), counted["hasMore"], counted["totalResultSize"]) == (["p1"], True, 2)
    assert ids(one) == ["p2"]
    assert ids(read(client, tenant.management_key, first_path, integrationId="p")) == []


def test_an_application_customer_reads_only_where_it_was_seen(
    client: TestClient, tenant: Tenant, app_store: Store
) -> None:
    second_id, second_key = another_sandbox_application(app_store, tenant)
    seen = set_attributes(client, tenant.sandbox_key, "p1", Name="Ann")
    unseen = profile(client, second_key, "p2")["id"]
    live = profile(client, tenant.live_key, "p1")["id"]
    other = create_tenant(app_store, name="Other")
    path = f"/v1/applications/{tenant.sandbox_application_id}/customers"

    shown = read(client, tenant.management_key, f"{path}/{seen}")

    assert (shown.status, shown["integrationId"], shown["attributes"]) == (200, "p1", {"Name": "Ann"})
    assert set(shown.body) == PROFILE_KEYS
    assert_money(shown["totalSales"])
    assert_not_found(read(client, tenant.management_key, f"{path}/{unseen}"), "customerId")
    assert_not_found(read(client, tenant.management_key, f"{path}/{live}"), "customerId")
    assert (
        read(client, tenant.management_key, f"/v1/applications/{second_id}/customers/{unseen}").status == 200
    )
    foreign = f"/v1/applications/{other.sandbox_application_id}/customers"
    assert_not_found(read(client, tenant.management_key, foreign), "applicationId")
    assert_not_found(read(client, tenant.management_key, f"{foreign}/{seen}"), "applicationId")
    assert_not_found(
        read(client, tenant.management_key, "/v1/applications/999999/customers"), "applicationId"
    )
    assert_not_found(read(client, other.management_key, f"{path}/{seen}"), "applicationId")


def test_an_application_search_stays_within_the_application(
    client: TestClient, tenant: Tenant, app_store: Store
) -> None:
    second_id, second_key = another_sandbox_application(app_store, tenant)
    set_attributes(client, tenant.sandbox_key, "p1", Name="Ann")
    set_attributes(client, second_key, "p2", Name="Ann")
    body = {"attributes": {"Name": "Ann"}}

    first = read(
        client,
        tenant.management_key,
        f"/v1/applications/{tenant.sandbox_application_id}/customer_search",
        body,
    )
    second = read(client, tenant.management_key, f"/v1/applications/{second_id}/customer_search", body)
    live = read(
        client, tenant.management_key, f"/v1/applications/{tenant.live_application_id}/customer_search", body
    )

    assert (first.status, ids(first), first["hasMore"]) == (200, ["p1"], False)
    assert ids(second) == ["p2"]
    assert ids(live) == []


def test_customer_analytics_count_the_orders_placed_in_that_application(
    client: TestClient, tenant: Tenant, app_store: Store
) -> None:
    key = tenant.sandbox_key
    second_id, second_key = another_sandbox_application(app_store, tenant)
    put_session(client, key, "s1", profileId="p1", state="closed", cartItems=[item("A", 1, "60.25")])
    put_session(client, key, "s2", profileId="p1", state="closed", cartItems=[item("B", 2, "20")])
    body = {"return": {"returnedCartItems": [{"position": 0, "quantity": 1}]}}
    assert call(client, "POST", "/v2/customer_sessions/s2/returns", key, body).status == 200
    put_session(client, key, "s3", profileId="p1", state="closed", cartItems=[item("C", 1, "10")])
    put_session(client, key, "s3", state="cancelled")
    put_session(client, key, "s4", profileId="p1", cartItems=[item("D", 1, "99")])
    answer = put_session(
        client, second_key, "s1", profileId="p1", state="closed", cartItems=[item("E", 1, "7")]
    )
    profile_id = answer["customerProfile"]["id"]

    first = read(
        client,
        tenant.management_key,
        f"/v1/applications/{tenant.sandbox_application_id}/customers/{profile_id}/analytics",
        sort="-id",
    )
    second = read(
        client, tenant.management_key, f"/v1/applications/{second_id}/customers/{profile_id}/analytics"
    )

    assert first.status == 200
    assert first.body == {
        "acceptedCoupons": 0,
        "createdCoupons": 0,
        "freeItems": 0,
        "totalOrders": 2,
        "totalDiscountedOrders": 0,
        "totalRevenue": Decimal("80.25"),
        "totalDiscounts": 0,
    }
    assert_money(first["totalRevenue"], first["totalDiscounts"])
    assert (second["totalOrders"], second["totalRevenue"]) == (1, 7)


def test_analytics_of_a_customer_the_application_has_not_seen_are_not_found(
    client: TestClient, tenant: Tenant
) -> None:
    live = profile(client, tenant.live_key, "p1")["id"]
    path = f"/v1/applications/{tenant.sandbox_application_id}/customers/{live}/analytics"

    assert_not_found(read(client, tenant.management_key, path), "customerId")


def report_path(tenant: Tenant, profile_id: int) -> str:
    return f"/v1/applications/{tenant.sandbox_application_id}/customer_activity_reports/{profile_id}"


def test_an_activity_report_counts_the_orders_closed_within_the_range(
    client: TestClient, tenant: Tenant
) -> None:
    key = tenant.sandbox_key
    put_session(client, key, "s1", profileId="p1", state="closed", cartItems=[item("A", 3, "1.10")])
    put_session(client, key, "s2", profileId="p1", state="closed", cartItems=[item("B", 1, "5")])
    put_session(client, key, "s2", state="cancelled")
    profile_id = set_attributes(client, key, "p1", Name="Ann")
    today = datetime.now(UTC).date()
    path = report_path(tenant, profile_id)

    now = read(
        client,
        tenant.management_key,
        path,
        rangeStart=(today - timedelta(days=1)).isoformat(),
        rangeEnd=(datetime.now(UTC) + timedelta(hours=1)).isoformat(),
    )
    before = read(
        client, tenant.management_key, path, rangeStart="2020-01-01", rangeEnd="2020-12-31T23:59:59Z"
    )

    assert now.status == 200, now.body
    assert now.body == {
        "integrationId": "p1",
        "created": now["created"],
        "name": "Ann",
        "customerId": profile_id,
        "lastActivity": now["lastActivity"],
        "couponRedemptions": 0,
        "couponUseAttempts": 0,
        "couponFailedAttempts": 0,
        "accruedDiscounts": 0,
        "accruedRevenue": Decimal("3.30"),
        "totalOrders": 1,
        "totalOrdersNoCoupon": 1,
        "campaignName": "",
    }
    assert_money(now["accruedRevenue"], now["accruedDiscounts"])
    assert now["created"].endswith("Z")
    assert (before.status, before["totalOrders"], before["accruedRevenue"], before["name"]) == (
        200,
        0,
        0,
        "Ann",
    )


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"rangeEnd": "2020-01-01"}, "rangeStart"),
        ({"rangeStart": "2020-01-01"}, "rangeEnd"),
        ({"rangeStart": "2020-01-01", "rangeEnd": "yesterday"}, "rangeEnd"),
    ],
)
def test_an_activity_report_needs_a_valid_range(
    client: TestClient, tenant: Tenant, params: dict[str, str], parameter: str
) -> None:
    profile_id = profile(client, tenant.sandbox_key, "p1")["id"]

    answer = read(client, tenant.management_key, report_path(tenant, profile_id), **params)

    assert answer.status == 400
    assert answer["errors"][0]["source"] == {"parameter": parameter}


def test_an_activity_report_without_a_name_and_of_a_stranger(
    client: TestClient, tenant: Tenant, app_store: Store
) -> None:
    profile_id = profile(client, tenant.sandbox_key, "p1")["id"]
    other = create_tenant(app_store, name="Other")
    range_ = {"rangeStart": "2020-01-01", "rangeEnd": "2030-01-01"}

    shown = read(client, tenant.management_key, report_path(tenant, profile_id), **range_)
    foreign = read(client, other.management_key, report_path(tenant, profile_id), **range_)

    assert (shown.status, shown["name"], shown["totalOrders"]) == (200, "", 0)
    assert_not_found(foreign, "applicationId")


def test_audience_members_show_their_audiences_and_stay_unseen_until_a_session(
    client: TestClient, tenant: Tenant
) -> None:
    key = tenant.sandbox_key
    vip = call(client, "POST", "/v2/audiences", key, {"name": "VIP"})["id"]
    joined = [{"action": "add", "profileIntegrationId": "p1", "audienceId": vip}]
    assert call(client, "POST", "/v2/customer_audiences", key, {"data": joined}).status == 204
    customers = f"/v1/applications/{tenant.sandbox_application_id}/customers"

    listed = read(client, tenant.management_key, "/v1/customers/no_total", sandbox="true")
    unseen = read(client, tenant.management_key, customers)
    put_session(client, key, "s1", profileId="p1")
    seen = read(client, tenant.management_key, customers)
    one = read(client, tenant.management_key, f"/v1/customers/{listed['data'][0]['id']}")

    assert (ids(listed), listed["data"][0]["audienceMemberships"]) == (["p1"], [{"id": vip, "name": "VIP"}])
    assert ids(unseen) == []
    assert (ids(seen), seen["data"][0]["audienceMemberships"]) == (["p1"], [{"id": vip, "name": "VIP"}])
    assert one["audienceMemberships"] == [{"id": vip, "name": "VIP"}]


def test_attribute_search_finds_exact_matches_among_lookalikes(client: TestClient, tenant: Tenant) -> None:
    key = tenant.sandbox_key
    for integration_id, attributes in [("one", {"a": 1}), ("one-point-o", {"a": 1.0}), ("text", {"b": "1"})]:
        call(client, "PUT", f"/v2/customer_profiles/{integration_id}", key, {"attributes": attributes})
    call(client, "PUT", "/v2/customer_profiles/big", key, {"attributes": {"a": 2**70}})

    def search(attributes: dict[str, object]) -> list[str]:
        response = client.post(
            "/v1/customer_search/no_total",
            params={"sandbox": "true"},
            json={"attributes": attributes},
            headers={"Authorization": f"ManagementKey-v1 {tenant.management_key}"},
        )
        assert response.status_code == 200
        return sorted(profile["integrationId"] for profile in response.json()["data"])

    assert search({"a": 1}) == ["one", "one-point-o"]
    assert search({"b": "1"}) == ["text"]
    assert search({"b": 1}) == []
    assert search({"a": 2**70}) == ["big"]
