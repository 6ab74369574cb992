"""JSON columns keep numbers exact: decimals in, decimals out."""

from decimal import Decimal
from typing import Any

import simplejson

# One encoder and one decoder: simplejson builds a new one on every call given options.
_ENCODER = simplejson.JSONEncoder(use_decimal=True, ensure_ascii=False, separators=(",", ":"))
_DECODER = simplejson.JSONDecoder(parse_float=Decimal)


def json_serializer(value: Any) -> str:
    return _ENCODER.encode(value)


def json_deserializer(text: str | bytes) -> Any:
    return _DECODER.decode(text.decode() if isinstance(text, bytes) else text)
