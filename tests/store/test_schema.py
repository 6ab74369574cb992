import asyncio
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from sqlalchemy import Connection, Engine, text

from patron.config import Settings
from patron.store import schema
from patron.store.database import open_database
from patron.store.schema import HEAD_REVISION, alembic_head, migrate, sqlalchemy_engine
from patron.store.tables import metadata
from tests.conftest import BACKENDS
from tests.fresh_databases import fresh_database


def stored_revisions(url: str) -> list[str]:
    """`schema.stored_revisions`, read by a Database of its own on an event loop of its own."""

    async def read() -> list[str]:
        database = await open_database(Settings(database_url=url))
        try:
            return await schema.stored_revisions(database)
        finally:
            await database.close()

    return asyncio.run(read())


def bring_up_to_date(url: str) -> None:
    """What `patron serve` and every writing command do first: `schema.bring_up_to_date`."""

    async def bring() -> None:
        database = await open_database(Settings(database_url=url))
        try:
            await schema.bring_up_to_date(database)
        finally:
            await database.close()

    asyncio.run(bring())


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    """A SQLAlchemy engine on the test's migrated database (the tests' own bookkeeping)."""
    engine = sqlalchemy_engine(database_url)
    yield engine
    engine.dispose()


def test_migrations_build_exactly_the_declared_schema(engine: Engine) -> None:
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"include_object": _built_on(engine.dialect.name)}
        )
        differences = compare_metadata(context, metadata)

    assert differences == []


def _built_on(dialect: str) -> Callable[..., bool]:
    """Leave out what the schema builds only on the other database (Index(...).ddl_if)."""

    def include(item: object, name: str | None, kind: str, reflected: bool, compare_to: object) -> bool:
        ddl_if = getattr(item, "_ddl_if", None)
        return ddl_if is None or ddl_if.dialect in (None, dialect)

    return include


def test_upgrading_a_current_database_changes_nothing(database_url: str) -> None:
    migrate(database_url)

    assert stored_revisions(database_url) == [HEAD_REVISION]


def test_the_head_revision_constant_names_the_newest_migration() -> None:
    # A new migration must update HEAD_REVISION, or databases at the old head would be taken
    # for current and never migrated.
    assert alembic_head() == HEAD_REVISION


def test_a_database_at_head_is_checked_without_loading_alembic_or_sqlalchemy(database_url: str) -> None:
    code = (
        "import asyncio, sys\n"
        "from patron.config import Settings\n"
        "from patron.store.database import open_database\n"
        "from patron.store.schema import bring_up_to_date\n"
        "async def main():\n"
        "    database = await open_database(Settings(database_url=sys.argv[1]))\n"
        "    await bring_up_to_date(database)\n"
        "    await database.close()\n"
        "asyncio.run(main())\n"
        "print(sorted(name for name in sys.modules if name.partition('.')[0] in ('alembic', 'sqlalchemy')))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, database_url], capture_output=True, text=True, timeout=60, check=False
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


@pytest.fixture(params=BACKENDS)
def fresh_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    with fresh_database(request.param, tmp_path) as url:
        yield url


def test_a_new_database_is_migrated_to_head(fresh_url: str) -> None:
    assert stored_revisions(fresh_url) == []

    bring_up_to_date(fresh_url)

    assert stored_revisions(fresh_url) == [HEAD_REVISION]


def test_a_database_one_migration_behind_is_brought_to_head(fresh_url: str) -> None:
    migrate(fresh_url)
    _alembic(fresh_url, lambda config: command.downgrade(config, "-1"))
    assert stored_revisions(fresh_url) not in ([], [HEAD_REVISION])

    bring_up_to_date(fresh_url)

    assert stored_revisions(fresh_url) == [HEAD_REVISION]


def _alembic(url: str, run: Callable[[Config], None]) -> None:
    config = schema._config()
    engine = sqlalchemy_engine(url)
    try:
        with engine.connect() as connection:
            config.attributes["connection"] = connection
            run(config)
            connection.commit()
    finally:
        engine.dispose()


@pytest.fixture
def fresh_postgres(tmp_path: Path) -> Iterator[tuple[str, Engine]]:
    """A new PostgreSQL database's URL, and an engine on it for the tests' own statements."""
    with fresh_database("postgresql", tmp_path) as url:
        engine = sqlalchemy_engine(url)
        yield url, engine
        engine.dispose()


def test_on_postgresql_a_migration_waits_for_the_migration_lock(fresh_postgres: tuple[str, Engine]) -> None:
    url, engine = fresh_postgres
    failures: list[BaseException] = []
    with engine.connect() as holder:
        _advisory(holder, "pg_advisory_lock")
        migrator = threading.Thread(target=_collect_failure(lambda: bring_up_to_date(url), failures))
        migrator.start()
        _wait_until(lambda: _waiting_for_migration_lock(holder) or not migrator.is_alive())
        migrated_meanwhile = stored_revisions(url)
        _advisory(holder, "pg_advisory_unlock")
        migrator.join(timeout=120)

    assert migrated_meanwhile == []
    assert not migrator.is_alive()
    assert failures == []
    assert stored_revisions(url) == [HEAD_REVISION]


def test_on_postgresql_a_database_at_head_needs_no_migration_lock(fresh_postgres: tuple[str, Engine]) -> None:
    url, engine = fresh_postgres
    migrate(url)
    failures: list[BaseException] = []
    with engine.connect() as holder:
        _advisory(holder, "pg_advisory_lock")
        checker = threading.Thread(target=_collect_failure(lambda: bring_up_to_date(url), failures))
        checker.start()
        checker.join(timeout=60)
        finished_while_locked = not checker.is_alive()
        _advisory(holder, "pg_advisory_unlock")
        checker.join(timeout=60)

    assert finished_while_locked
    assert failures == []


def _advisory(connection: Connection, function: str) -> None:
    connection.execute(text(f"SELECT {function}(:id)"), {"id": schema._MIGRATION_LOCK_ID})
    connection.commit()


def _waiting_for_migration_lock(connection: Connection) -> bool:
    """Whether another session waits for the migration lock (pg_locks splits its 64-bit key)."""
    key = schema._MIGRATION_LOCK_ID
    waiting = connection.execute(
        text(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
            " AND classid = CAST(:high AS oid) AND objid = CAST(:low AS oid)"
        ),
        {"high": key >> 32, "low": key & 0xFFFF_FFFF},
    ).scalar_one()
    connection.commit()
    return bool(waiting)


def _collect_failure(run: Callable[[], None], failures: list[BaseException]) -> Callable[[], None]:
    def target() -> None:
        try:
            run()
        except BaseException as exc:
            failures.append(exc)

    return target


def _wait_until(condition: Callable[[], bool]) -> None:
    deadline = time.monotonic() + 60
    while not condition():
        assert time.monotonic() < deadline, "gave up waiting"
        time.sleep(0.01)
