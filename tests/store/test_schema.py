from collections.abc import Callable

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from patron.store.engine import Engine
from patron.store.schema import is_current, upgrade
from patron.store.tables import metadata


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


def test_upgrading_a_current_database_changes_nothing(engine: Engine) -> None:
    upgrade(engine)

    assert is_current(engine)
