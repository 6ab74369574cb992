"""The schema, as SQLAlchemy Core tables. Alembic migrations must produce exactly this."""

from sqlalchemy import (
    Boolean,
    Column,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
)

from patron.store.types import UtcDateTime

# Fixed constraint names make migrations identical on both databases.
metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

accounts = Table(
    "accounts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(1000), nullable=False),
    Column("created", UtcDateTime, nullable=False),
)

applications = Table(
    "applications",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("account_id", ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("name", String(1000), nullable=False),
    Column("description", String(2000), nullable=False, server_default=""),
    Column("sandbox", Boolean, nullable=False),
    Column("currency", String(16), nullable=False),
    Column("timezone", String(64), nullable=False),
    Column("enable_flattened_cart_items", Boolean, nullable=False, server_default="0"),
    Column("created", UtcDateTime, nullable=False),
    Column("modified", UtcDateTime, nullable=False),
)

# Keys are kept only as SHA-256 digests; the secret itself is shown once, at creation.
integration_keys = Table(
    "integration_keys",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("application_id", ForeignKey("applications.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("digest", String(64), nullable=False, unique=True),
    Column("created", UtcDateTime, nullable=False),
)

management_keys = Table(
    "management_keys",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("account_id", ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("digest", String(64), nullable=False, unique=True),
    Column("created", UtcDateTime, nullable=False),
)
