"""Alembic environment: runs on the connection handed over by patron.store.schema.upgrade."""

from alembic import context

from patron.store.tables import metadata

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=metadata,
    # SQLite's ALTER TABLE is limited; batch mode rebuilds tables instead.
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
