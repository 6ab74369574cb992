"""Deleting a customer's data leaves no trace of it, and only in the key's environment (SEMANTICS 15)."""

from collections.abc import Iterable
from decimal import Decimal
from typing import Any, cast

from starlette.testclient import TestClient

from patron.store.database import Transaction
from patron.store.tables import metadata
from tests.api.integration_client import call, counters, item, profile, put_session
from tests.factories import Store, Tenant

SECRET = "ada.lovelace@example.org"


def dump(store: Store) -> str:
    async def every_row(tx: Transaction) -> str:
        return "\n".join(
            [
                repr(tuple(cast(Iterable[Any], row)))  # each column's value
                for table in metadata.sorted_tables
                for row in await tx.all(f"SELECT * FROM {table.name}")
            ]
        )

    return store.read(every_row)


def test_deletion_leaves_no_trace_in_any_table(client: TestClient, tenant: Tenant, app_store: Store) -> None:
    key = tenant.sandbox_key
    call(
        client,
        "PUT",
        "/v2/customer_profiles/p1",
        key,
        {"attributes": {"Email": SECRET}},
        runRuleEngine="true",
    )
    put_session(
        client,
        key,
        "s1",
        profileId="p1",
        state="closed",
        cartItems=[item("A", 1, "10", attributes={"color": SECRET})],
        attributes={"channel": SECRET},
    )
    call(
        client,
        "POST",
        "/v2/events",
        key,
        {"profileId": "p1", "type": "pageViewed", "attributes": {"page": SECRET}},
    )
    client.post(
        "/v2/customer_sessions/s1/returns",
        json={"return": {"returnedCartItems": [{"position": 0}]}, "responseContent": ["customerProfile"]},
        headers={"Authorization": f"ApiKey-v1 {key}", "Idempotency-Key": "r-1"},
    )
    assert SECRET in dump(app_store)

    deleted = call(client, "DELETE", "/v1/customer_data/p1", key)

    assert deleted.status == 204
    assert SECRET not in dump(app_store)
    assert call(client, "DELETE", "/v1/customer_data/p1", key).status == 404
    session = call(client, "GET", "/v2/customer_sessions/s1", key)["customerSession"]
    assert (session["profileId"], session["attributes"], session["cartItems"][0]["attributes"]) == (
        "",
        {},
        {},
    )


def test_a_reused_integration_id_makes_a_new_profile(client: TestClient, tenant: Tenant) -> None:
    key = tenant.sandbox_key
    put_session(client, key, "s1", profileId="p1", state="closed", cartItems=[item("A", 1, "10")])
    old = profile(client, key, "p1")
    call(client, "DELETE", "/v1/customer_data/p1", key)

    new = profile(client, key, "p1")

    assert new["id"] != old["id"]
    assert (new["closedSessions"], new["totalSales"]) == (0, 0)


def test_deletion_stays_in_the_keys_environment(client: TestClient, tenant: Tenant) -> None:
    put_session(
        client, tenant.sandbox_key, "s1", profileId="p1", state="closed", cartItems=[item("A", 1, "10")]
    )
    put_session(client, tenant.live_key, "s1", profileId="p1", state="closed", cartItems=[item("A", 1, "7")])

    assert call(client, "DELETE", "/v1/customer_data/p1", tenant.live_key).status == 204

    assert counters(client, tenant.sandbox_key, "p1") == (1, Decimal(10))
    assert call(client, "DELETE", "/v1/customer_data/nobody", tenant.sandbox_key).status == 404
