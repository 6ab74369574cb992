"""JSON columns keep numbers exact: decimals in, decimals out."""

from typing import Any

import simplejson


def json_serializer(value: Any) -> str:
    return simplejson.dumps(value, use_decimal=True, ensure_ascii=False, separators=(",", ":"))


def json_deserializer(text: str | bytes) -> Any:
    return simplejson.loads(text, use_decimal=True)
