"""Bring a database's schema up to date with the Alembic migrations shipped in the package."""

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, text

from patron.store._dialect import is_sqlite
from patron.store.engine import WRITE_INTENT

_MIGRATIONS = Path(__file__).parent / "migrations"
# Any fixed number: serialises `patron migrate` across processes and hosts on PostgreSQL.
_MIGRATION_LOCK_ID = 0x7061_7472_6F6E


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS))
    return config


def upgrade(engine: Engine) -> None:
    config = _config()
    with engine.connect() as connection:
        # One migrator at a time: SQLite's write lock, or an advisory lock on PostgreSQL.
        connection.info[WRITE_INTENT] = True
        if not is_sqlite(connection):
            connection.execute(text("SELECT pg_advisory_lock(:id)"), {"id": _MIGRATION_LOCK_ID})
            connection.commit()
        try:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
            connection.commit()
        finally:
            if not is_sqlite(connection):
                connection.execute(text("SELECT pg_advisory_unlock(:id)"), {"id": _MIGRATION_LOCK_ID})
                connection.commit()


def is_current(engine: Engine) -> bool:
    head = ScriptDirectory.from_config(_config()).get_current_head()
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision() == head
