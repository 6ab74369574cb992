"""Bring a database's schema up to date with the Alembic migrations shipped in the package.

A database already at `HEAD_REVISION` costs one SELECT and never loads Alembic (a tenth of a
second of imports at every start); only one that is behind, new, or unknown goes through Alembic.
"""

from pathlib import Path
from typing import TYPE_CHECKING, Final

from sqlalchemy import Engine, text
from sqlalchemy.exc import OperationalError, ProgrammingError

from patron.store._dialect import is_sqlite
from patron.store.engine import WRITE_INTENT

if TYPE_CHECKING:
    from alembic.config import Config

# The newest migration in migrations/versions/. A new migration must update it:
# tests/store/test_schema.py checks it against Alembic's own view of the scripts.
HEAD_REVISION: Final = "0006"

_MIGRATIONS = Path(__file__).parent / "migrations"
# Any fixed number: serialises `patron migrate` across processes and hosts on PostgreSQL.
_MIGRATION_LOCK_ID = 0x7061_7472_6F6E


def _config() -> "Config":
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS))
    return config


def upgrade(engine: Engine) -> None:
    """Apply every migration the database lacks; at `HEAD_REVISION` already, do nothing."""
    if is_current(engine):
        return
    _alembic_upgrade(engine)


def is_current(engine: Engine) -> bool:
    """Whether the database's schema is at `HEAD_REVISION` (revisions only ever move forward)."""
    return stored_revisions(engine) == [HEAD_REVISION]


def stored_revisions(engine: Engine) -> list[str]:
    """The revisions Alembic recorded in the database: none for a database never migrated."""
    with engine.connect() as connection:
        try:
            rows = connection.execute(text("SELECT version_num FROM alembic_version"))
            return [str(revision) for revision in rows.scalars()]
        except (OperationalError, ProgrammingError):
            # No alembic_version table (SQLite: OperationalError; PostgreSQL: ProgrammingError).
            # Any other failure shows again, with Alembic's context, in the upgrade that follows.
            return []


def _alembic_upgrade(engine: Engine) -> None:
    from alembic import command

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


def alembic_head() -> str | None:
    """The head revision as Alembic reads it from the migration scripts (loads Alembic)."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_config()).get_current_head()
