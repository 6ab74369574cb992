"""Small helpers over TestClient for the Integration API: plain JSON in, status and JSON out."""

from decimal import Decimal
from typing import Any

import simplejson
from starlette.testclient import TestClient

from tests.api.conftest import integration


class Answer:
    def __init__(self, status: int, body: Any) -> None:
        self.status = status
        self.body = body

    def __getitem__(self, key: str) -> Any:
        return self.body[key]


def call(client: TestClient, method: str, path: str, key: str, body: Any = None, **params: Any) -> Answer:
    response = client.request(
        method,
        path,
        headers={**integration(key), "Content-Type": "application/json"},
        content=None if body is None else simplejson.dumps(body, use_decimal=True),
        params={name: str(value) for name, value in params.items()},
    )
    parsed = simplejson.loads(response.content, use_decimal=True) if response.content else None
    return Answer(response.status_code, parsed)


def item(sku: str, quantity: int, price: str, **extra: Any) -> dict[str, Any]:
    return {"sku": sku, "quantity": quantity, "price": Decimal(price), **extra}


def put_session(client: TestClient, key: str, session_id: str, **session: Any) -> Answer:
    content = session.pop("response_content", ["customerProfile"])
    params = session.pop("params", {})
    body = {"customerSession": session, "responseContent": content}
    return call(client, "PUT", f"/v2/customer_sessions/{session_id}", key, body, **params)


def profile(client: TestClient, key: str, integration_id: str) -> dict[str, Any]:
    """The profile as an empty runRuleEngine=false update shows it (it changes nothing)."""
    answer = call(client, "PUT", f"/v2/customer_profiles/{integration_id}", key, {}, runRuleEngine="false")
    assert answer.status == 200
    result: dict[str, Any] = answer["customerProfile"]
    return result


def counters(client: TestClient, key: str, integration_id: str) -> tuple[int, Decimal]:
    shown = profile(client, key, integration_id)
    return shown["closedSessions"], shown["totalSales"]
