"""Malformed input to every Integration API write: 400 (413 when too large) with Talon.One's error
body, and nothing stored (issue 7). Each write starts from the same data: profile p1 with a closed
session s1 (two units of A) and an audience; "nothing stored" compares what the Management API
shows of it before and after.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import simplejson
from starlette.testclient import TestClient

from patron.api.app import create_app
from patron.config import Settings
from tests.api.conftest import integration, management
from tests.api.integration_client import call, item, put_session
from tests.factories import Store, Tenant, create_tenant

LONG_ID = "x" * 1001
NUMBERS_POSTGRESQL_CANNOT_HOLD = "1e-20000"


@dataclass(frozen=True)
class Write:
    method: str
    path: str  # "{audience}" stands for the audience's id
    body: Any  # a valid body, to spoil
    text: str  # where the body holds a string, as a JSON pointer
    # Endpoint-specific bad bodies: (what is wrong, body, the pointer or parameter the 400 names).
    bad: list[tuple[str, Any, str]] = field(default_factory=list)


SESSION = {"profileId": "p1", "state": "open", "cartItems": [item("B", 1, "5")]}
WRITES = {
    "session": Write(
        "PUT",
        "/v2/customer_sessions/s2",
        {"customerSession": SESSION},
        "/customerSession/profileId",
        [
            ("not an object", {"customerSession": []}, "/customerSession"),
            (
                "price as text",
                {"customerSession": {"cartItems": [{**item("B", 1, "5"), "price": "5"}]}},
                "/customerSession/cartItems/0/price",
            ),
            (
                "price below -1e15",
                {"customerSession": {"cartItems": [item("B", 1, "-1e16")]}},
                "/customerSession/cartItems/0/price",
            ),
            (
                "price above 1e15",
                {"customerSession": {"cartItems": [item("B", 1, "1e400")]}},
                "/customerSession/cartItems/0/price",
            ),
            (
                "negative weight",
                {"customerSession": {"cartItems": [item("B", 1, "5", weight=-1)]}},
                "/customerSession/cartItems/0/weight",
            ),
            (
                "negative quantity",
                {"customerSession": {"cartItems": [item("B", -1, "5")]}},
                "/customerSession/cartItems/0/quantity",
            ),
            (
                "cost as boolean",
                {"customerSession": {"additionalCosts": {"shipping": {"price": True}}}},
                "/customerSession/additionalCosts/shipping/price",
            ),
            ("long profile id", {"customerSession": {"profileId": LONG_ID}}, "/customerSession/profileId"),
        ],
    ),
    "return": Write(
        "POST",
        "/v2/customer_sessions/s1/returns",
        {"return": {"returnedCartItems": [{"position": 0, "quantity": 1}]}},
        "/return/returnedCartItems/0/sku",
        [
            ("items not a list", {"return": {"returnedCartItems": "all"}}, "/return/returnedCartItems"),
            (
                "negative quantity",
                {"return": {"returnedCartItems": [{"position": 0, "quantity": -1}]}},
                "/return/returnedCartItems/0/quantity",
            ),
            (
                "long sku",
                {"return": {"returnedCartItems": [{"sku": LONG_ID}]}},
                "/return/returnedCartItems/0/sku",
            ),
        ],
    ),
    "profile": Write(
        "PUT",
        "/v2/customer_profiles/p1",
        {"attributes": {"b": "text"}},
        "/attributes/b",
        [
            ("attributes not an object", {"attributes": "b"}, "/attributes"),
            ("number as text", {"attributes": {"x": "1"}}, "/attributes/x"),
            (
                "huge audience id",
                {"audiencesChanges": {"adds": [2**64], "deletes": []}},
                "/audiencesChanges/adds/0",
            ),
        ],
    ),
    "profiles": Write(
        "PUT",
        "/v2/customer_profiles",
        {"customerProfiles": [{"integrationId": "p1", "attributes": {"b": "text"}}]},
        "/customerProfiles/0/attributes/b",
        [
            ("not a list", {"customerProfiles": {}}, "/customerProfiles"),
            (
                "long id",
                {"customerProfiles": [{"integrationId": LONG_ID}]},
                "/customerProfiles/0/integrationId",
            ),
        ],
    ),
    "event": Write(
        "POST",
        "/v2/events",
        {"profileId": "p1", "type": "pageViewed", "attributes": {"page": "home"}},
        "/attributes/page",
        [
            ("numeric profile id", {"profileId": 1, "type": "pageViewed"}, "/profileId"),
            ("long type", {"profileId": "p1", "type": LONG_ID}, "/type"),
        ],
    ),
    "audience": Write(
        "POST",
        "/v2/audiences",
        {"name": "Fans"},
        "/name",
        [("numeric name", {"name": 5}, "/name"), ("long name", {"name": LONG_ID}, "/name")],
    ),
    "audience name": Write(
        "PUT",
        "/v2/audiences/{audience}",
        {"name": "Renamed"},
        "/name",
        [("boolean name", {"name": True}, "/name")],
    ),
    "memberships": Write(
        "POST",
        "/v2/customer_audiences",
        {"data": [{"action": "add", "profileIntegrationId": "p2", "audienceId": "{audience}"}]},
        "/data/0/profileIntegrationId",
        [
            (
                "audience id as text",
                {"data": [{"action": "add", "profileIntegrationId": "p2", "audienceId": "1"}]},
                "/data/0/audienceId",
            ),
            (
                "long profile id",
                {"data": [{"action": "add", "profileIntegrationId": LONG_ID, "audienceId": 1}]},
                "/data/0/profileIntegrationId",
            ),
        ],
    ),
    "member attributes": Write(
        "PUT",
        "/v2/audience_customers/{audience}/attributes",
        {"b": "text"},
        "/b",
        [("number as text", {"x": "1"}, "/x"), ("not an object", [], "")],
    ),
}
# Broken in the same way whatever the endpoint: (what is wrong, raw body).
RAW = [
    ("empty", b""),
    ("truncated", b'{"name": '),
    ("not JSON", b"name=Fans"),
    ("a string", b'"Fans"'),
    ("NaN", b'{"name": NaN}'),
    ("deep nesting", b'{"deep": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"),
    ("invalid UTF-8", b'{"name": "\xff\xfe"}'),
]


@pytest.fixture
def audience(client: TestClient, tenant: Tenant) -> int:
    """The data every case starts from; the audience's id."""
    put_session(
        client, tenant.sandbox_key, "s1", profileId="p1", state="open", cartItems=[item("A", 2, "10")]
    )
    put_session(client, tenant.sandbox_key, "s1", state="closed")
    audience_id: int = call(client, "POST", "/v2/audiences", tenant.sandbox_key, {"name": "VIP"})["id"]
    joined = {"data": [{"action": "add", "profileIntegrationId": "p1", "audienceId": audience_id}]}
    assert call(client, "POST", "/v2/customer_audiences", tenant.sandbox_key, joined).status == 204
    return audience_id


def stored(client: TestClient, tenant: Tenant, audience: int) -> list[Any]:
    """What the Management API shows of the tenant's sandbox."""
    paths = [
        "/v1/customers/no_total?sandbox=true",
        f"/v1/applications/{tenant.sandbox_application_id}/sessions",
        "/v1/audiences",
        f"/v1/audiences/{audience}/memberships",
    ]
    return [client.get(path, headers=management(tenant.management_key)).json() for path in paths]


def send(client: TestClient, tenant: Tenant, write: Write, audience: int, raw: bytes) -> Any:
    return client.request(
        write.method,
        write.path.format(audience=audience),
        content=raw,
        headers={**integration(tenant.sandbox_key), "Content-Type": "application/json"},
    )


def encoded(write: Write, audience: int, body: Any) -> bytes:
    # ensure_ascii escapes NUL and lone surrogates as \u0000 and \ud800, as a client would send them.
    text = simplejson.dumps(body, use_decimal=True).replace('"{audience}"', str(audience))
    return text.encode()


def with_text(body: Any, pointer: str, value: str) -> Any:
    """A copy of `body` with `value` at `pointer`."""
    copy = simplejson.loads(simplejson.dumps(body, use_decimal=True), use_decimal=True)
    *parents, last = pointer.strip("/").split("/")
    target = copy
    for part in parents:
        target = target[int(part)] if isinstance(target, list) else target[part]
    target[last] = value
    return copy


def assert_error(response: Any, status: int, where: str | None, case: str) -> None:
    assert response.status_code == status, (case, response.text)
    body = response.json()
    assert (body["StatusCode"], isinstance(body["message"], str)) == (status, True), case
    assert body["errors"], case
    assert all({"title", "source"} <= error.keys() for error in body["errors"]), case
    if where is not None:
        sources = [error["source"] for error in body["errors"]]
        assert {"pointer": where} in sources or {"parameter": where} in sources, (case, sources)


def bad_bodies(write: Write, audience: int) -> Iterator[tuple[str, bytes, str | None]]:
    for case, raw in RAW:
        yield case, raw, None
    for case, body, where in write.bad:
        yield case, encoded(write, audience, body), where
    for case, text in [("NUL", "a\x00b"), ("lone surrogate", "a\ud800b"), ("lone low surrogate", "\udc00")]:
        yield case, encoded(write, audience, with_text(write.body, write.text, text)), write.text
    yield "lone surrogate in a key", encoded(write, audience, {"\ud800": 1, "x": write.body}), "/\ud800"
    number = encoded(write, audience, write.body).replace(
        b"{", b'{"n": ' + NUMBERS_POSTGRESQL_CANNOT_HOLD.encode() + b", ", 1
    )
    yield "number with 20000 decimals", number, "/n"


@pytest.mark.parametrize("name", list(WRITES))
def test_malformed_bodies_are_400_with_the_error_body_and_store_nothing(
    client: TestClient, tenant: Tenant, audience: int, name: str
) -> None:
    write = WRITES[name]
    before = stored(client, tenant, audience)

    for case, raw, where in bad_bodies(write, audience):
        assert_error(send(client, tenant, write, audience, raw), 400, where, case)

    assert stored(client, tenant, audience) == before
    valid = send(client, tenant, write, audience, encoded(write, audience, write.body))
    assert valid.status_code < 300, valid.text


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("PUT", f"/v2/customer_sessions/{LONG_ID}"),
        ("POST", f"/v2/customer_sessions/{LONG_ID}/returns"),
        ("PUT", f"/v2/customer_sessions/{LONG_ID}/reopen"),
        ("PUT", f"/v2/customer_profiles/{LONG_ID}"),
        ("DELETE", f"/v1/customer_data/{LONG_ID}"),
        ("PUT", "/v2/customer_profiles/p%00"),
        ("PUT", f"/v2/audiences/{2**63}"),
        ("DELETE", f"/v2/audiences/{2**63}/memberships"),
    ],
)
def test_malformed_path_ids_are_400_naming_them_and_store_nothing(
    client: TestClient, tenant: Tenant, audience: int, method: str, path: str
) -> None:
    before = stored(client, tenant, audience)
    body = {"customerSession": {}, "return": {"returnedCartItems": [{"position": 0}]}, "name": "x"}

    response = client.request(method, path, json=body, headers=integration(tenant.sandbox_key))

    assert response.status_code == 400, response.text
    assert response.json()["errors"][0]["source"].keys() == {"parameter"}
    assert stored(client, tenant, audience) == before


def test_a_nul_in_the_idempotency_key_is_400_naming_it(client: TestClient, tenant: Tenant) -> None:
    response = client.post(
        "/v2/audiences",
        json={"name": "Fans"},
        headers={**integration(tenant.sandbox_key), "Idempotency-Key": "a\x00b"},
    )

    assert_error(response, 400, "Idempotency-Key", "NUL key")


@pytest.fixture
def small_limit_client(database_url: str) -> Iterator[TestClient]:
    settings = Settings(database_url=database_url, max_body_bytes=4096)
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        yield client


@pytest.mark.parametrize("name", list(WRITES))
def test_a_body_over_the_limit_is_413_declared_or_streamed(small_limit_client: TestClient, name: str) -> None:
    client = small_limit_client
    tenant = create_tenant(Store.of(client))
    write = WRITES[name]
    raw = encoded(write, 1, with_text(write.body, write.text, "x" * 5000))
    headers = {**integration(tenant.sandbox_key), "Content-Type": "application/json"}
    path = write.path.format(audience=1)

    declared = client.request(write.method, path, content=raw, headers=headers)
    streamed = client.request(write.method, path, content=iter([raw[:3000], raw[3000:]]), headers=headers)

    assert_error(declared, 413, None, "declared length")
    assert_error(streamed, 413, None, "streamed")
    management_key = management(tenant.management_key)
    assert client.get("/v1/customers/no_total?sandbox=true", headers=management_key).json()["data"] == []


def test_odd_but_valid_unicode_is_stored_and_read_back_as_sent(client: TestClient, tenant: Tenant) -> None:
    odd = "\uffff \U0001f600 \u202e\u0301 \u00e9 \ufeff"

    answer = call(
        client, "PUT", "/v2/customer_profiles/p\u00e9", tenant.sandbox_key, {"attributes": {"b": odd}}
    )
    listed = client.get("/v1/customers/no_total?sandbox=true", headers=management(tenant.management_key))

    assert answer.status == 200, answer.body
    assert [(p["integrationId"], p["attributes"]) for p in listed.json()["data"]] == [("p\u00e9", {"b": odd})]
