"""Pages of Management API lists: `skip` and `pageSize`, `hasMore`, and `totalResultSize` on request."""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import ColumnElement, Connection, Select, func, select

from patron.errors import InvalidInputError

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


def fetch_page(
    connection: Connection, query: Select[Any], page: PageRequest, to_value: Callable[[Any], T]
) -> Found[T]:
    """Run an ordered query for one page; one extra row tells whether more follow."""
    rows = connection.execute(query.offset(page.skip).limit(page.size + 1)).all()
    total = None
    if page.with_total:
        counted = select(func.count()).select_from(query.order_by(None).subquery())
        total = connection.execute(counted).scalar_one()
    items = [to_value(row._mapping) for row in rows[: page.size]]
    return Found(items, has_more=len(rows) > page.size, total=total)


def page_of(matches: Iterable[T], page: PageRequest) -> Found[T]:
    """The same for matches filtered outside SQL: they are streamed, never all held at once."""
    stream = iter(matches)
    seen = 0
    items: list[T] = []
    while len(items) < page.size and (match := next(stream, None)) is not None:
        if seen >= page.skip:
            items.append(match)
        seen += 1
    if not page.with_total:
        return Found(items, has_more=next(stream, None) is not None)
    rest = sum(1 for _ in stream)
    return Found(items, has_more=rest > 0, total=seen + rest)


def order_by(
    sort: str | None, columns: Mapping[str, ColumnElement[Any]], tie: ColumnElement[Any]
) -> list[Any]:
    """`sort` is a field name, `-` first for descending (SEMANTICS 17); ties go by ascending id."""
    if not sort:
        return [tie]
    field = sort.removeprefix("-")
    column = columns.get(field)
    if column is None:
        allowed = ", ".join(sorted(columns))
        raise InvalidInputError(f"Cannot sort by {field!r}; sortable fields: {allowed}", parameter="sort")
    return [column.desc() if sort.startswith("-") else column.asc(), tie]
