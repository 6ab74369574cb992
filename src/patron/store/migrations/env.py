"""Alembic environment: runs on the connection handed over by patron.store.schema.upgrade."""

from alembic import context

from patron.store.tables import metadata

connection = context.config.attributes["connection"]


def _built_here(item: object, name: str | None, kind: str, reflected: bool, compare_to: object) -> bool:
    """Autogenerate leaves out what the schema builds only on the other database (ddl_if)."""
    ddl_if = getattr(item, "_ddl_if", None)
    return ddl_if is None or ddl_if.dialect in (None, connection.dialect.name)


context.configure(
    connection=connection,
    target_metadata=metadata,
    include_object=_built_here,
    # SQLite's ALTER TABLE is limited; batch mode rebuilds tables instead.
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
