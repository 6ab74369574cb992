"""Recomputing profile counters from the sessions and returns they come from."""

from collections.abc import AsyncGenerator
from contextlib import aclosing
from decimal import Decimal

from patron.domain.profiles import ProfileAggregates
from patron.domain.sessions import COUNTED_STATES
from patron.store._dialect import is_sqlite
from patron.store.database import Transaction

_BATCH = 10_000
_COUNTED = ", ".join(f"'{state.value}'" for state in sorted(COUNTED_STATES))


class AuditQueries:
    def __init__(self, tx: Transaction) -> None:
        self._tx = tx

    async def stored_aggregates(self) -> AsyncGenerator[tuple[int, str, ProfileAggregates], None]:
        """(profile id, integration id, stored counters) of every profile, by id."""
        rows = self._tx.stream(
            "SELECT id, integration_id, closed_sessions, total_sales FROM customer_profiles ORDER BY id",
            batch=_BATCH,
        )
        async with aclosing(rows):
            async for row in rows:
                yield row[0], row[1], ProfileAggregates(row[2], self._tx.read_money(row[3]))

    async def recomputed_aggregates(self) -> AsyncGenerator[tuple[int, ProfileAggregates], None]:
        """(profile id, counters recomputed from sessions and returns), by profile id.

        A counted session contributes its total less what was returned from it; a session with
        returns is never reopened, so every return belongs to its current closing.
        """
        if not is_sqlite(self._tx):
            async for entry in self._summed_in_sql():
                yield entry
            return
        # SQLite keeps money as text: sum it here, exactly, rather than as binary floats in SQL.
        rows = self._tx.stream(
            "SELECT s.profile_id, s.id, s.total, r.amount FROM customer_sessions s"
            " LEFT JOIN returns r ON r.session_id = s.id"
            f" WHERE s.profile_id IS NOT NULL AND s.state IN ({_COUNTED}) ORDER BY s.profile_id, s.id",
            batch=_BATCH,
        )
        current: int | None = None
        sessions: set[int] = set()
        total = Decimal(0)
        async with aclosing(rows):
            async for row in rows:
                profile_id, session_id, session_total, returned = row[0], row[1], row[2], row[3]
                if profile_id != current:
                    if current is not None:
                        yield current, ProfileAggregates(len(sessions), total)
                    current, sessions, total = profile_id, set(), Decimal(0)
                if session_id not in sessions:
                    sessions.add(session_id)
                    total += Decimal(session_total)
                if returned is not None:
                    total -= Decimal(returned)
        if current is not None:
            yield current, ProfileAggregates(len(sessions), total)

    async def _summed_in_sql(self) -> AsyncGenerator[tuple[int, ProfileAggregates], None]:
        rows = self._tx.stream(
            "SELECT s.profile_id, count(s.id), sum(s.total - coalesce(r.amount, 0)) FROM customer_sessions s"
            " LEFT JOIN (SELECT session_id, sum(amount) AS amount FROM returns GROUP BY session_id) r"
            " ON r.session_id = s.id"
            f" WHERE s.profile_id IS NOT NULL AND s.state IN ({_COUNTED})"
            " GROUP BY s.profile_id ORDER BY s.profile_id",
            batch=_BATCH,
        )
        async with aclosing(rows):
            async for row in rows:
                yield row[0], ProfileAggregates(row[1], Decimal(row[2]))
