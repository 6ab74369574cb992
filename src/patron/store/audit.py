"""Recomputing profile counters from the sessions and returns they come from."""

from collections.abc import Iterator
from decimal import Decimal

from sqlalchemy import Connection, func, select

from patron.domain.profiles import ProfileAggregates
from patron.domain.sessions import COUNTED_STATES
from patron.store._dialect import is_sqlite
from patron.store.tables import customer_profiles, customer_sessions, returns

_BATCH = 10_000


def stored_aggregates(connection: Connection) -> Iterator[tuple[int, str, ProfileAggregates]]:
    """(profile id, integration id, stored counters) of every profile, by id."""
    t = customer_profiles
    query = select(t.c.id, t.c.integration_id, t.c.closed_sessions, t.c.total_sales).order_by(t.c.id)
    for row in connection.execution_options(yield_per=_BATCH).execute(query):
        yield row.id, row.integration_id, ProfileAggregates(row.closed_sessions, row.total_sales)


def recomputed_aggregates(connection: Connection) -> Iterator[tuple[int, ProfileAggregates]]:
    """(profile id, counters recomputed from sessions and returns), by profile id.

    A counted session contributes its total less what was returned from it; a session with
    returns is never reopened, so every return belongs to its current closing.
    """
    s, r = customer_sessions, returns
    returned = select(r.c.session_id, r.c.amount).subquery()
    counted = (
        select(s.c.profile_id, s.c.id, s.c.total, returned.c.amount)
        .outerjoin(returned, returned.c.session_id == s.c.id)
        .where(s.c.profile_id.is_not(None), s.c.state.in_([state.value for state in COUNTED_STATES]))
        .order_by(s.c.profile_id, s.c.id)
    )
    if not is_sqlite(connection):
        yield from _summed_in_sql(connection)
        return
    # SQLite keeps money as text: sum it here, exactly, rather than as binary floats in SQL.
    current: int | None = None
    sessions: set[int] = set()
    total = Decimal(0)
    for row in connection.execution_options(yield_per=_BATCH).execute(counted):
        if row.profile_id != current:
            if current is not None:
                yield current, ProfileAggregates(len(sessions), total)
            current, sessions, total = row.profile_id, set(), Decimal(0)
        if row.id not in sessions:
            sessions.add(row.id)
            total += row.total
        if row.amount is not None:
            total -= row.amount
    if current is not None:
        yield current, ProfileAggregates(len(sessions), total)


def _summed_in_sql(connection: Connection) -> Iterator[tuple[int, ProfileAggregates]]:
    s, r = customer_sessions, returns
    returned = (
        select(r.c.session_id, func.sum(r.c.amount).label("amount")).group_by(r.c.session_id).subquery()
    )
    query = (
        select(
            s.c.profile_id,
            func.count(s.c.id).label("closed"),
            func.sum(s.c.total - func.coalesce(returned.c.amount, 0)).label("sales"),
        )
        .outerjoin(returned, returned.c.session_id == s.c.id)
        .where(s.c.profile_id.is_not(None), s.c.state.in_([state.value for state in COUNTED_STATES]))
        .group_by(s.c.profile_id)
        .order_by(s.c.profile_id)
    )
    for row in connection.execution_options(yield_per=_BATCH).execute(query):
        yield row.profile_id, ProfileAggregates(row.closed, Decimal(row.sales))
