"""Small helpers over TestClient for the Management API: numbers parsed exactly, never as floats."""

from decimal import Decimal
from typing import Any

import simplejson
from starlette.testclient import TestClient

from tests.api.conftest import management
from tests.api.integration_client import Answer


def read(client: TestClient, key: str, path: str, body: Any = None, **params: Any) -> Answer:
    """GET `path`, or POST `body` to it when one is given; JSON numbers come back as int or Decimal."""
    response = client.request(
        "GET" if body is None else "POST",
        path,
        headers={**management(key), "Content-Type": "application/json"},
        content=None if body is None else simplejson.dumps(body, use_decimal=True),
        params={name: str(value) for name, value in params.items()},
    )
    assert response.headers["content-type"] == "application/json"
    return Answer(response.status_code, simplejson.loads(response.content, use_decimal=True))


def assert_money(*values: Any) -> None:
    """Money is a JSON number on the wire, never a string."""
    for value in values:
        assert isinstance(value, int | Decimal), f"{value!r} is not a JSON number"
        assert not isinstance(value, bool)


def assert_not_found(answer: Answer, parameter: str) -> None:
    assert answer.status == 404, answer.body
    assert answer["StatusCode"] == 404
    assert answer["errors"][0]["source"] == {"parameter": parameter}
