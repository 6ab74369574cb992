"""JSON in the database keeps numbers exact: decimals in, decimals out (msgspec, in C)."""

from decimal import Decimal
from typing import Any

import msgspec

_ENCODER = msgspec.json.Encoder(decimal_format="number")
_DECODER = msgspec.json.Decoder(float_hook=Decimal)


def dumps(value: Any) -> str:
    return _ENCODER.encode(value).decode()


def loads(text: str | bytes) -> Any:
    return _DECODER.decode(text)
