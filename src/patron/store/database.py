"""The database, and its transactions: statements as text with bind parameters, on the DB-API connection.

    database = await open_database(settings)
    async with database.transaction(write=True, subject="session") as tx:
        session = await tx.sessions.get(application_id, integration_id)
        ...                       # leaving the block commits; an exception rolls back

Two backends share this interface: `store/sqlite.py` (the sqlite3 module, on the event loop) and
`store/postgres.py` (asyncpg). A transaction opened with `write=True` serialises with the other
writers of what it changes: on SQLite it holds the database's write lock from BEGIN on; on
PostgreSQL it takes advisory locks (`Transaction.lock`, names from `store/locks.py`). A wait past
PATRON_LOCK_TIMEOUT_SECONDS raises `ConcurrentUpdateError`, whose message names `subject` ("this
session", "this profile"). A transaction opened with `write=False` only reads (a dry request is
one): it takes no locks, and its repositories' writes are refused by the database.

SQL is written once, with `?` placeholders; what SQLite and PostgreSQL spell differently is in
`store/_dialect.py`, and how each stores times, money, booleans and JSON is the transaction's
business (`time`, `money`, `json` and their `read_` counterparts).
"""

import importlib
from collections.abc import AsyncGenerator, Sequence
from contextlib import AbstractAsyncContextManager
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar, overload

from patron.config import Settings
from patron.domain.tenancy import AccountScope, ApplicationScope
from patron.errors import ConcurrentUpdateError

if TYPE_CHECKING:
    from patron.store.admission import AdmissionRepository
    from patron.store.attributes import AccountDefinitions, AttributeRepository
    from patron.store.audiences import AudienceRepository, MembershipQueries
    from patron.store.audit import AuditQueries
    from patron.store.events import EventRepository
    from patron.store.idempotency import IdempotencyRepository
    from patron.store.profiles import ProfileRepository
    from patron.store.returns import ReturnRepository
    from patron.store.sessions import SessionRepository
    from patron.store.tenancy import AccountRepository, ApplicationRepository, KeyRepository
    from patron.store.transfer import TransferQueries


class Row(Protocol):
    """A result row: by column name or position (sqlite3.Row, asyncpg.Record)."""

    def __getitem__(self, key: str | int) -> Any: ...


class Known:
    """What this process has learnt of its database that cannot change while it runs, so every
    process still answers from the database alone (ARCHITECTURE.md):

    - the scope of each key found: keys are never changed or revoked, and an Application never
      moves to another account or environment (`services/tenancy.py`);
    - an account's attribute definitions: a definition is never changed, and none is removed
      but with its account; an attribute unknown to them sends the check back to the database
      (`services/attributes.py`).
    """

    def __init__(self) -> None:
        self.integration_keys: dict[str, ApplicationScope] = {}
        self.management_keys: dict[str, AccountScope] = {}
        self.definitions: dict[int, AccountDefinitions] = {}


R = TypeVar("R")


class _Repository(Generic[R]):
    """A transaction's repository, made on first use and then kept in the transaction's __dict__.

    (functools.cached_property would do, but takes a lock on every first use in Python 3.11.)
    """

    def __init__(self, module: str, name: str) -> None:
        self._module, self._class = f"patron.store.{module}", name
        self._made: Any = None

    def __set_name__(self, owner: type, attribute: str) -> None:
        self._attribute = attribute

    @overload
    def __get__(self, tx: None, owner: type) -> "_Repository[R]": ...

    @overload
    def __get__(self, tx: "Transaction", owner: type) -> R: ...

    def __get__(self, tx: "Transaction | None", owner: type) -> "R | _Repository[R]":
        if tx is None:
            return self
        if self._made is None:
            # Imported when first used: the repositories' modules import this one.
            self._made = getattr(importlib.import_module(self._module), self._class)
        repository: R = self._made(tx)
        tx.__dict__[self._attribute] = repository
        return repository


class Transaction:
    """One transaction on one connection. Subclasses run the statements; repositories read and write."""

    dialect: str  # "sqlite" or "postgresql"

    def __init__(self, *, read_only: bool, known: Known) -> None:
        # A read-only transaction is a dry evaluation or a read: use cases that find one store nothing.
        self.read_only = read_only
        self.known = known

    # --- statements -------------------------------------------------------------------------

    async def one(self, sql: str, *args: Any) -> Row | None:
        """The first row, or None."""
        raise NotImplementedError

    async def all(self, sql: str, *args: Any) -> list[Row]:
        raise NotImplementedError

    async def value(self, sql: str, *args: Any) -> Any:
        """The first column of the first row (the statement must return one)."""
        row = await self.one(sql, *args)
        assert row is not None, sql
        return row[0]

    async def run(self, sql: str, *args: Any) -> int:
        """Run a statement; the number of rows it changed."""
        raise NotImplementedError

    async def run_many(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        """Run one statement once per row of parameters."""
        raise NotImplementedError

    def stream(self, sql: str, *args: Any, batch: int = 1000) -> AsyncGenerator[Row, None]:
        """Every row, fetched `batch` at a time: memory stays flat however many there are."""
        raise NotImplementedError

    async def lock(self, *names: str) -> None:
        """Wait until no other write transaction holds any of these names; hold them until the end.

        Names come from `store/locks.py`. A read-only transaction takes none. Callers lock a
        session before its profile, never after; several names are taken in one sorted order.
        """
        raise NotImplementedError

    # --- values as each database keeps them -------------------------------------------------

    def time(self, value: datetime | None) -> Any:
        raise NotImplementedError

    def read_time(self, value: Any) -> datetime:
        raise NotImplementedError

    def read_optional_time(self, value: Any) -> datetime | None:
        return None if value is None else self.read_time(value)

    def money(self, value: Decimal) -> Any:
        raise NotImplementedError

    def read_money(self, value: Any) -> Decimal:
        return value if isinstance(value, Decimal) else Decimal(value)

    def json(self, value: Any) -> Any:
        raise NotImplementedError

    def read_json(self, value: Any) -> Any:
        raise NotImplementedError

    # --- repositories (made on first use, one per transaction) ---------------------------------

    accounts: "_Repository[AccountRepository]" = _Repository("tenancy", "AccountRepository")
    applications: "_Repository[ApplicationRepository]" = _Repository("tenancy", "ApplicationRepository")
    keys: "_Repository[KeyRepository]" = _Repository("tenancy", "KeyRepository")
    profiles: "_Repository[ProfileRepository]" = _Repository("profiles", "ProfileRepository")
    sessions: "_Repository[SessionRepository]" = _Repository("sessions", "SessionRepository")
    events: "_Repository[EventRepository]" = _Repository("events", "EventRepository")
    returns: "_Repository[ReturnRepository]" = _Repository("returns", "ReturnRepository")
    idempotency: "_Repository[IdempotencyRepository]" = _Repository("idempotency", "IdempotencyRepository")
    audiences: "_Repository[AudienceRepository]" = _Repository("audiences", "AudienceRepository")
    memberships: "_Repository[MembershipQueries]" = _Repository("audiences", "MembershipQueries")
    attributes: "_Repository[AttributeRepository]" = _Repository("attributes", "AttributeRepository")
    admission: "_Repository[AdmissionRepository]" = _Repository("admission", "AdmissionRepository")
    audit: "_Repository[AuditQueries]" = _Repository("audit", "AuditQueries")
    transfer: "_Repository[TransferQueries]" = _Repository("transfer", "TransferQueries")


class Database:
    """Where the data lives; opened once per process (`open_database`), closed at shutdown."""

    dialect: str
    settings: Settings
    known: Known

    def transaction(
        self, *, write: bool, subject: str = "resource"
    ) -> AbstractAsyncContextManager[Transaction]:
        """A transaction that commits when its block ends normally and rolls back otherwise."""
        raise NotImplementedError

    async def close(self) -> None:
        raise NotImplementedError

    def contention(self, subject: str) -> ConcurrentUpdateError:
        # Talon.One's own words for a write that found its session or profile busy (SEMANTICS 2.5).
        return ConcurrentUpdateError(f"Too many requests are updating this {subject} at the same time")


async def open_database(settings: Settings) -> Database:
    """The database PATRON_DATABASE_URL names: `sqlite:///path` or `postgresql://...`."""
    url = settings.database_url
    if url.startswith("sqlite:"):
        from patron.store.sqlite import SqliteDatabase

        return SqliteDatabase(settings)
    if url.startswith(("postgresql:", "postgres:")):
        from patron.store.postgres import PostgresDatabase

        return await PostgresDatabase.open(settings)
    raise ValueError(f"unsupported database URL {url!r}: use sqlite:/// or postgresql://")
