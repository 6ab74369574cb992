"""Batch reads and writes for `patron import` and `patron export`: streams out, many rows per statement in."""

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, bindparam, insert, select, update

from patron.domain.attributes import Attributes
from patron.domain.profiles import CustomerProfile, ProfileAggregates
from patron.domain.returns import ReturnRecord
from patron.domain.sessions import CustomerSession
from patron.store._dialect import dialect_insert, refresh_statistics

# The row layouts live in the repositories; importing shares them, not copies them.
from patron.store.profiles import profile_from_row, profile_row
from patron.store.sessions import session_from_row, session_row
from patron.store.tables import (
    accounts,
    application_customers,
    applications,
    customer_profiles,
    customer_sessions,
    returns,
)

_p, _s = customer_profiles, customer_sessions
_STREAM_BATCH = 1000


@dataclass(frozen=True, slots=True)
class StoredProfile:
    """What a batch import needs to know about a profile that already exists."""

    id: int
    attributes: Attributes
    aggregates: ProfileAggregates


class TransferQueries:
    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def refresh_statistics(self) -> None:
        refresh_statistics(
            self._connection, ["customer_profiles", "application_customers", "customer_sessions", "returns"]
        )

    def sole_account_id(self) -> int:
        return int(self._connection.execute(select(accounts.c.id)).scalar_one())

    def stream_profiles(self, account_id: int, sandbox: bool) -> Iterator[CustomerProfile]:
        """Every profile of one environment, in id order, fetched in batches (memory stays flat)."""
        query = select(_p).where(_p.c.account_id == account_id, _p.c.sandbox == sandbox).order_by(_p.c.id)
        for row in self._connection.execution_options(yield_per=_STREAM_BATCH).execute(query):
            yield profile_from_row(row._mapping)

    def stream_sessions(
        self, *, account_id: int, sandbox: bool, application_id: int | None
    ) -> Iterator[CustomerSession]:
        """Every session of one environment (or one of its Applications), in id order, in batches."""
        in_scope = select(applications.c.id).where(
            applications.c.account_id == account_id, applications.c.sandbox == sandbox
        )
        if application_id is not None:
            in_scope = in_scope.where(applications.c.id == application_id)
        query = select(_s).where(_s.c.application_id.in_(in_scope)).order_by(_s.c.id)
        for row in self._connection.execution_options(yield_per=_STREAM_BATCH).execute(query):
            yield session_from_row(row._mapping)

    def profiles(
        self, account_id: int, sandbox: bool, integration_ids: Iterable[str]
    ) -> dict[str, StoredProfile]:
        """The stored profiles among `integration_ids`, by integration id."""
        wanted = list(integration_ids)
        if not wanted:
            return {}
        query = select(
            _p.c.id, _p.c.integration_id, _p.c.attributes, _p.c.closed_sessions, _p.c.total_sales
        ).where(_p.c.account_id == account_id, _p.c.sandbox == sandbox, _p.c.integration_id.in_(wanted))
        return {
            row.integration_id: StoredProfile(
                row.id, dict(row.attributes), ProfileAggregates(row.closed_sessions, row.total_sales)
            )
            for row in self._connection.execute(query)
        }

    def insert_profiles(self, profiles: Sequence[CustomerProfile]) -> int:
        """Insert the profiles not stored yet (others are left alone); returns how many were new."""
        if not profiles:
            return 0
        statement = (
            dialect_insert(self._connection)(_p)
            .on_conflict_do_nothing(index_elements=[_p.c.account_id, _p.c.sandbox, _p.c.integration_id])
            .returning(_p.c.id)
        )
        result = self._connection.execute(statement, [profile_row(profile) for profile in profiles])
        # Only inserted rows come back (rowcount is not reported for executemany everywhere).
        return len(result.all())

    def set_attributes(self, changes: Sequence[tuple[int, Attributes]]) -> None:
        if changes:
            statement = update(_p).where(_p.c.id == bindparam("pk")).values(attributes=bindparam("attrs"))
            self._connection.execute(statement, [{"pk": pk, "attrs": attrs} for pk, attrs in changes])

    def set_aggregates(self, changes: Sequence[tuple[int, ProfileAggregates]]) -> None:
        if changes:
            statement = (
                update(_p)
                .where(_p.c.id == bindparam("pk"))
                .values(closed_sessions=bindparam("closed"), total_sales=bindparam("sales"))
            )
            self._connection.execute(
                statement,
                [
                    {"pk": pk, "closed": totals.closed_sessions, "sales": totals.total_sales}
                    for pk, totals in changes
                ],
            )

    def link_application(self, application_id: int, profile_ids: Iterable[int]) -> None:
        """Record that the Application has seen these profiles (idempotent)."""
        rows = [{"application_id": application_id, "profile_id": pk} for pk in sorted(set(profile_ids))]
        if rows:
            statement = dialect_insert(self._connection)(application_customers).on_conflict_do_nothing()
            self._connection.execute(statement, rows)

    def existing_sessions(self, application_id: int, integration_ids: Iterable[str]) -> set[str]:
        wanted = list(integration_ids)
        if not wanted:
            return set()
        query = select(_s.c.integration_id).where(
            _s.c.application_id == application_id, _s.c.integration_id.in_(wanted)
        )
        return set(self._connection.execute(query).scalars())

    def profiles_with_sessions(self, profile_ids: Iterable[int]) -> set[int]:
        """Those of the profiles that own at least one session, in any Application."""
        wanted = sorted(set(profile_ids))
        if not wanted:
            return set()
        query = select(_s.c.profile_id).where(_s.c.profile_id.in_(wanted)).distinct()
        return set(self._connection.execute(query).scalars())

    def insert_sessions(self, sessions: Sequence[tuple[CustomerSession, int | None]]) -> dict[str, int]:
        """Insert new sessions with their owners' internal ids; returns their ids by integration id."""
        if not sessions:
            return {}
        result = self._connection.execute(
            insert(_s).returning(_s.c.integration_id, _s.c.id, sort_by_parameter_order=True),
            [session_row(session, profile_pk) for session, profile_pk in sessions],
        )
        return {row.integration_id: row.id for row in result}

    def insert_returns(self, records: Sequence[ReturnRecord]) -> None:
        if records:
            self._connection.execute(
                insert(returns),
                [
                    {
                        "application_id": record.application_id,
                        "session_id": record.session_id,
                        "profile_id": record.profile_id,
                        "profile_integration_id": record.profile_integration_id,
                        "event_id": record.event_id,
                        "returned_cart_items": [
                            {"position": i.position, "quantity": i.quantity, "sku": i.sku}
                            for i in record.items
                        ],
                        "amount": record.amount,
                        "created": record.created,
                    }
                    for record in records
                ],
            )
