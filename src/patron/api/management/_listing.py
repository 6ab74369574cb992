"""Query parameters and the list envelope shared by the Management API's lists (SEMANTICS 17)."""

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Annotated, TypeVar

import msgspec

from patron.api.operations import Params
from patron.api.schemas.common import MAX_ID, MIN_ID, Page
from patron.errors import InvalidInputError
from patron.store.paging import Found, PageRequest

PageSize = Annotated[int, msgspec.Meta(ge=1, le=1000, description="Items per page.")]
Skip = Annotated[int, msgspec.Meta(ge=0, le=MAX_ID, description="Items to skip.")]
WithTotalResultSize = Annotated[bool, msgspec.Meta(description="Also count every match (totalResultSize).")]
Sort = Annotated[str, msgspec.Meta(description="A field name; prefix it with - for descending order.")]
Id = Annotated[int, msgspec.Meta(ge=MIN_ID, le=MAX_ID)]
T = TypeVar("T")
M = TypeVar("M")


class Listing(Params, kw_only=True):
    page_size: PageSize = 1000
    skip: Skip = 0

    def page(self, *, with_total: bool = False) -> PageRequest:
        return PageRequest(self.skip, self.page_size, with_total=with_total)


def envelope(found: Found[T], shown: Callable[[T], M]) -> Page[M]:
    """`{hasMore, totalResultSize?, data}`: the total only where it was asked for."""
    return Page(
        has_more=found.has_more, total_result_size=found.total, data=[shown(item) for item in found.items]
    )


def range_bound(value: str, *, parameter: str) -> datetime:
    """An RFC 3339 timestamp; a date alone means midnight UTC, as does a time without a zone."""
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise InvalidInputError(
            f"{parameter} must be an RFC 3339 timestamp or a date, not {value!r}", parameter=parameter
        ) from None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed
