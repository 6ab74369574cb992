"""What a request may carry to the database, checked once for every route before its handler runs.

Both databases must answer alike, so the narrower one sets the rule: PostgreSQL text cannot hold
NUL, a lone UTF-16 surrogate ("\\ud800" in JSON) is not Unicode text at all, and PostgreSQL's
NUMERIC (jsonb numbers too) overflows on exponents far beyond any real value.
"""

import re
from decimal import Decimal
from typing import Any, Final

from fastapi import Request
from fastapi.exceptions import RequestValidationError

Location = tuple[str | int, ...]
# Digits either side of the decimal point; PostgreSQL's own limits are 131072 and 16383.
MAX_DIGITS: Final = 1000
_SURROGATE: Final = re.compile("[\ud800-\udfff]")
_BAD_TEXT: Final = "must not contain NUL characters or unpaired UTF-16 surrogates"
_BAD_NUMBER: Final = f"must have at most {MAX_DIGITS} digits before and after the decimal point"


def check_parameters(request: Request) -> None:
    """Path and query parameters, and the Idempotency-Key header (it is stored)."""
    for name, value in request.path_params.items():
        _check_text(("path", name), value)
    for name, value in request.query_params.multi_items():
        _check_text(("query", name), value)
    key = request.headers.get("idempotency-key")
    if key is not None:
        _check_text(("header", "Idempotency-Key"), key)


def check_body(body: Any) -> None:
    """Every key, string and number of a parsed JSON body (iteratively: bodies may nest deep)."""
    pending: list[tuple[Location, Any]] = [(("body",), body)]
    while pending:
        where, value = pending.pop()
        if isinstance(value, str):
            _check_text(where, value)
        elif isinstance(value, int | Decimal) and not isinstance(value, bool):
            _check_number(where, Decimal(value))
        elif isinstance(value, dict):
            for key, item in value.items():
                _check_text((*where, key), key)
                pending.append(((*where, key), item))
        elif isinstance(value, list):
            pending.extend(((*where, index), item) for index, item in enumerate(value))


def _check_text(where: Location, text: str) -> None:
    if "\x00" in text or _SURROGATE.search(text):
        _refuse(where, _BAD_TEXT)


def _check_number(where: Location, number: Decimal) -> None:
    exponent = number.as_tuple().exponent
    if number and (number.adjusted() >= MAX_DIGITS or (isinstance(exponent, int) and exponent < -MAX_DIGITS)):
        _refuse(where, _BAD_NUMBER)


def _refuse(where: Location, message: str) -> None:
    raise RequestValidationError([{"type": "value_unstorable", "loc": where, "msg": message}])
