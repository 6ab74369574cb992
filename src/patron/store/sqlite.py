"""SQLite through the sqlite3 module, on the event loop.

A transaction's statements run on the event loop: none of them waits inside one process (WAL
readers never wait, and a writer's statements run without a pause between them), so the loop
itself serialises the process's writers. Only a write lock held by another process makes a
writer wait: BEGIN IMMEDIATE then fails at once (the busy timeout is 0), and the writer tries
again after a pause of 0.5 to 4 ms, serving other requests meanwhile, for at most
PATRON_LOCK_TIMEOUT_SECONDS.

Group commit: the write transactions that run in one turn of the event loop share one SQLite
transaction, each in a SAVEPOINT of its own (released when it ends normally, rolled back to
when it fails), and one COMMIT makes them all durable at the start of the next turn. Each
waits for that COMMIT before it returns, so no answer goes out for a write that is not
committed, and a crash loses only writes nobody was told about. Every write is still applied
whole or not at all, in the order it ran; the writes of one group see each other's changes as
they would one after another. What it saves is the COMMIT's work, writing every changed page to
the write-ahead log once per group instead of once per write (BENCHMARKS.md).

Checkpoints, which copy the write-ahead log into the database and fsync, run on a thread of
their own rather than inside some request's COMMIT (`PRAGMA wal_autocheckpoint=0` on the
request connections). Durability is PATRON_SQLITE_SYNCHRONOUS's either way.

Values: times are SQLAlchemy's DATETIME text in UTC (`2026-01-02 03:04:05.678000`), money is
decimal text (SQLite's NUMERIC is a binary float), JSON is text with exact decimals, booleans
are 0 and 1: the layout the Alembic migrations made.
"""

import asyncio
import sqlite3
import threading
from collections.abc import AsyncGenerator, AsyncIterator, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, Final

from patron.config import Settings
from patron.store import _json
from patron.store.database import Database, Known, Row, Transaction

_LOCKED: Final = ("database is locked", "database table is locked", "database is busy")
# A writer that finds another process's write lock tries again after these pauses, doubling.
_FIRST_PAUSE_SECONDS: Final = 0.0005
_LONGEST_PAUSE_SECONDS: Final = 0.004
# How often the checkpointer looks for committed pages to copy into the database.
_CHECKPOINT_INTERVAL_SECONDS: Final = 0.5


def is_contention(error: sqlite3.Error) -> bool:
    return isinstance(error, sqlite3.OperationalError) and str(error).startswith(_LOCKED)


class SqliteTransaction(Transaction):
    dialect = "sqlite"

    def __init__(self, connection: sqlite3.Connection, *, read_only: bool, known: Known) -> None:
        super().__init__(read_only=read_only, known=known)
        self._connection = connection

    async def one(self, sql: str, *args: Any) -> Row | None:
        row: Row | None = self._connection.execute(sql, args).fetchone()
        return row

    async def all(self, sql: str, *args: Any) -> list[Row]:
        rows: list[Row] = self._connection.execute(sql, args).fetchall()
        return rows

    async def run(self, sql: str, *args: Any) -> int:
        return self._connection.execute(sql, args).rowcount

    async def run_many(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        if rows:
            self._connection.executemany(sql, rows)

    async def stream(self, sql: str, *args: Any, batch: int = 1000) -> AsyncGenerator[Row, None]:
        cursor = self._connection.execute(sql, args)
        try:
            while rows := cursor.fetchmany(batch):
                for row in rows:
                    yield row
        finally:
            cursor.close()

    async def lock(self, *names: str) -> None:
        # Nothing to take: a write transaction holds the database's write lock from BEGIN IMMEDIATE.
        return None

    def time(self, value: datetime | None) -> Any:
        if value is None:
            return None
        if value.tzinfo is not UTC:
            value = value.astimezone(UTC)
        return value.replace(tzinfo=None).isoformat(" ", "microseconds")

    def read_time(self, value: Any) -> datetime:
        return datetime.fromisoformat(value).replace(tzinfo=UTC)

    def money(self, value: Decimal) -> Any:
        return str(value)

    def json(self, value: Any) -> Any:
        return _json.dumps(value)

    def read_json(self, value: Any) -> Any:
        return _json.loads(value)


class _Group:
    """Write transactions that commit together (see the module's docstring)."""

    def __init__(self, connection: sqlite3.Connection, loop: asyncio.AbstractEventLoop) -> None:
        self.connection = connection
        self.begun: asyncio.Future[None] = loop.create_future()
        self.committed: asyncio.Future[None] = loop.create_future()
        self.turn = asyncio.Lock()
        self.open = True  # writers may still join


class SqliteDatabase(Database):
    dialect = "sqlite"

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.known = Known()
        path = settings.database_url.split(":", 1)[1].removeprefix("///")
        # "sqlite://" and "sqlite:///:memory:" are one private in-memory database: one connection.
        self._memory = path in ("", ":memory:", "//")
        self._path = ":memory:" if self._memory else path
        # Connections by kind: readers refuse writes (PRAGMA query_only), as PostgreSQL's
        # read-only transactions do; the in-memory database has one connection for both.
        self._idle: dict[bool, list[sqlite3.Connection]] = {True: [], False: []}
        self._lock_timeout = settings.lock_timeout_seconds
        self._group: _Group | None = None
        self._committing: asyncio.Future[sqlite3.Error | None] | None = None
        self._commits = 0
        self._closing = threading.Event()
        self._checkpointer: threading.Thread | None = None
        # The in-memory database's only connection, for migrations (`store/schema.py`).
        self.memory_connection: sqlite3.Connection | None = None
        if self._memory:
            self.memory_connection = self._connect(write=True)
            self._idle[True].append(self.memory_connection)
        else:
            self._checkpointer = threading.Thread(
                target=self._checkpoint_while_open, name="patron-sqlite-checkpoints", daemon=True
            )
            self._checkpointer.start()

    @asynccontextmanager
    async def transaction(self, *, write: bool, subject: str = "resource") -> AsyncIterator[Transaction]:
        if write and not self._memory:
            async with self._grouped_write(subject) as tx:
                yield tx
            return
        connection = self._take(write=write)
        try:
            await self._begin(connection, write=write, subject=subject)
            try:
                yield SqliteTransaction(connection, read_only=not write, known=self.known)
            except BaseException:
                connection.rollback()
                raise
            if write:
                self._commit(connection)
            else:
                connection.rollback()
        except sqlite3.Error as error:
            if connection.in_transaction:
                connection.rollback()
            if is_contention(error):
                raise self.contention(subject) from error
            raise
        finally:
            self._give_back(connection, write=write)

    @asynccontextmanager
    async def _grouped_write(self, subject: str) -> AsyncIterator[Transaction]:
        group = await self._group_to_join(subject)
        connection = group.connection
        # Writers of one group take turns: none pauses inside its turn on SQLite, so none waits here.
        async with group.turn:
            # One name for every writer's savepoint (they never nest): a new name per writer would
            # be a new statement each time, and push the prepared ones out of sqlite3's cache.
            connection.execute("SAVEPOINT patron_write")
            try:
                yield SqliteTransaction(connection, read_only=False, known=self.known)
            except BaseException:
                connection.execute("ROLLBACK TO patron_write")
                connection.execute("RELEASE patron_write")
                raise
            connection.execute("RELEASE patron_write")
        # The answer goes out once the write is durable; a writer cancelled meanwhile leaves the
        # group's COMMIT to the others.
        await asyncio.shield(group.committed)

    async def _group_to_join(self, subject: str) -> "_Group":
        """The group open in this turn of the loop, or a new one holding the write lock."""
        group = self._group
        if group is not None and group.open:
            await group.begun
            return group
        if self._committing is not None and not self._committing.done():
            # The group before is still committing (on a thread): its write lock is not free.
            await asyncio.shield(self._committing)
            return await self._group_to_join(subject)
        loop = asyncio.get_running_loop()
        group = self._group = _Group(self._take(write=True), loop)
        try:
            await self._begin(group.connection, write=True, subject=subject)
        except BaseException as error:
            group.open = False
            self._give_back(group.connection, write=True)
            refusal = (
                self.contention(subject)
                if isinstance(error, sqlite3.Error) and is_contention(error)
                else error
            )
            group.begun.set_exception(refusal)
            group.begun.exception()  # retrieved: writers waiting for it get it raised
            group.committed.cancel()
            if refusal is error:
                raise
            raise refusal from error
        group.begun.set_result(None)
        # Writers whose turn of the loop comes before this callback join the group.
        loop.call_soon(self._commit_group, group)
        return group

    def _commit_group(self, group: "_Group") -> None:
        loop = asyncio.get_running_loop()
        if group.turn.locked():
            # A writer paused inside its turn (not patron's code, whose writers never pause).
            loop.call_soon(self._commit_group, group)
            return
        group.open = False
        if self.settings.sqlite_synchronous == "NORMAL":
            # No fsync at COMMIT in WAL mode: quicker here than a hop to a thread and back.
            self._finish(group, self._committed(group.connection))
            return
        # FULL: COMMIT waits for the disk. It does so on a thread, while the loop serves the
        # requests that need no write lock; the next group waits for this one (`_committing`).
        committing = loop.run_in_executor(None, self._committed, group.connection)
        self._committing = committing
        committing.add_done_callback(lambda done: self._finish(group, done.result()))

    def _committed(self, connection: sqlite3.Connection) -> sqlite3.Error | None:
        """COMMIT, and the error that stopped it (it is rolled back then), if any."""
        try:
            self._commit(connection)
        except sqlite3.Error as error:
            connection.rollback()
            return error
        return None

    def _finish(self, group: "_Group", error: sqlite3.Error | None) -> None:
        self._give_back(group.connection, write=True)
        if error is None:
            group.committed.set_result(None)
        else:
            group.committed.set_exception(error)

    async def close(self) -> None:
        self._closing.set()
        if self._checkpointer is not None:
            self._checkpointer.join()
        for connections in self._idle.values():
            for connection in connections:
                connection.close()
            connections.clear()

    def _connect(self, *, write: bool) -> sqlite3.Connection:
        connection = sqlite3.connect(
            self._path, timeout=0, isolation_level=None, check_same_thread=False, cached_statements=256
        )
        connection.row_factory = sqlite3.Row
        if not self._memory:
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA wal_autocheckpoint=0")
            if not write:
                connection.execute("PRAGMA query_only=ON")
        connection.execute(f"PRAGMA synchronous={self.settings.sqlite_synchronous}")
        connection.execute("PRAGMA foreign_keys=ON")
        # A savepoint keeps the pages it changes in a sub-journal: in memory, not in a temp file.
        connection.execute("PRAGMA temp_store=MEMORY")
        return connection

    def _take(self, *, write: bool) -> sqlite3.Connection:
        if self._memory:
            if not self._idle[True]:
                raise RuntimeError("the in-memory database has one connection, and it is in use")
            connection = self._idle[True].pop()
            if not write:
                connection.execute("PRAGMA query_only=ON")
            return connection
        idle = self._idle[write]
        return idle.pop() if idle else self._connect(write=write)

    def _give_back(self, connection: sqlite3.Connection, *, write: bool) -> None:
        if self._memory:
            if not write:
                connection.execute("PRAGMA query_only=OFF")  # migrations share it
            self._idle[True].append(connection)
            return
        idle = self._idle[write]
        if len(idle) < self.settings.pool_size:
            idle.append(connection)
        else:
            connection.close()

    async def _begin(self, connection: sqlite3.Connection, *, write: bool, subject: str) -> None:
        if not write:
            connection.execute("BEGIN")
            return
        deadline = asyncio.get_running_loop().time() + self._lock_timeout
        pause = _FIRST_PAUSE_SECONDS
        while True:
            try:
                connection.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as error:
                if not is_contention(error) or asyncio.get_running_loop().time() + pause > deadline:
                    raise
            # Another process writes: try again shortly, the event loop serving others meanwhile.
            # (SQLite's own busy handler would sleep up to 100 ms between tries, on the loop.)
            await asyncio.sleep(pause)
            pause = min(2 * pause, _LONGEST_PAUSE_SECONDS)

    def _commit(self, connection: sqlite3.Connection) -> None:
        connection.commit()
        self._commits += 1

    def _checkpoint_while_open(self) -> None:
        connection: sqlite3.Connection | None = None
        done = 0
        try:
            while not self._closing.wait(_CHECKPOINT_INTERVAL_SECONDS):
                if self._commits == done:
                    continue
                done = self._commits
                if connection is None:
                    connection = sqlite3.connect(self._path, timeout=0, isolation_level=None)
                    connection.execute(f"PRAGMA synchronous={self.settings.sqlite_synchronous}")
                try:
                    # PASSIVE never waits for readers or writers; what it cannot copy now waits a turn.
                    connection.execute("PRAGMA wal_checkpoint(PASSIVE)")
                except sqlite3.Error:
                    done = -1  # try again next turn
        finally:
            if connection is not None:
                connection.close()
