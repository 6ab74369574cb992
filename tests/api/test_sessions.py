"""Sessions through the Integration API, and what they do to their profiles (SEMANTICS 6-10)."""

import dataclasses
from decimal import Decimal
from typing import Any

import pytest
from starlette.testclient import TestClient

from patron.api.app import create_app
from patron.config import Settings
from tests.api.integration_client import call, counters, item, profile, put_session
from tests.factories import Store, Tenant, create_application, create_tenant

WORKED_CART = [item("A", 1, "60"), item("B", 2, "20")]
SHIPPING = {"shipping": {"price": Decimal(5)}}


def close_worked_example(client: TestClient, key: str, session_id: str = "s1") -> Any:
    return put_session(
        client,
        key,
        session_id,
        profileId="p1",
        state="closed",
        cartItems=WORKED_CART,
        additionalCosts=SHIPPING,
    )


def return_units(client: TestClient, key: str, *items: dict[str, Any], **params: Any) -> Any:
    body = {
        "return": {"returnedCartItems": list(items)},
        "responseContent": ["customerProfile", "previousReturns"],
    }
    return call(client, "POST", "/v2/customer_sessions/s1/returns", key, body, **params)


def test_a_new_session_echoes_its_cart_and_totals(client: TestClient, tenant: Tenant) -> None:
    answer = put_session(
        client,
        tenant.sandbox_key,
        "s1",
        profileId="p1",
        cartItems=[item("A", 1, "99.99"), item("B", 3, "0.10", additionalCosts={"gift": {"price": 5}})],
        additionalCosts={"shipping": {"price": Decimal(20)}},
    )

    assert answer.status == 200
    session = answer["customerSession"]
    assert (session["state"], session["updateCount"], session["firstSession"]) == ("open", 1, True)
    assert (session["profileId"], session["applicationId"]) == ("p1", tenant.sandbox_application_id)
    assert session["cartItemTotal"] == Decimal("100.29")
    assert session["additionalCostTotal"] == 20
    assert session["cartItemAdditionalCostTotal"] == 15
    assert session["total"] == Decimal("135.29")
    assert [(i["position"], i["returnedQuantity"], i["remainingQuantity"]) for i in session["cartItems"]] == [
        (0, 0, 1),
        (1, 0, 3),
    ]
    assert (answer["effects"], answer["createdCoupons"], answer["createdReferrals"]) == ([], [], [])
    assert answer["customerProfile"]["closedSessions"] == 0


def test_the_worked_example_of_returns_then_cancel(client: TestClient, tenant: Tenant) -> None:
    key = tenant.sandbox_key
    assert close_worked_example(client, key)["customerProfile"]["totalSales"] == 105

    first = return_units(client, key, {"position": 1, "quantity": 1})
    second = return_units(client, key, {"position": 1, "quantity": 1})
    third = return_units(client, key, {"position": 1, "quantity": 1})
    cancelled = put_session(client, key, "s1", state="cancelled")

    assert (first.status, first["customerProfile"]["totalSales"]) == (200, Decimal(85))
    assert first["customerSession"]["state"] == "partially_returned"
    assert first["customerSession"]["cartItems"][1]["remainingQuantity"] == 1
    assert first["return"]["returnedCartItems"] == [{"position": 1, "quantity": 1, "sku": "B"}]
    assert (
        second.status,
        second["customerProfile"]["closedSessions"],
        second["customerProfile"]["totalSales"],
    ) == (
        200,
        1,
        65,
    )
    assert [r["id"] for r in second["previousReturns"]] == [first["return"]["id"]]
    assert third.status == 400
    assert cancelled.status == 200
    assert counters(client, key, "p1") == (0, Decimal(0))


def test_reopening_takes_the_session_out_and_closing_again_counts_the_new_cart(
    client: TestClient, tenant: Tenant
) -> None:
    key = tenant.sandbox_key
    close_worked_example(client, key)

    reopened = call(client, "PUT", "/v2/customer_sessions/s1/reopen", key)
    after_reopen = counters(client, key, "p1")
    closed_again = put_session(
        client, key, "s1", state="closed", cartItems=[item("C", 4, "20")], additionalCosts={}
    )

    assert (reopened.status, reopened.body) == (200, {"effects": []})
    assert after_reopen == (0, Decimal(0))
    assert closed_again["customerProfile"]["closedSessions"] == 1
    assert closed_again["customerProfile"]["totalSales"] == 80
    assert closed_again["customerSession"]["updateCount"] == 3


@pytest.mark.parametrize(
    ("setup", "request_state"),
    [
        (["closed"], "open"),
        (["closed"], "closed"),
        (["closed"], None),
        (["open", "cancelled"], "open"),
        (["open", "cancelled"], "cancelled"),
        ([], "partially_returned"),
        ([], "cancelled"),
        (["open"], "partially_returned"),
    ],
    ids=[
        "closed-open",
        "closed-closed",
        "closed-omitted",
        "cancelled-open",
        "cancelled-cancelled",
        "new-partially",
        "new-cancelled",
        "open-partially",
    ],
)
def test_a_forbidden_transition_is_400_and_changes_nothing(
    client: TestClient, tenant: Tenant, setup: list[str], request_state: str | None
) -> None:
    key = tenant.sandbox_key
    for state in setup:
        put_session(client, key, "s1", profileId="p1", state=state, cartItems=[item("A", 1, "10")])
    before = call(client, "GET", "/v2/customer_sessions/s1", key)
    before_profile = profile(client, key, "p1") if setup else None
    fields: dict[str, Any] = {"cartItems": [item("Z", 9, "99")]}
    if request_state is not None:
        fields["state"] = request_state

    answer = put_session(client, key, "s1", **fields)

    assert answer.status == 400
    assert answer["errors"][0]["title"] == "Invalid state transition"
    assert answer["errors"][0]["source"] == {"pointer": "/customerSession/state"}
    assert call(client, "GET", "/v2/customer_sessions/s1", key).body == before.body
    if before_profile is not None:
        assert profile(client, key, "p1") == before_profile


def test_an_anonymous_session_has_no_profile(client: TestClient, tenant: Tenant, app_store: Store) -> None:
    answer = put_session(
        client, tenant.sandbox_key, "s1", profileId="", state="closed", cartItems=WORKED_CART
    )

    assert answer.status == 200
    assert answer["customerSession"]["profileId"] == ""
    assert "customerProfile" not in answer.body
    assert (
        app_store.read(
            lambda tx: tx.profiles.get(account_id=tenant.account_id, sandbox=True, integration_id="")
        )
        is None
    )


@pytest.mark.parametrize("target", ["closed", "cancelled"])
def test_a_dry_request_shows_the_outcome_and_stores_nothing(
    client: TestClient, tenant: Tenant, target: str
) -> None:
    key = tenant.sandbox_key
    put_session(client, key, "s1", profileId="p1", cartItems=WORKED_CART, additionalCosts=SHIPPING)
    before_session = call(client, "GET", "/v2/customer_sessions/s1", key).body
    before_profile = profile(client, key, "p1")

    dry = put_session(
        client,
        key,
        "s1",
        state=target,
        cartItems=WORKED_CART,
        additionalCosts=SHIPPING,
        params={"dry": "True"},
    )

    assert dry.status == 200
    assert dry["customerSession"]["state"] == target
    assert dry["customerProfile"]["closedSessions"] == (1 if target == "closed" else 0)
    assert call(client, "GET", "/v2/customer_sessions/s1", key).body == before_session
    assert profile(client, key, "p1") == before_profile


def test_with_listed_additional_cost_names_another_name_is_400_and_stores_nothing(settings: Settings) -> None:
    listed = dataclasses.replace(settings, additional_cost_names=frozenset({"shipping"}))
    with TestClient(create_app(listed), raise_server_exceptions=False) as client:
        tenant = create_tenant(Store.of(client))
        key = tenant.sandbox_key

        refused = put_session(client, key, "s1", profileId="p1", additionalCosts={"handling": {"price": 1}})
        accepted = put_session(client, key, "s2", profileId="p1", additionalCosts=SHIPPING)

        assert refused.status == 400
        assert [e["source"]["pointer"] for e in refused["errors"]] == [
            "/customerSession/additionalCosts/handling"
        ]
        assert call(client, "GET", "/v2/customer_sessions/s1", key).status == 404
        assert accepted.status == 200
        assert accepted["customerSession"]["additionalCostTotal"] == 5


def test_evaluable_campaign_ids_count_only_in_a_dry_request(client: TestClient, tenant: Tenant) -> None:
    key = tenant.sandbox_key

    stored = put_session(client, key, "s1", profileId="p1", evaluableCampaignIds=[7])
    dry = put_session(client, key, "s1", evaluableCampaignIds=[8], params={"dry": "true"})

    assert stored.status == dry.status == 200
    assert "evaluableCampaignIds" not in stored["customerSession"]
    assert dry["customerSession"]["evaluableCampaignIds"] == [8]
    assert (
        "evaluableCampaignIds" not in call(client, "GET", "/v2/customer_sessions/s1", key)["customerSession"]
    )


def test_a_dry_request_for_a_new_customer_shows_ids_of_zero_and_creates_nothing(
    client: TestClient, tenant: Tenant
) -> None:
    key = tenant.sandbox_key

    dry = put_session(
        client, key, "s1", profileId="new", state="closed", cartItems=WORKED_CART, params={"dry": "true"}
    )

    assert (dry["customerSession"]["id"], dry["customerProfile"]["id"]) == (0, Decimal(0))
    assert call(client, "GET", "/v2/customer_sessions/s1", key).status == 404


def test_applications_of_one_environment_share_profiles(
    client: TestClient, tenant: Tenant, app_store: Store
) -> None:
    second_id, second_key = create_application(app_store, tenant.account_id, name="Shop 2", sandbox=True)
    close_worked_example(client, tenant.sandbox_key, "s1")

    other = put_session(
        client, second_key, "s1", profileId="p1", state="closed", cartItems=[item("A", 1, "5")]
    )

    assert other["customerSession"]["firstSession"] is False
    assert other["customerSession"]["applicationId"] == second_id
    assert counters(client, tenant.sandbox_key, "p1") == (2, Decimal(110))


def test_sandbox_live_and_other_accounts_keep_separate_profiles(client: TestClient, tenant: Tenant) -> None:
    close_worked_example(client, tenant.sandbox_key)

    live = put_session(
        client, tenant.live_key, "s1", profileId="p1", state="closed", cartItems=[item("A", 1, "1")]
    )

    assert live["customerProfile"]["sandbox"] is False
    assert counters(client, tenant.live_key, "p1") == (1, Decimal(1))
    assert counters(client, tenant.sandbox_key, "p1") == (1, Decimal(105))
    assert profile(client, tenant.live_key, "p1")["id"] != profile(client, tenant.sandbox_key, "p1")["id"]


def test_a_session_of_another_application_is_not_found(client: TestClient, tenant: Tenant) -> None:
    close_worked_example(client, tenant.sandbox_key)

    assert call(client, "GET", "/v2/customer_sessions/s1", tenant.live_key).status == 404
    assert call(client, "PUT", "/v2/customer_sessions/s1/reopen", tenant.live_key).status == 404
    assert return_units(client, tenant.live_key, {"position": 0}).status == 404


def test_get_returns_the_session_and_no_effects(client: TestClient, tenant: Tenant) -> None:
    put_session(client, tenant.sandbox_key, "s1", profileId="p1", cartItems=WORKED_CART)

    answer = call(client, "GET", "/v2/customer_sessions/s1", tenant.sandbox_key)

    assert answer.status == 200
    assert set(answer.body) == {"customerSession", "effects"}
    assert answer["effects"] == []
    assert answer["customerSession"]["total"] == 100


def test_last_activity_moves_only_on_non_dry_rule_engine_calls(client: TestClient, tenant: Tenant) -> None:
    key = tenant.sandbox_key
    put_session(client, key, "s1", profileId="p1", cartItems=WORKED_CART)
    born = profile(client, key, "p1")
    assert born["lastActivity"] == born["created"]

    put_session(client, key, "s1", state="closed", params={"dry": "true"})
    call(client, "PUT", "/v2/customer_profiles/p1", key, {"attributes": {"x": 1}}, runRuleEngine="false")
    call(client, "PUT", "/v2/customer_profiles", key, {"customerProfiles": [{"integrationId": "p1"}]})
    assert profile(client, key, "p1")["lastActivity"] == born["lastActivity"]

    put_session(client, key, "s1", state="closed")
    assert profile(client, key, "p1")["lastActivity"] > born["lastActivity"]


def test_an_idempotent_return_applies_once_and_replays_its_answer(client: TestClient, tenant: Tenant) -> None:
    key = tenant.sandbox_key
    close_worked_example(client, key)
    body = {"return": {"returnedCartItems": [{"position": 1, "quantity": 1}]}}
    path = "/v2/customer_sessions/s1/returns"

    def send(payload: dict[str, Any]) -> Any:
        return client.post(
            path, json=payload, headers={"Authorization": f"ApiKey-v1 {key}", "Idempotency-Key": "k-1"}
        )

    first, replay = send(body), send(body)
    other = send({"return": {"returnedCartItems": [{"position": 0}]}})

    assert first.status_code == replay.status_code == 200
    assert replay.content == first.content
    assert other.status_code == 409
    assert counters(client, key, "p1") == (1, Decimal(85))
