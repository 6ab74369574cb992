"""Bring a database's schema up to date with the Alembic migrations shipped in the package.

A database already at `HEAD_REVISION` costs one SELECT on patron's own connection and loads
neither SQLAlchemy nor Alembic; only one that is behind, new, or unknown is migrated, by Alembic
over a SQLAlchemy connection of its own (on a worker thread when the server starts).
"""

import asyncio
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from patron.store.database import Database

if TYPE_CHECKING:
    from alembic.config import Config
    from sqlalchemy import Engine

# The newest migration in migrations/versions/. A new migration must update it:
# tests/store/test_schema.py checks it against Alembic's own view of the scripts.
HEAD_REVISION: Final = "0006"

_MIGRATIONS = Path(__file__).parent / "migrations"
# Any fixed number: serialises `patron migrate` across processes and hosts on PostgreSQL.
_MIGRATION_LOCK_ID = 0x7061_7472_6F6E


async def bring_up_to_date(database: Database) -> None:
    """Apply every migration the database lacks; at `HEAD_REVISION` already, only look."""
    if await stored_revisions(database) == [HEAD_REVISION]:
        return
    shared = getattr(database, "memory_connection", None)
    await asyncio.to_thread(migrate, database.settings.database_url, shared)


async def stored_revisions(database: Database) -> list[str]:
    """The revisions Alembic recorded in the database: none for a database never migrated."""
    try:
        async with database.transaction(write=False) as tx:
            return [str(row[0]) for row in await tx.all("SELECT version_num FROM alembic_version")]
    except Exception as error:
        if _no_table(error):
            return []
        raise


def _no_table(error: Exception) -> bool:
    text = str(error)
    return "no such table" in text or "does not exist" in text


def migrate(url: str, shared: sqlite3.Connection | None = None) -> None:
    """Run Alembic's upgrade to head on the database at `url` (`shared`: an in-memory one's connection)."""
    engine = sqlalchemy_engine(url, shared)
    row_factory = None if shared is None else shared.row_factory
    if shared is not None:
        shared.row_factory = None  # SQLAlchemy reads plain tuples
    try:
        upgrade(engine)
    finally:
        if shared is None:
            engine.dispose()
        else:
            shared.row_factory = row_factory  # and left open: the database goes on using it


def sqlalchemy_engine(url: str, shared: sqlite3.Connection | None = None) -> "Engine":
    """A SQLAlchemy engine for migrations and the tests' own bookkeeping (never on a request path)."""
    from sqlalchemy import create_engine, event
    from sqlalchemy.engine import make_url
    from sqlalchemy.pool import StaticPool

    parsed = make_url(url)
    if parsed.get_backend_name() == "postgresql":
        return create_engine(parsed.set(drivername="postgresql+psycopg"))
    if shared is not None:
        engine = create_engine("sqlite://", creator=lambda: shared, poolclass=StaticPool)
    else:
        engine = create_engine(parsed, connect_args={"timeout": 30})

    # SQLAlchemy's recipe for SQLite transactions it controls: the driver begins none itself, and
    # each takes the write lock up front, so two migrators take turns.
    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None

    @event.listens_for(engine, "begin")
    def _begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def upgrade(engine: "Engine") -> None:
    """Apply every migration the database lacks, holding the migration lock."""
    from alembic import command
    from sqlalchemy import text

    config = _config()
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        # One migrator at a time: SQLite's write lock (BEGIN IMMEDIATE), or an advisory lock.
        if not sqlite:
            connection.execute(text("SELECT pg_advisory_lock(:id)"), {"id": _MIGRATION_LOCK_ID})
            connection.commit()
        try:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
            connection.commit()
        finally:
            if not sqlite:
                connection.execute(text("SELECT pg_advisory_unlock(:id)"), {"id": _MIGRATION_LOCK_ID})
                connection.commit()


def _config() -> "Config":
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS))
    return config


def alembic_head() -> str | None:
    """The head revision as Alembic reads it from the migration scripts (loads Alembic)."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_config()).get_current_head()
