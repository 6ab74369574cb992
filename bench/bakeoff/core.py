"""The checkout step of patron, shared by every stack of the bake-off: its real rules, hand-written SQL.

Each candidate stack (FastAPI, Starlette, Litestar; see the app_*.py modules) decodes the request
its own way, then calls `update_customer_session` here and encodes the `IntegrationState` it gets
back its own way. What the stacks share is what patron does with a session PUT: the key lookup,
the attribute check against the account's definitions, the state machine and totals of
`patron.domain.sessions`, the owner's counters (`patron.domain.profiles`), firstSession, the
built-in event, all in one transaction that takes the write lock first (SQLite: BEGIN IMMEDIATE;
PostgreSQL: advisory locks on the session, then the profile).

Databases (BAKEOFF_DATABASE_URL, a database `patron migrate` made and `bench/seed.py` filled):
- sqlite:///path: the sqlite3 module, statements run on the event loop (a transaction never
  awaits, so the loop serialises the process's writers; BEGIN IMMEDIATE cannot wait for another
  process's lock here, since the bake-off runs one server process);
- postgresql://...: BAKEOFF_DRIVER=asyncpg (default) or psycopg (its async connection), a pool
  of BAKEOFF_POOL connections (default 10).
"""

import hashlib
import os
import sqlite3
import threading
import time
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, Protocol

import msgspec

from patron.domain import events
from patron.domain.attribute_definitions import (
    AttributeDefinition,
    AttributeSchema,
    AttributeType,
    Entity,
    check_attributes,
)
from patron.domain.events import Event
from patron.domain.profiles import CustomerProfile, ProfileAggregates, new_profile, update_profile
from patron.domain.sessions import (
    CartItem,
    CustomerSession,
    SessionState,
    SessionUpdate,
    create_session,
    session_change_delta,
    update_session,
)
from patron.domain.tenancy import ApplicationScope
from patron.errors import InvalidInputError, UnauthorizedError
from patron.services.results import IntegrationState

_JSON_ENCODER = msgspec.json.Encoder(decimal_format="number")
_JSON_DECODER = msgspec.json.Decoder(float_hook=Decimal)


def to_json(value: Any) -> str:
    return _JSON_ENCODER.encode(value).decode()


def from_json(text: str | bytes) -> Any:
    return _JSON_DECODER.decode(text)


# --- the database ---------------------------------------------------------------------------------


class Transaction(Protocol):
    async def one(self, sql: str, *args: Any) -> Sequence[Any] | None: ...
    async def run(self, sql: str, *args: Any) -> None: ...
    async def lock(self, *names: str) -> None: ...
    def time(self, value: datetime | None) -> Any: ...
    def read_time(self, value: Any) -> datetime: ...
    def money(self, value: Decimal) -> Any: ...
    def document(self, value: Any) -> Any: ...
    def read_document(self, value: Any) -> Any: ...


class Database(Protocol):
    def transaction(self, *, write: bool) -> Any: ...  # an async context manager of a Transaction


class SqliteDatabase:
    """sqlite3 on the event loop: no statement here can wait, so none blocks the loop for long."""

    def __init__(self, path: str) -> None:
        self._connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self._connection.execute("PRAGMA journal_mode=WAL")
        self._connection.execute("PRAGMA synchronous=NORMAL")
        self._connection.execute("PRAGMA foreign_keys=ON")
        self._connection.execute("PRAGMA busy_timeout=5000")
        # Checkpoints (which fsync) run on a thread of their own, never inside a request's COMMIT.
        self._connection.execute("PRAGMA wal_autocheckpoint=0")
        self._tx = _SqliteTransaction(self._connection)
        threading.Thread(target=_checkpoints, args=(path,), daemon=True).start()

    @asynccontextmanager
    async def transaction(self, *, write: bool) -> AsyncIterator["_SqliteTransaction"]:
        connection = self._connection
        connection.execute("BEGIN IMMEDIATE" if write else "BEGIN")
        try:
            yield self._tx
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        connection.execute("COMMIT")


def _checkpoints(path: str) -> None:
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA synchronous=NORMAL")
    while True:
        time.sleep(0.2)
        connection.execute("PRAGMA wal_checkpoint(PASSIVE)")


class _SqliteTransaction:
    def __init__(self, connection: sqlite3.Connection) -> None:
        self._connection = connection

    async def one(self, sql: str, *args: Any) -> Sequence[Any] | None:
        row: Sequence[Any] | None = self._connection.execute(sql, args).fetchone()
        return row

    async def run(self, sql: str, *args: Any) -> None:
        self._connection.execute(sql, args)

    async def lock(self, *names: str) -> None:
        return None  # BEGIN IMMEDIATE holds the database's write lock

    def time(self, value: datetime | None) -> Any:
        # SQLAlchemy's DATETIME text on SQLite, so the rows are patron's own.
        return None if value is None else value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")

    def read_time(self, value: Any) -> datetime:
        return datetime.fromisoformat(value).replace(tzinfo=UTC)

    def money(self, value: Decimal) -> Any:
        return str(value)

    def document(self, value: Any) -> Any:
        return to_json(value)

    def read_document(self, value: Any) -> Any:
        return from_json(value)


def _lock_key(name: str) -> int:
    return int.from_bytes(hashlib.blake2b(name.encode(), digest_size=8).digest(), "big", signed=True)


class AsyncpgDatabase:
    def __init__(self, url: str, pool_size: int) -> None:
        self._url, self._size = url, pool_size
        self._pool: Any = None

    async def open(self) -> None:
        import asyncpg

        async def init(connection: Any) -> None:
            for name in ("json", "jsonb"):
                await connection.set_type_codec(
                    name, encoder=to_json, decoder=from_json, schema="pg_catalog", format="text"
                )

        self._pool = await asyncpg.create_pool(
            self._url,
            min_size=self._size,
            max_size=self._size,
            init=init,
            server_settings={"lock_timeout": "5000ms", "TimeZone": "UTC"},
        )

    @asynccontextmanager
    async def transaction(self, *, write: bool) -> AsyncIterator["_AsyncpgTransaction"]:
        async with self._pool.acquire() as connection, connection.transaction():
            yield _AsyncpgTransaction(connection)


class _AsyncpgTransaction:
    def __init__(self, connection: Any) -> None:
        self._connection = connection

    async def one(self, sql: str, *args: Any) -> Sequence[Any] | None:
        row: Sequence[Any] | None = await self._connection.fetchrow(_numbered(sql), *args)
        return row

    async def run(self, sql: str, *args: Any) -> None:
        await self._connection.execute(_numbered(sql), *args)

    async def lock(self, *names: str) -> None:
        for key in sorted({_lock_key(name) for name in names}):
            await self._connection.execute("SELECT pg_advisory_xact_lock($1)", key)

    def time(self, value: datetime | None) -> Any:
        return value

    def read_time(self, value: Any) -> datetime:
        result: datetime = value
        return result

    def money(self, value: Decimal) -> Any:
        return value

    def document(self, value: Any) -> Any:
        return value

    def read_document(self, value: Any) -> Any:
        return value


_NUMBERED: dict[str, str] = {}


def _numbered(sql: str) -> str:
    """`?` placeholders as PostgreSQL's `$1, $2, ...` (the SQL here has no `?` in literals)."""
    numbered = _NUMBERED.get(sql)
    if numbered is None:
        parts = sql.split("?")
        numbered = parts[0] + "".join(f"${i}{part}" for i, part in enumerate(parts[1:], 1))
        _NUMBERED[sql] = numbered
    return numbered


class PsycopgDatabase:
    def __init__(self, url: str, pool_size: int) -> None:
        self._url, self._size = url, pool_size
        self._pool: Any = None

    async def open(self) -> None:
        from psycopg.types.json import set_json_dumps, set_json_loads
        from psycopg_pool import AsyncConnectionPool

        set_json_dumps(to_json)
        set_json_loads(from_json)

        async def configure(connection: Any) -> None:
            await connection.execute("SET lock_timeout = '5000ms'")
            await connection.execute("SET TIME ZONE 'UTC'")
            await connection.commit()

        self._pool = AsyncConnectionPool(
            self._url,
            min_size=self._size,
            max_size=self._size,
            configure=configure,
            kwargs={"prepare_threshold": 0},
            open=False,
        )
        await self._pool.open(wait=True)

    @asynccontextmanager
    async def transaction(self, *, write: bool) -> AsyncIterator["_PsycopgTransaction"]:
        async with self._pool.connection() as connection, connection.transaction():
            yield _PsycopgTransaction(connection)


class _PsycopgTransaction(_AsyncpgTransaction):
    async def one(self, sql: str, *args: Any) -> Sequence[Any] | None:
        cursor = await self._connection.execute(sql.replace("?", "%s"), args)
        row: Sequence[Any] | None = await cursor.fetchone()
        return row

    async def run(self, sql: str, *args: Any) -> None:
        await self._connection.execute(sql.replace("?", "%s"), args)

    async def lock(self, *names: str) -> None:
        for key in sorted({_lock_key(name) for name in names}):
            await self._connection.execute("SELECT pg_advisory_xact_lock(%s)", (key,))

    def document(self, value: Any) -> Any:
        from psycopg.types.json import Jsonb

        return Jsonb(value)


async def open_database() -> Database:
    url = os.environ["BAKEOFF_DATABASE_URL"]
    if url.startswith("sqlite:///"):
        return SqliteDatabase(url.removeprefix("sqlite:///"))
    size = int(os.environ.get("BAKEOFF_POOL", "10"))
    database: AsyncpgDatabase | PsycopgDatabase
    if os.environ.get("BAKEOFF_DRIVER", "asyncpg") == "psycopg":
        database = PsycopgDatabase(url, size)
    else:
        database = AsyncpgDatabase(url, size)
    await database.open()
    return database


# --- keys and attribute definitions, remembered as patron does (they never change) ----------------

_SCOPES: dict[str, ApplicationScope] = {}
_SCHEMAS: dict[int, tuple[AttributeSchema, AttributeSchema]] = {}


async def authorize(db: Database, authorization: str | None) -> ApplicationScope:
    prefix = "ApiKey-v1 "
    if not authorization or not authorization.startswith(prefix):
        raise UnauthorizedError("Missing or malformed credentials", parameter="Authorization")
    key = authorization[len(prefix) :]
    scope = _SCOPES.get(key)
    if scope is None:
        digest = hashlib.sha256(key.encode()).hexdigest()
        async with db.transaction(write=False) as tx:
            row = await tx.one(
                "SELECT a.account_id, a.id, a.sandbox FROM integration_keys k"
                " JOIN applications a ON a.id = k.application_id WHERE k.digest = ?",
                digest,
            )
        if row is None:
            raise UnauthorizedError("Unknown key", parameter="Authorization")
        scope = _SCOPES[key] = ApplicationScope(row[0], row[1], bool(row[2]))
    return scope


async def _schemas(tx: Transaction, scope: ApplicationScope) -> tuple[AttributeSchema, AttributeSchema]:
    schemas = _SCHEMAS.get(scope.account_id)
    if schemas is None:
        found: dict[Entity, dict[str, AttributeDefinition]] = {
            Entity.CUSTOMER_SESSION: {},
            Entity.CART_ITEM: {},
        }
        row = await tx.one(
            "SELECT json_group_array(json_array(entity, name, type)) FROM attribute_definitions"
            " WHERE account_id = ? AND entity IN ('CustomerSession', 'CartItem')"
            if isinstance(tx, _SqliteTransaction)
            else "SELECT json_agg(json_build_array(entity, name, type)) FROM attribute_definitions"
            " WHERE account_id = ? AND entity IN ('CustomerSession', 'CartItem')",
            scope.account_id,
        )
        assert row is not None
        for entity, name, kind in tx.read_document(row[0]) or []:
            found[Entity(entity)][name] = AttributeDefinition(
                0, scope.account_id, Entity(entity), name, name, AttributeType(kind), datetime.now(UTC)
            )
        schemas = _SCHEMAS[scope.account_id] = (
            AttributeSchema(Entity.CUSTOMER_SESSION, found[Entity.CUSTOMER_SESSION]),
            AttributeSchema(Entity.CART_ITEM, found[Entity.CART_ITEM]),
        )
    return schemas


# --- the checkout step -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Profile:
    profile: CustomerProfile
    is_new: bool


_SESSION_COLUMNS = (
    "id, application_id, integration_id, profile_id, profile_integration_id, state, store_integration_id,"
    " coupon_codes, referral_code, loyalty_cards, evaluable_campaign_ids, cart_items, additional_costs,"
    " identifiers, attributes, first_session, update_count, total, contribution, created, updated,"
    " closed_at, cancelled_at"
)
_PROFILE_COLUMNS = (
    "id, account_id, sandbox, integration_id, attributes, closed_sessions, total_sales, created,"
    " last_activity"
)


async def update_customer_session(
    db: Database, scope: ApplicationScope, integration_id: str, update: SessionUpdate, *, now: datetime
) -> IntegrationState:
    """Create or update a session and charge the change to its owner (SEMANTICS 6, 7), as patron does."""
    update = replace(update, evaluable_campaign_ids=None)
    async with db.transaction(write=True) as tx:
        session_schema, item_schema = await _schemas(tx, scope)
        check_attributes(session_schema, update.attributes, pointer="/customerSession/attributes")
        for index, item in enumerate(update.cart_items or ()):
            check_attributes(
                item_schema, item.attributes, pointer=f"/customerSession/cartItems/{index}/attributes"
            )
        await tx.lock(f"session:{scope.application_id}:{integration_id}")
        row = await tx.one(
            f"SELECT {_SESSION_COLUMNS} FROM customer_sessions"
            " WHERE application_id = ? AND integration_id = ?",
            scope.application_id,
            integration_id,
        )
        stored = None if row is None else _session(tx, row)
        stored_owner = None if row is None else row[3]
        owner: _Profile | None = None
        if stored is None:
            if update.profile_id:
                owner = await _load_profile(tx, scope, update.profile_id, now=now)
            first = owner is None or owner.is_new or not await _has_sessions(tx, owner.profile.id)
            session = create_session(
                application_id=scope.application_id,
                integration_id=integration_id,
                update=update,
                first_session=first,
                now=now,
            )
        else:
            session = update_session(stored, update, now=now)
        event = events.session_event(session, events.session_event_type(stored, session), now=now)
        if session.anonymous:
            raise InvalidInputError("the bake-off has no anonymous sessions", pointer="/customerSession")
        if owner is None or owner.profile.integration_id != session.profile_id:
            owner = await _load_profile(tx, scope, session.profile_id, now=now)
        profile = update_profile(owner.profile, delta=session_change_delta(stored, session), activity_at=now)
        if owner.is_new:
            profile = await _add_profile(tx, profile)
        else:
            await tx.run(
                "UPDATE customer_profiles SET attributes = ?, closed_sessions = ?, total_sales = ?,"
                " last_activity = ? WHERE id = ?",
                tx.document(profile.attributes),
                profile.closed_sessions,
                tx.money(profile.total_sales),
                tx.time(profile.last_activity),
                profile.id,
            )
        if stored_owner != profile.id:
            # A new owner: the Application has seen it now (an existing session's owner it has seen).
            await tx.run(
                "INSERT INTO application_customers (application_id, profile_id) VALUES (?, ?)"
                " ON CONFLICT DO NOTHING",
                scope.application_id,
                profile.id,
            )
        session = await _save_session(tx, stored, session, profile.id)
        row = await tx.one(
            "INSERT INTO events (application_id, profile_id, profile_integration_id, session_integration_id,"
            " store_integration_id, type, attributes, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            event.application_id,
            profile.id,
            event.profile_id,
            event.session_integration_id,
            event.store_integration_id,
            event.type,
            tx.document(event.attributes),
            tx.time(event.created),
        )
        assert row is not None
        event = replace(event, id=row[0])
    return IntegrationState(session=session, profile=profile, event=event)


async def _load_profile(
    tx: Transaction, scope: ApplicationScope, integration_id: str, *, now: datetime
) -> _Profile:
    await tx.lock(f"profile:{scope.account_id}:{int(scope.sandbox)}:{integration_id}")
    row = await tx.one(
        f"SELECT {_PROFILE_COLUMNS} FROM customer_profiles"
        " WHERE account_id = ? AND sandbox = ? AND integration_id = ?",
        scope.account_id,
        scope.sandbox,
        integration_id,
    )
    if row is None:
        fresh = new_profile(
            account_id=scope.account_id, sandbox=scope.sandbox, integration_id=integration_id, now=now
        )
        return _Profile(fresh, is_new=True)
    profile = CustomerProfile(
        id=row[0],
        account_id=row[1],
        sandbox=bool(row[2]),
        integration_id=row[3],
        attributes=tx.read_document(row[4]),
        aggregates=ProfileAggregates(row[5], Decimal(row[6])),
        created=tx.read_time(row[7]),
        last_activity=tx.read_time(row[8]),
    )
    return _Profile(profile, is_new=False)


async def _has_sessions(tx: Transaction, profile_pk: int) -> bool:
    return (
        await tx.one("SELECT 1 FROM customer_sessions WHERE profile_id = ? LIMIT 1", profile_pk) is not None
    )


async def _add_profile(tx: Transaction, profile: CustomerProfile) -> CustomerProfile:
    row = await tx.one(
        "INSERT INTO customer_profiles (account_id, sandbox, integration_id, attributes, closed_sessions,"
        " total_sales, created, last_activity) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        profile.account_id,
        profile.sandbox,
        profile.integration_id,
        tx.document(profile.attributes),
        profile.closed_sessions,
        tx.money(profile.total_sales),
        tx.time(profile.created),
        tx.time(profile.last_activity),
    )
    assert row is not None
    return replace(profile, id=row[0])


def _session_values(tx: Transaction, session: CustomerSession, profile_pk: int | None) -> tuple[Any, ...]:
    return (
        session.application_id,
        session.integration_id,
        profile_pk,
        session.profile_id,
        session.state.value,
        session.store_integration_id,
        tx.document(list(session.coupon_codes)),
        session.referral_code,
        None if session.loyalty_cards is None else tx.document(list(session.loyalty_cards)),
        None if session.evaluable_campaign_ids is None else tx.document(list(session.evaluable_campaign_ids)),
        tx.document([_item_document(item) for item in session.cart_items]),
        tx.document(session.additional_costs),
        None if session.identifiers is None else tx.document(list(session.identifiers)),
        tx.document(session.attributes),
        session.first_session,
        session.update_count,
        tx.money(session.total),
        tx.money(session.contribution),
        tx.time(session.created),
        tx.time(session.updated),
        tx.time(session.closed_at),
        tx.time(session.cancelled_at),
    )


async def _save_session(
    tx: Transaction, before: CustomerSession | None, after: CustomerSession, profile_pk: int | None
) -> CustomerSession:
    values = _session_values(tx, after, profile_pk)
    if before is None:
        row = await tx.one(
            "INSERT INTO customer_sessions (application_id, integration_id, profile_id,"
            " profile_integration_id, state, store_integration_id, coupon_codes, referral_code,"
            " loyalty_cards, evaluable_campaign_ids,"
            " cart_items, additional_costs, identifiers, attributes, first_session, update_count, total,"
            " contribution, created, updated, closed_at, cancelled_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            *values,
        )
        assert row is not None
        return replace(after, id=row[0])
    # Only the columns a session update can change: SQLite rewrites every index on a column set.
    await tx.run(
        "UPDATE customer_sessions SET profile_id = ?, profile_integration_id = ?, state = ?,"
        " store_integration_id = ?, coupon_codes = ?, referral_code = ?, loyalty_cards = ?,"
        " evaluable_campaign_ids = ?, cart_items = ?, additional_costs = ?, identifiers = ?, attributes = ?,"
        " update_count = ?, total = ?, contribution = ?, updated = ?, closed_at = ?, cancelled_at = ?"
        " WHERE id = ?",
        *values[2:14],
        *values[15:18],
        *values[19:],
        after.id,
    )
    return after


def _session(tx: Transaction, row: Sequence[Any]) -> CustomerSession:
    doc = tx.read_document
    return CustomerSession(
        id=row[0],
        application_id=row[1],
        integration_id=row[2],
        profile_id=row[4],
        state=SessionState(row[5]),
        store_integration_id=row[6],
        coupon_codes=tuple(doc(row[7])),
        referral_code=row[8],
        loyalty_cards=None if row[9] is None else tuple(doc(row[9])),
        evaluable_campaign_ids=None if row[10] is None else tuple(doc(row[10])),
        cart_items=tuple(_item(document) for document in doc(row[11])),
        additional_costs={name: Decimal(price) for name, price in doc(row[12]).items()},
        identifiers=None if row[13] is None else tuple(doc(row[13])),
        attributes=doc(row[14]),
        first_session=bool(row[15]),
        update_count=row[16],
        contribution=Decimal(row[18]),
        created=tx.read_time(row[19]),
        updated=tx.read_time(row[20]),
        closed_at=None if row[21] is None else tx.read_time(row[21]),
        cancelled_at=None if row[22] is None else tx.read_time(row[22]),
    )


_ITEM_DECIMALS = ("price", "weight", "height", "width", "length")


def _item_document(item: CartItem) -> dict[str, Any]:
    document = {
        "sku": item.sku,
        "quantity": item.quantity,
        "returnedQuantity": item.returned_quantity,
        "attributes": item.attributes,
        "additionalCosts": item.additional_costs,
    }
    for name in ("name", "category", "product", *_ITEM_DECIMALS):
        value = getattr(item, name)
        if value is not None:
            document[name] = value
    return document


def _item(document: dict[str, Any]) -> CartItem:
    return CartItem(
        sku=document["sku"],
        quantity=document["quantity"],
        returned_quantity=document["returnedQuantity"],
        attributes=document["attributes"],
        additional_costs={name: Decimal(price) for name, price in document["additionalCosts"].items()},
        name=document.get("name"),
        category=document.get("category"),
        product=document.get("product"),
        **{name: Decimal(document[name]) for name in _ITEM_DECIMALS if name in document},
    )


# --- the answer, as plain JSON values (the msgspec stacks encode this; FastAPI renders its models) ---


def rfc3339(value: datetime) -> str:
    return value.astimezone(UTC).replace(tzinfo=None).isoformat() + "Z"


def session_json(session: CustomerSession) -> dict[str, Any]:
    answer: dict[str, Any] = {
        "id": session.id,
        "created": rfc3339(session.created),
        "integrationId": session.integration_id,
        "applicationId": session.application_id,
        "profileId": session.profile_id,
        "couponCodes": list(session.coupon_codes),
        "referralCode": session.referral_code,
        "state": session.state.value,
        "cartItems": [_item_json(item, position) for position, item in enumerate(session.cart_items)],
        "attributes": session.attributes,
        "firstSession": session.first_session,
        "updateCount": session.update_count,
        "total": session.total,
        "cartItemTotal": session.cart_item_total,
        "additionalCostTotal": session.additional_cost_total,
        "cartItemAdditionalCostTotal": session.cart_item_additional_cost_total,
        "updated": rfc3339(session.updated),
    }
    if session.store_integration_id is not None:
        answer["storeIntegrationId"] = session.store_integration_id
    if session.additional_costs:
        answer["additionalCosts"] = {k: {"price": v} for k, v in session.additional_costs.items()}
    for name, values in (("loyaltyCards", session.loyalty_cards), ("identifiers", session.identifiers)):
        if values is not None:
            answer[name] = list(values)
    return answer


def _item_json(item: CartItem, position: int) -> dict[str, Any]:
    answer: dict[str, Any] = {
        "sku": item.sku,
        "quantity": item.quantity,
        "returnedQuantity": item.returned_quantity,
        "remainingQuantity": item.remaining_quantity,
        "price": item.price,
        "position": position,
        "attributes": item.attributes,
    }
    for name in ("name", "category", "weight", "height", "width", "length"):
        value = getattr(item, name)
        if value is not None:
            answer[name] = value
    if item.product is not None:
        answer["product"] = {"name": item.product}
    if item.additional_costs:
        answer["additionalCosts"] = {k: {"price": v} for k, v in item.additional_costs.items()}
    return answer


def profile_json(profile: CustomerProfile) -> dict[str, Any]:
    return {
        "id": profile.id,
        "created": rfc3339(profile.created),
        "integrationId": profile.integration_id,
        "attributes": profile.attributes,
        "accountId": profile.account_id,
        "closedSessions": profile.closed_sessions,
        "totalSales": profile.total_sales,
        "loyaltyMemberships": None,
        "audienceMemberships": [{"id": m.id, "name": m.name} for m in profile.audience_memberships],
        "lastActivity": rfc3339(profile.last_activity),
        "sandbox": profile.sandbox,
    }


def state_json(state: IntegrationState, content: set[str]) -> dict[str, Any]:
    answer: dict[str, Any] = {}
    if "customerSession" in content and state.session is not None:
        answer["customerSession"] = session_json(state.session)
    if "customerProfile" in content and state.profile is not None:
        answer["customerProfile"] = profile_json(state.profile)
    answer |= {"effects": [], "createdCoupons": [], "createdReferrals": []}
    return answer


def now() -> datetime:
    return datetime.now(UTC)


__all__ = ["Event", "authorize", "open_database", "state_json", "update_customer_session"]
