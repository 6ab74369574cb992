"""`Database.transaction`: what a block's end commits, what a read-only one may do, and contention.

"Another process" is a Database of its own (its own connections and its own `Known`), running on
an event loop in a thread of its own, so that it can hold a transaction open while the test goes on.
"""

import asyncio
import sqlite3
import threading
from collections.abc import Awaitable, Callable, Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from dataclasses import replace
from typing import Any, TypeVar

import asyncpg
import pytest

from patron.config import Settings
from patron.domain.tenancy import Account
from patron.errors import ConcurrentUpdateError
from patron.services import tenancy
from patron.store import locks
from patron.store.database import Database, Transaction, open_database
from tests.factories import NOW, Store

T = TypeVar("T")
LOCK = locks.profile(1, True, "p1")
# Errors the database itself raises when a read-only transaction tries to write.
READ_ONLY_REFUSALS = (sqlite3.Error, asyncpg.PostgresError)


class OtherProcess:
    def __init__(self, loop: asyncio.AbstractEventLoop, database: Database) -> None:
        self.loop = loop
        self.database = database
        self.store = Store(lambda work: self.submit(work).result(timeout=30), database)

    def submit(self, work: Callable[[], Awaitable[T]]) -> "Future[T]":
        async def call() -> T:
            return await work()

        return asyncio.run_coroutine_threadsafe(call(), self.loop)


@contextmanager
def other_process(settings: Settings) -> Iterator[OtherProcess]:
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    try:
        database = asyncio.run_coroutine_threadsafe(open_database(settings), loop).result(timeout=30)
        try:
            yield OtherProcess(loop, database)
        finally:
            asyncio.run_coroutine_threadsafe(database.close(), loop).result(timeout=30)
    finally:
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=30)
        loop.close()


def account_names(store: Store) -> list[str]:
    async def names(tx: Transaction) -> list[str]:
        return [row[0] for row in await tx.all("SELECT name FROM accounts ORDER BY id")]

    return store.read(names)


async def add_account(tx: Transaction, name: str) -> Account:
    return await tx.accounts.add(Account(id=0, name=name, created=NOW))


async def lock_and_add(database: Database, name: str, *, subject: str = "resource") -> None:
    async with database.transaction(write=True, subject=subject) as tx:
        await tx.lock(LOCK)
        await add_account(tx, name)


def test_a_normal_exit_commits_for_every_process_to_see(store: Store, settings: Settings) -> None:
    store.write(lambda tx: add_account(tx, "first"))

    with other_process(settings) as other:
        assert account_names(other.store) == ["first"]


def test_nothing_is_written_without_a_normal_exit(store: Store, settings: Settings) -> None:
    async def add_then_fail(tx: Transaction) -> None:
        await add_account(tx, "ghost")
        raise RuntimeError("the use case failed")

    with pytest.raises(RuntimeError, match="the use case failed"):
        store.write(add_then_fail)

    assert store.read(tenancy.is_empty)
    with other_process(settings) as other:
        assert other.store.read(tenancy.is_empty)


def test_a_read_only_transaction_cannot_write(store: Store) -> None:
    async def write_anyway(tx: Transaction) -> None:
        assert tx.read_only
        await add_account(tx, "ghost")

    with pytest.raises(READ_ONLY_REFUSALS):
        store.read(write_anyway)

    assert store.read(tenancy.is_empty)
    store.write(lambda tx: add_account(tx, "after"))  # the connection went back to the pool fit to write
    assert account_names(store) == ["after"]


@contextmanager
def holding_the_lock(holder: OtherProcess, name: str) -> Iterator[None]:
    """While the block runs, `holder` is inside a write transaction that took LOCK and wrote `name`."""
    ready, release = threading.Event(), threading.Event()

    async def hold() -> None:
        async with holder.database.transaction(write=True) as tx:
            await tx.lock(LOCK)
            await add_account(tx, name)
            ready.set()
            await asyncio.to_thread(release.wait, 30)

    held = holder.submit(hold)
    try:
        assert ready.wait(30), held.exception(timeout=0) if held.done() else "the holder never got in"
        yield
    finally:
        release.set()
        held.result(timeout=30)


def test_a_writer_waiting_past_the_lock_timeout_is_a_conflict_naming_its_subject(settings: Settings) -> None:
    """SQLite: the other process holds the database's write lock; PostgreSQL: the advisory lock."""
    with other_process(settings) as holder, asyncio.Runner() as runner:
        waiter = runner.run(open_database(replace(settings, lock_timeout_seconds=0.2)))
        try:
            with holding_the_lock(holder, "first"), pytest.raises(ConcurrentUpdateError) as refused:
                runner.run(lock_and_add(waiter, "never", subject="profile"))

            assert refused.value.message == "Too many requests are updating this profile at the same time"
            # The holder is done: the next writer gets its turn.
            runner.run(lock_and_add(waiter, "second", subject="profile"))
        finally:
            runner.run(waiter.close())

    with other_process(settings) as other:
        assert account_names(other.store) == ["first", "second"]


def test_a_failed_write_leaves_no_lock_behind(store: Store, settings: Settings) -> None:
    async def lock_then_fail(tx: Transaction) -> None:
        await tx.lock(LOCK)
        await add_account(tx, "ghost")
        raise RuntimeError("the use case failed")

    with pytest.raises(RuntimeError):
        store.write(lock_then_fail)

    # Another process, which waits no longer than 0.2 s, gets in at once.
    with other_process(replace(settings, lock_timeout_seconds=0.2)) as other:
        other.submit(lambda: lock_and_add(other.database, "next")).result(timeout=30)
        assert account_names(other.store) == ["next"]


def test_a_read_only_transaction_waits_for_no_writer(store: Store, settings: Settings) -> None:
    async def look(tx: Transaction) -> list[Any]:
        await tx.lock(LOCK)  # takes nothing in a read-only transaction
        return list(await tx.all("SELECT name FROM accounts"))

    with other_process(settings) as holder, holding_the_lock(holder, "uncommitted"):
        seen = store.read(look)

    assert seen == []  # nor does it see what the writer has not committed
    assert account_names(store) == ["uncommitted"]
