"""Fixtures shared by every test: one database per backend, fresh for each test.

Storage tests run on SQLite always, and on PostgreSQL when PATRON_TEST_POSTGRES_URL names a
database the tests may create other databases from (trust auth is enough).
"""

import asyncio
import os
import shutil
import uuid
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import TypeVar

import psycopg
import pytest

from patron.config import Settings
from patron.store import schema
from patron.store.database import open_database
from patron.store.tables import metadata
from tests.factories import Store

POSTGRES_URL = os.environ.get("PATRON_TEST_POSTGRES_URL")
BACKENDS = ["sqlite", "postgresql"]
T = TypeVar("T")


def _admin(url: str) -> psycopg.Connection[tuple[object, ...]]:
    return psycopg.connect(url, autocommit=True)


def with_database(url: str, name: str) -> str:
    """`url` with its database path replaced by `name`."""
    base, _, _ = url.rpartition("/")
    return f"{base}/{name}"


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file, copied for each test (cheaper than migrating each time)."""
    path = tmp_path_factory.mktemp("template") / "patron.db"
    schema.migrate(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str]:
    """A fresh, migrated PostgreSQL database for this test run, dropped at the end."""
    if not POSTGRES_URL:
        if os.environ.get("PATRON_TEST_REQUIRE_POSTGRES"):
            pytest.fail("PATRON_TEST_REQUIRE_POSTGRES is set but PATRON_TEST_POSTGRES_URL is not")
        pytest.skip("PATRON_TEST_POSTGRES_URL is not set")
    name = f"patron_test_{uuid.uuid4().hex[:12]}"
    with _admin(POSTGRES_URL) as admin:
        admin.execute(f'CREATE DATABASE "{name}"'.encode())
    url = with_database(POSTGRES_URL, name)
    schema.migrate(url)
    yield url
    with _admin(POSTGRES_URL) as admin:
        admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)'.encode())


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The URL of an empty, migrated database: SQLite or PostgreSQL."""
    if request.param == "sqlite":
        path = tmp_path / "patron.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    url: str = request.getfixturevalue("postgres_database")
    _empty_postgres(url)
    return url


def _empty_postgres(url: str) -> None:
    tables = ", ".join(f'"{table.name}"' for table in metadata.sorted_tables)
    with _admin(url) as connection:
        connection.execute(f"TRUNCATE {tables} RESTART IDENTITY CASCADE".encode())


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(database_url=database_url, lock_timeout_seconds=5)


async def _awaited(work: Callable[[], Awaitable[T]]) -> T:
    return await work()


@pytest.fixture
def store(settings: Settings) -> Iterator[Store]:
    """The test's database, opened on an event loop of the test's own (for tests without a server)."""
    with asyncio.Runner() as runner:
        database = runner.run(open_database(settings))
        try:
            yield Store(lambda work: runner.run(_awaited(work)), database)
        finally:
            runner.run(database.close())
