"""Pages of Management API lists: `skip` and `pageSize`, `hasMore`, and `totalResultSize` on request."""

from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from patron.errors import InvalidInputError
from patron.store.database import Row, Transaction

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class PageRequest:
    skip: int = 0
    size: int = 1000
    with_total: bool = False


@dataclass(frozen=True, slots=True)
class Found(Generic[T]):
    """One page of matches; `total` is None unless it was asked for."""

    items: list[T]
    has_more: bool
    total: int | None = None


async def fetch_page(
    tx: Transaction,
    query: str,
    args: list[Any],
    page: PageRequest,
    to_value: Callable[[Row], T],
) -> Found[T]:
    """Run an ordered query (`SELECT ... ORDER BY ...`) for one page; one more row tells if more follow."""
    rows = await tx.all(f"{query} LIMIT ? OFFSET ?", *args, page.size + 1, page.skip)
    total = None
    if page.with_total:
        total = int(await tx.value(f"SELECT count(*) FROM ({_unordered(query)}) AS matches", *args))
    items = [to_value(row) for row in rows[: page.size]]
    return Found(items, has_more=len(rows) > page.size, total=total)


def _unordered(query: str) -> str:
    head, _, _ = query.rpartition(" ORDER BY ")
    return head or query


async def page_of(matches: AsyncIterator[T], page: PageRequest) -> Found[T]:
    """The same for matches filtered outside SQL: they are streamed, never all held at once."""
    seen = 0
    items: list[T] = []
    async for match in matches:
        if len(items) == page.size:
            if not page.with_total:
                return Found(items, has_more=True)
            rest = 1 + sum([1 async for _ in matches])
            return Found(items, has_more=True, total=seen + rest)
        if seen >= page.skip:
            items.append(match)
        seen += 1
    return Found(items, has_more=False, total=seen if page.with_total else None)


def page_of_list(matches: list[T], page: PageRequest) -> Found[T]:
    """A page of matches already in memory."""
    items = matches[page.skip : page.skip + page.size]
    return Found(
        items,
        has_more=page.skip + page.size < len(matches),
        total=len(matches) if page.with_total else None,
    )


def order_by(sort: str | None, columns: Mapping[str, str], tie: str) -> str:
    """`ORDER BY` for `sort`, a wire field name with `-` first for descending; ties go by `tie` ascending."""
    if not sort:
        return f" ORDER BY {tie}"
    field = sort.removeprefix("-")
    column = columns.get(field)
    if column is None:
        allowed = ", ".join(sorted(columns))
        raise InvalidInputError(f"Cannot sort by {field!r}; sortable fields: {allowed}", parameter="sort")
    return f" ORDER BY {column} {'DESC' if sort.startswith('-') else 'ASC'}, {tie}"


Loader = Callable[[Transaction], Awaitable[Any]]
