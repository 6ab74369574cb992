"""The schema, as SQLAlchemy Core tables. Alembic migrations must produce exactly this."""

from sqlalchemy import (
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    UniqueConstraint,
)

from patron.store.types import JsonDocument, Money, UtcDateTime

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
    # Ids are never reused, also on SQLite after the newest row is deleted.
    sqlite_autoincrement=True,
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
    # Ids are never reused, also on SQLite after the newest row is deleted.
    sqlite_autoincrement=True,
)

# Keys are kept only as SHA-256 digests; the secret itself is shown once, at creation.
integration_keys = Table(
    "integration_keys",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("application_id", ForeignKey("applications.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("digest", String(64), nullable=False, unique=True),
    Column("created", UtcDateTime, nullable=False),
    # Ids are never reused, also on SQLite after the newest row is deleted.
    sqlite_autoincrement=True,
)

management_keys = Table(
    "management_keys",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("account_id", ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("digest", String(64), nullable=False, unique=True),
    Column("created", UtcDateTime, nullable=False),
    # Ids are never reused, also on SQLite after the newest row is deleted.
    sqlite_autoincrement=True,
)

# One customer of one environment of one account, shared by that environment's Applications.
customer_profiles = Table(
    "customer_profiles",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("account_id", ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False),
    Column("sandbox", Boolean, nullable=False),
    Column("integration_id", String(1000), nullable=False),
    Column("attributes", JsonDocument, nullable=False),
    Column("closed_sessions", Integer, nullable=False),
    Column("total_sales", Money, nullable=False),
    Column("created", UtcDateTime, nullable=False),
    Column("last_activity", UtcDateTime, nullable=False),
    UniqueConstraint("account_id", "sandbox", "integration_id"),
    # Ids are never reused, also on SQLite after the newest row is deleted.
    sqlite_autoincrement=True,
)

# Which Applications have seen a profile: the Management API lists them per Application.
application_customers = Table(
    "application_customers",
    metadata,
    Column("application_id", ForeignKey("applications.id", ondelete="CASCADE"), nullable=False),
    Column("profile_id", ForeignKey("customer_profiles.id", ondelete="CASCADE"), nullable=False, index=True),
    PrimaryKeyConstraint("application_id", "profile_id"),
)

customer_sessions = Table(
    "customer_sessions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("application_id", ForeignKey("applications.id", ondelete="CASCADE"), nullable=False),
    Column("integration_id", String(1000), nullable=False),
    # The owner, by internal id (null when anonymous or the profile was deleted) and as sent.
    Column("profile_id", ForeignKey("customer_profiles.id", ondelete="SET NULL")),
    Column("profile_integration_id", String(1000), nullable=False),
    Column("state", String(32), nullable=False),
    Column("store_integration_id", String(1000)),
    Column("coupon_codes", JsonDocument, nullable=False),
    Column("referral_code", String(100), nullable=False),
    Column("loyalty_cards", JsonDocument),
    Column("evaluable_campaign_ids", JsonDocument),
    Column("cart_items", JsonDocument, nullable=False),
    Column("additional_costs", JsonDocument, nullable=False),
    Column("identifiers", JsonDocument),
    Column("attributes", JsonDocument, nullable=False),
    Column("first_session", Boolean, nullable=False),
    Column("update_count", Integer, nullable=False),
    Column("total", Money, nullable=False),
    # What the session adds to its owner's totalSales while it is closed or partially returned.
    Column("contribution", Money, nullable=False),
    Column("created", UtcDateTime, nullable=False),
    Column("updated", UtcDateTime, nullable=False),
    Column("closed_at", UtcDateTime),
    Column("cancelled_at", UtcDateTime),
    UniqueConstraint("application_id", "integration_id"),
    # Ids are never reused, also on SQLite after the newest row is deleted.
    sqlite_autoincrement=True,
)

events = Table(
    "events",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("application_id", ForeignKey("applications.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("profile_id", ForeignKey("customer_profiles.id", ondelete="SET NULL"), index=True),
    Column("profile_integration_id", String(1000), nullable=False),
    Column("session_integration_id", String(1000)),
    Column("store_integration_id", String(1000)),
    Column("type", String(1000), nullable=False),
    Column("attributes", JsonDocument, nullable=False),
    Column("created", UtcDateTime, nullable=False),
    # Ids are never reused, also on SQLite after the newest row is deleted.
    sqlite_autoincrement=True,
)

returns = Table(
    "returns",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("application_id", ForeignKey("applications.id", ondelete="CASCADE"), nullable=False),
    Column("session_id", ForeignKey("customer_sessions.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("profile_id", ForeignKey("customer_profiles.id", ondelete="SET NULL")),
    Column("profile_integration_id", String(1000), nullable=False),
    Column("event_id", Integer, nullable=False),
    Column("returned_cart_items", JsonDocument, nullable=False),
    Column("amount", Money, nullable=False),
    Column("created", UtcDateTime, nullable=False),
    # Ids are never reused, also on SQLite after the newest row is deleted.
    sqlite_autoincrement=True,
)

# The first 2xx answer to a request carrying an Idempotency-Key, replayed for 24 hours.
idempotency_records = Table(
    "idempotency_records",
    metadata,
    Column("application_id", ForeignKey("applications.id", ondelete="CASCADE"), nullable=False),
    Column("key", String(255), nullable=False),
    Column("fingerprint", String(64), nullable=False),
    Column("status", Integer, nullable=False),
    Column("body", LargeBinary, nullable=False),
    Column("created", UtcDateTime, nullable=False, index=True),
    PrimaryKeyConstraint("application_id", "key"),
)

Index("ix_customer_sessions_application_id_id", customer_sessions.c.application_id, customer_sessions.c.id)
# A profile's sessions, also per Application (firstSession, analytics, erasure, patron check).
Index(
    "ix_customer_sessions_profile_id_application_id",
    customer_sessions.c.profile_id,
    customer_sessions.c.application_id,
)
# The Management API's lists and filters (SEMANTICS 17).
Index(
    "ix_customer_sessions_application_id_created",
    customer_sessions.c.application_id,
    customer_sessions.c.created,
)
Index(
    "ix_customer_sessions_application_id_updated",
    customer_sessions.c.application_id,
    customer_sessions.c.updated,
)
Index(
    "ix_customer_sessions_application_id_profile",
    customer_sessions.c.application_id,
    customer_sessions.c.profile_integration_id,
)
Index(
    "ix_customer_profiles_account_id_sandbox_id",
    customer_profiles.c.account_id,
    customer_profiles.c.sandbox,
    customer_profiles.c.id,
)
# Attribute search: `attributes @> {...}` on PostgreSQL. SQLite has no such index.
Index(
    "ix_customer_profiles_attributes",
    customer_profiles.c.attributes,
    postgresql_using="gin",
    postgresql_ops={"attributes": "jsonb_path_ops"},
).ddl_if(dialect="postgresql")

audiences = Table(
    "audiences",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("account_id", ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False),
    Column("sandbox", Boolean, nullable=False),
    Column("name", String(1000), nullable=False),
    Column("description", String(2000)),
    # The third-party platform ("" when none) and the audience's id there (null when none).
    Column("integration", String(1000), nullable=False),
    Column("integration_id", String(1000)),
    Column("created_in_3rd_party", Boolean, nullable=False),
    Column("subscribed_applications_ids", JsonDocument, nullable=False),
    Column("created", UtcDateTime, nullable=False),
    Column("last_update", UtcDateTime, nullable=False),
    # NULL integration ids are distinct on both databases: only mirrored audiences are unique.
    UniqueConstraint("account_id", "sandbox", "integration", "integration_id"),
    # Ids are never reused, also on SQLite after the newest row is deleted.
    sqlite_autoincrement=True,
)

audience_memberships = Table(
    "audience_memberships",
    metadata,
    Column("audience_id", ForeignKey("audiences.id", ondelete="CASCADE"), nullable=False),
    Column("profile_id", ForeignKey("customer_profiles.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("created", UtcDateTime, nullable=False),
    PrimaryKeyConstraint("audience_id", "profile_id"),
)

attribute_definitions = Table(
    "attribute_definitions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("account_id", ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False),
    Column("entity", String(32), nullable=False),
    Column("event_type", String(1000)),
    Column("name", String(1000), nullable=False),
    Column("title", String(1000), nullable=False),
    Column("type", String(32), nullable=False),
    Column("description", String(2000), nullable=False),
    Column("suggestions", JsonDocument, nullable=False),
    Column("has_allowed_list", Boolean, nullable=False),
    Column("restricted_by_suggestions", Boolean, nullable=False),
    Column("editable", Boolean, nullable=False),
    Column("subscribed_applications_ids", JsonDocument, nullable=False),
    Column("built_in", Boolean, nullable=False),
    Column("created", UtcDateTime, nullable=False),
    UniqueConstraint("account_id", "entity", "name"),
    UniqueConstraint("account_id", "entity", "title"),
    # Ids are never reused, also on SQLite after the newest row is deleted.
    sqlite_autoincrement=True,
)

# Each CSV import, for the Import record its endpoint answers with.
imports = Table(
    "imports",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("account_id", ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False),
    Column("entity", String(64), nullable=False),
    Column("amount", Integer, nullable=False),
    Column("created", UtcDateTime, nullable=False),
    sqlite_autoincrement=True,
)

# Writes currently admitted per session or profile, when Talon.One's parallel-request limit is
# emulated (PATRON_EMULATE_TALON_CONCURRENCY_LIMIT). Rows of crashed requests go stale.
admitted_writes = Table(
    "admitted_writes",
    metadata,
    Column("resource", String(1100), nullable=False),
    Column("ticket", String(32), nullable=False),
    Column("started", UtcDateTime, nullable=False),
    PrimaryKeyConstraint("resource", "ticket"),
)
