from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from patron.store.engine import Engine
from patron.store.schema import is_current, upgrade
from patron.store.tables import metadata


def test_migrations_build_exactly_the_declared_schema(engine: Engine) -> None:
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), metadata)

    assert differences == []


def test_upgrading_a_current_database_changes_nothing(engine: Engine) -> None:
    upgrade(engine)

    assert is_current(engine)
