"""JSON on the wire: exact decimals as JSON numbers, RFC 3339 UTC timestamps with `Z`."""

from datetime import UTC, datetime
from typing import Any

import simplejson
from pydantic import BaseModel
from starlette.responses import JSONResponse


def rfc3339(value: datetime) -> str:
    text = value.astimezone(UTC).replace(tzinfo=None).isoformat()
    return text + "Z"


def _default(value: Any) -> Any:
    if isinstance(value, datetime):
        return rfc3339(value)
    if isinstance(value, BaseModel):
        return value.model_dump(mode="python", by_alias=True, exclude_none=True)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


# simplejson writes Decimal as the number's own text: no binary float on the way out. One
# encoder for every answer: simplejson.dumps with options would build a new one each call.
_ENCODER = simplejson.JSONEncoder(
    use_decimal=True, default=_default, ensure_ascii=False, separators=(",", ":")
)


def dumps(content: Any) -> bytes:
    text = _ENCODER.encode(content)
    # A lone surrogate (a refused key echoed in an error pointer) has no UTF-8 form; inside a JSON
    # string, "backslashreplace" writes it as the JSON escape it came in as ("\ud800").
    return text.encode("utf-8", errors="backslashreplace")


class TalonJSONResponse(JSONResponse):
    """A JSONResponse (so FastAPI documents the route's response model) with patron's encoder."""

    def render(self, content: Any) -> bytes:
        return dumps(content)


def parse_json(body: bytes) -> Any:
    """Parse a request body keeping numbers exact; NaN and Infinity are not JSON."""
    return simplejson.loads(body, use_decimal=True, parse_constant=_reject_constant)


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a valid JSON value")
