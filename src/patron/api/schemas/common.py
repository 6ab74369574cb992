"""The camelCase base Structs, and shapes shared by many operations."""

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, Final, Generic, TypeVar

import msgspec

from patron.api.codec import Amount, Measure

T = TypeVar("T")


class Wire(msgspec.Struct, rename="camel", omit_defaults=True, kw_only=True):
    """An answer: camelCase on the wire; an optional field left at None is left out of it."""


class RequestBody(msgspec.Struct, rename="camel", kw_only=True):
    """A request body: unknown keys are ignored (SEMANTICS 3.5); JSON types are never coerced."""


# Ids are 32-bit INTEGER columns: a number outside this range names nothing and cannot even be bound.
MIN_ID: Final = -(2**31)
MAX_ID: Final = 2**31 - 1
Id = Annotated[int, msgspec.Meta(ge=MIN_ID, le=MAX_ID)]
Attributes = dict[str, Any]
# Money in an answer: an exact Decimal, written as a JSON number.
Money = Decimal
# A time in an answer: RFC 3339 in UTC (`Z`).
Timestamp = Annotated[datetime, msgspec.Meta(tz=True)]
__all__ = ["Amount", "Measure"]


class ErrorSource(Wire, kw_only=True):
    pointer: str | None = None
    parameter: str | None = None
    line: str | None = None


class APIError(Wire, kw_only=True):
    title: str
    details: str | None = None
    source: ErrorSource


class ErrorResponseWithStatus(Wire, kw_only=True):
    message: str
    errors: list[APIError]
    status_code: int = msgspec.field(name="StatusCode")


class Page(Wire, Generic[T], kw_only=True):
    """A list envelope: `hasMore` and/or `totalResultSize`, then `data`."""

    has_more: bool | None = None
    total_result_size: int | None = None
    data: list[T]
