"""Random sequences of valid and invalid calls keep every profile's counters exact (SEMANTICS 6-11).

A plain Python reference model, written from the spec and not from patron's code, follows the
calls: it says which must be refused, what each session looks like afterwards, and what
closedSessions and totalSales every profile must show. Each example runs in a fresh tenant with
two sandbox Applications (one environment, so they share profiles) and a live one.
"""

import copy
import itertools
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from typing import Any, Final, TypeAlias

import msgspec
from hypothesis import HealthCheck, Phase, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import JSON, Boolean, Table

from patron.api.integration import api as integration_api
from patron.api.operations import Call
from patron.domain.returns import ReturnRequestItem
from patron.domain.sessions import CartItem, SessionState, SessionUpdate
from patron.domain.tenancy import ApplicationScope
from patron.errors import PatronError
from patron.services import events, profiles, sessions
from patron.services.audiences import AudiencesChanges
from patron.services.audit import Drift, find_drift
from patron.services.results import IntegrationState
from patron.store import tables
from patron.store.database import Row, Transaction
from patron.store.types import Money, UtcDateTime
from tests.factories import NOW, Store, create_application, create_tenant

PROFILE_IDS: Final = ("p1", "p2", "p3")
SESSION_IDS: Final = ("s1", "s2", "s3", "s4")
SKUS: Final = ("a", "b", "c")
# Applications 0 and 1 are the sandbox (one environment), 2 is live; the sandbox gets most calls.
APPLICATIONS: Final = (0, 0, 0, 1, 1, 2)
SANDBOX: Final = (True, True, False)
COUNTED: Final = frozenset({"closed", "partially_returned"})
# (from, to) pairs a session PUT may make; returns and reopen have their own rules (SEMANTICS 6.3).
PUT_TRANSITIONS: Final = frozenset(
    {
        ("open", "open"),
        ("open", "closed"),
        ("open", "cancelled"),
        ("closed", "cancelled"),
        ("partially_returned", "cancelled"),
    }
)
_counter = itertools.count()


# --- operations ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Item:
    sku: str
    quantity: int
    price: Decimal
    costs: tuple[tuple[str, Decimal], ...] = ()


@dataclass(frozen=True)
class PutSession:
    app: int
    session: str
    profile: str | None
    state: str | None
    items: tuple[Item, ...] | None
    costs: tuple[tuple[str, Decimal], ...] | None
    dry: bool


@dataclass(frozen=True)
class ReturnLine:
    position: int | None
    sku: str | None
    quantity: int | None


@dataclass(frozen=True)
class ReturnItems:
    app: int
    session: str
    lines: tuple[ReturnLine, ...]
    dry: bool


@dataclass(frozen=True)
class Reopen:
    app: int
    session: str


@dataclass(frozen=True)
class UpdateProfile:
    app: int
    profile: str
    run_rule_engine: bool
    dry: bool
    unknown_audience: bool


@dataclass(frozen=True)
class TrackEvent:
    app: int
    profile: str
    built_in_type: bool
    dry: bool


Operation: TypeAlias = PutSession | ReturnItems | Reopen | UpdateProfile | TrackEvent

money = st.one_of(
    st.decimals(min_value=0, max_value=500, places=2, allow_nan=False, allow_infinity=False),
    st.integers(min_value=0, max_value=100).map(Decimal),
)
costs = st.dictionaries(st.sampled_from(("shipping", "gift", "fee")), money, max_size=2).map(
    lambda found: tuple(sorted(found.items()))
)
items = st.builds(
    Item,
    sku=st.sampled_from(SKUS),
    quantity=st.integers(min_value=1, max_value=4),
    price=money,
    costs=st.one_of(st.just(()), costs),
)
apps = st.sampled_from(APPLICATIONS)
anywhere = st.tuples(apps, st.sampled_from(SESSION_IDS))
profile_ids = st.sampled_from(PROFILE_IDS)


def targets(keys: list[tuple[int, str]], *, weight: int = 3) -> st.SearchStrategy[tuple[int, str]]:
    """Mostly one of `keys` (sessions where the call can succeed), sometimes any session at all."""
    if not keys:
        return anywhere
    return st.one_of(*[st.sampled_from(keys)] * weight, anywhere)


@st.composite
def put_sessions(draw: st.DrawFn, model: "Model") -> PutSession:
    app, session = draw(targets(sorted(model.sessions), weight=1))
    return PutSession(
        app=app,
        session=session,
        # None: no profileId sent; "": anonymous.
        profile=draw(st.sampled_from((None, "", *PROFILE_IDS))),
        state=draw(
            st.sampled_from((None, "open", "closed", "closed", "closed", "cancelled", "partially_returned"))
        ),
        # None keeps the stored cart; () empties it.
        items=draw(
            st.one_of(
                st.lists(items, min_size=1, max_size=3).map(tuple),
                st.lists(items, min_size=1, max_size=3).map(tuple),
                st.lists(items, min_size=1, max_size=3).map(tuple),
                st.none(),
                st.none(),
                st.just(()),
            )
        ),
        costs=draw(st.one_of(st.none(), costs)),
        dry=draw(st.sampled_from((False, False, True))),
    )


@st.composite
def return_items(draw: st.DrawFn, model: "Model") -> ReturnItems:
    counted = sorted(key for key, session in model.sessions.items() if session.state in COUNTED)
    app, session = draw(targets(counted))
    stored = model.sessions.get((app, session))
    size = len(stored.items) if stored else 0
    skus = sorted({item.sku for item in stored.items}) if stored and stored.items else list(SKUS)
    # Mostly one unit or all that is left; sometimes none, or more than the cart holds.
    quantity = st.one_of(st.just(1), st.none(), st.integers(min_value=0, max_value=6))
    by_position = st.builds(
        ReturnLine,
        position=st.integers(min_value=0, max_value=max(size - 1, 0)),
        sku=st.none(),
        quantity=quantity,
    )
    by_sku = st.builds(ReturnLine, position=st.none(), sku=st.sampled_from(skus), quantity=quantity)
    anyhow = st.builds(
        ReturnLine,
        position=st.one_of(st.none(), st.integers(min_value=-1, max_value=size)),
        sku=st.one_of(st.none(), st.sampled_from(SKUS)),
        quantity=quantity,
    )
    lines = st.one_of(
        st.lists(st.one_of(by_position, by_position, by_sku, anyhow), min_size=1, max_size=2).map(tuple),
        st.lists(st.one_of(by_position, by_sku), min_size=1, max_size=1).map(tuple),
        st.just(()),
    )
    return ReturnItems(
        app=app, session=session, lines=draw(lines), dry=draw(st.sampled_from((False, False, True)))
    )


def returnable_units(model: "Model") -> st.SearchStrategy[ReturnItems]:
    """A return that can succeed: some units of an item that has units left."""
    candidates = [
        (key, position, item.remaining)
        for key, session in sorted(model.sessions.items())
        if session.state in COUNTED
        for position, item in enumerate(session.items)
        if item.remaining > 0
    ]
    if not candidates:
        return return_items(model)
    return st.sampled_from(candidates).flatmap(
        lambda found: st.builds(
            ReturnItems,
            app=st.just(found[0][0]),
            session=st.just(found[0][1]),
            lines=st.integers(min_value=1, max_value=found[2]).map(
                lambda quantity: (ReturnLine(found[1], None, quantity),)
            ),
            dry=st.sampled_from((False, False, True)),
        )
    )


# A few orders to start from, so returns, cancels and reopens have something to act on.
orders = st.lists(
    st.builds(
        PutSession,
        app=apps,
        session=st.sampled_from(SESSION_IDS),
        profile=st.sampled_from(("", *PROFILE_IDS)),
        state=st.just("closed"),
        items=st.lists(items, min_size=1, max_size=3).map(tuple),
        costs=st.one_of(st.none(), costs),
        dry=st.just(False),
    ),
    min_size=1,
    max_size=4,
)


def operations_for(model: "Model") -> st.SearchStrategy[Operation]:
    closed = sorted(key for key, session in model.sessions.items() if session.state == "closed")
    return st.one_of(
        put_sessions(model),
        put_sessions(model),
        put_sessions(model),
        return_items(model),
        return_items(model),
        returnable_units(model),
        returnable_units(model),
        targets(closed).map(lambda key: Reopen(*key)),
        st.builds(
            UpdateProfile,
            app=apps,
            profile=profile_ids,
            run_rule_engine=st.booleans(),
            dry=st.booleans(),
            unknown_audience=st.sampled_from((False, False, True)),
        ),
        st.builds(
            TrackEvent,
            app=apps,
            profile=profile_ids,
            built_in_type=st.sampled_from((False, False, True)),
            dry=st.booleans(),
        ),
    )


# --- the reference model --------------------------------------------------------------------------


class ForbiddenCallError(Exception):
    """The spec forbids the call: patron must raise a PatronError and change nothing."""


@dataclass
class ModelItem:
    sku: str
    quantity: int
    price: Decimal
    costs: dict[str, Decimal]
    returned: int = 0

    @property
    def remaining(self) -> int:
        return self.quantity - self.returned

    @property
    def unit_value(self) -> Decimal:
        """A unit's price plus its own additional costs (item costs are per unit: SEMANTICS 20.7)."""
        return self.price + sum(self.costs.values(), Decimal(0))


@dataclass
class ModelSession:
    profile: str
    state: str
    items: list[ModelItem]
    costs: dict[str, Decimal]
    update_count: int

    @property
    def total(self) -> Decimal:
        """The whole cart as sent: returns never shrink it (SEMANTICS 6.6)."""
        units = sum((item.unit_value * item.quantity for item in self.items), Decimal(0))
        return units + sum(self.costs.values(), Decimal(0))

    @property
    def counted_value(self) -> Decimal:
        """What the session adds to totalSales while counted: remaining units plus session costs."""
        units = sum((item.unit_value * item.remaining for item in self.items), Decimal(0))
        return units + sum(self.costs.values(), Decimal(0))


@dataclass
class Model:
    sessions: dict[tuple[int, str], ModelSession] = field(default_factory=dict)
    profiles: set[tuple[bool, str]] = field(default_factory=set)

    def counters(self, sandbox: bool, profile: str) -> tuple[int, Decimal]:
        counted = [
            session
            for (app, _), session in self.sessions.items()
            if SANDBOX[app] == sandbox and session.profile == profile and session.state in COUNTED
        ]
        return len(counted), sum((session.counted_value for session in counted), Decimal(0))

    def apply(self, op: Operation) -> "Model":
        """The model after `op` as if it were stored (also for a dry op); or raise ForbiddenCallError."""
        after = copy.deepcopy(self)
        if isinstance(op, PutSession):
            after._put(op)
        elif isinstance(op, ReturnItems):
            after._return(op)
        elif isinstance(op, Reopen):
            after._reopen(op)
        elif isinstance(op, UpdateProfile):
            if op.unknown_audience:
                raise ForbiddenCallError
            after.profiles.add((SANDBOX[op.app], op.profile))
        else:
            if op.built_in_type:
                raise ForbiddenCallError
            after.profiles.add((SANDBOX[op.app], op.profile))
        return after

    def _put(self, op: PutSession) -> None:
        stored = self.sessions.get((op.app, op.session))
        target = op.state or "open"
        new_items = None if op.items is None else [_model_item(item) for item in op.items]
        new_costs = None if op.costs is None else dict(op.costs)
        if stored is None:
            if target not in ("open", "closed"):
                raise ForbiddenCallError
            session = ModelSession(op.profile or "", target, new_items or [], new_costs or {}, 1)
        elif (stored.state, target) not in PUT_TRANSITIONS:
            raise ForbiddenCallError
        elif stored.state == "open":
            # A dry close is evaluated on the request payload alone (SEMANTICS 11.2).
            payload_only = op.dry and target == "closed"
            base_items = [] if payload_only else stored.items
            base_costs = {} if payload_only else stored.costs
            session = ModelSession(
                stored.profile if op.profile is None else op.profile,
                target,
                base_items if new_items is None else new_items,
                base_costs if new_costs is None else new_costs,
                stored.update_count + 1,
            )
        else:
            # Closed sessions are frozen: only a cancel, and never a change of owner (SEMANTICS 20.31).
            if op.profile not in (None, stored.profile):
                raise ForbiddenCallError
            session = stored
            session.state = target
            session.update_count += 1
        self.sessions[(op.app, op.session)] = session
        if session.profile:
            self.profiles.add((SANDBOX[op.app], session.profile))

    def _return(self, op: ReturnItems) -> None:
        session = self.sessions.get((op.app, op.session))
        if session is None or session.state not in COUNTED or not op.lines:
            raise ForbiddenCallError
        wanted = Counter[int]()
        for line in op.lines:
            if line.position is not None:
                if not 0 <= line.position < len(session.items):
                    raise ForbiddenCallError
                if line.sku is not None and session.items[line.position].sku != line.sku:
                    raise ForbiddenCallError
                position = line.position
            elif line.sku is None:
                raise ForbiddenCallError
            else:
                # By sku: the first item of that sku with units left (SEMANTICS 9.2).
                found = [
                    index
                    for index, item in enumerate(session.items)
                    if item.sku == line.sku and item.remaining - wanted[index] > 0
                ]
                if not found:
                    raise ForbiddenCallError
                position = found[0]
            left = session.items[position].remaining - wanted[position]
            quantity = left if line.quantity is None else line.quantity
            if quantity < 1:
                raise ForbiddenCallError
            wanted[position] += quantity
        # More than remains, summed over the request, refuses the whole return.
        if any(quantity > session.items[position].remaining for position, quantity in wanted.items()):
            raise ForbiddenCallError
        for position, quantity in wanted.items():
            session.items[position].returned += quantity
        session.state = "partially_returned"
        session.update_count += 1

    def _reopen(self, op: Reopen) -> None:
        session = self.sessions.get((op.app, op.session))
        if session is None or session.state != "closed":
            raise ForbiddenCallError
        session.state = "open"
        session.update_count += 1


def _model_item(item: Item) -> ModelItem:
    return ModelItem(item.sku, item.quantity, item.price, dict(item.costs))


# --- driving patron -------------------------------------------------------------------------------


@dataclass(frozen=True)
class World:
    store: Store
    account_id: int
    scopes: tuple[ApplicationScope, ...]

    @property
    def application_ids(self) -> list[int]:
        return [scope.application_id for scope in self.scopes]


def new_world(store: Store) -> World:
    tenant = create_tenant(store, name=f"Tenant {next(_counter)}")
    second_id, _ = create_application(store, tenant.account_id, name="Second sandbox", sandbox=True)
    return World(
        store,
        tenant.account_id,
        (
            ApplicationScope(tenant.account_id, tenant.sandbox_application_id, True),
            ApplicationScope(tenant.account_id, second_id, True),
            ApplicationScope(tenant.account_id, tenant.live_application_id, False),
        ),
    )


# The Integration API's operations: which decides whether a call runs in a read-only transaction.
OPERATIONS: Final = {operation.operation_id: operation for operation in integration_api.operations}


def api_call(op: Operation) -> tuple[str, dict[str, Any]]:
    """The Integration API operation that makes the call, and its parameters as they would be sent."""
    if isinstance(op, PutSession):
        return "updateCustomerSessionV2", {"customerSessionId": op.session, "dry": op.dry}
    if isinstance(op, ReturnItems):
        return "returnCartItems", {"customerSessionId": op.session, "dry": op.dry}
    if isinstance(op, Reopen):
        return "reopenCustomerSession", {"customerSessionId": op.session}
    if isinstance(op, UpdateProfile):
        return "updateCustomerProfileV2", {
            "integrationId": op.profile,
            "runRuleEngine": op.run_rule_engine,
            "dry": op.dry,
        }
    return "trackEventV2", {"dry": op.dry}


def perform(world: World, op: Operation, step: int) -> IntegrationState:
    """The call in the transaction the Integration API opens for it: read-only when its operation
    finds it dry, and with the operation's subject."""
    operation_id, params = api_call(op)
    operation = OPERATIONS[operation_id]
    call = Call(msgspec.convert(params, operation.params), None, world.store.database.settings)

    async def run() -> IntegrationState:
        async with world.store.database.transaction(
            write=not operation.dry(call), subject=operation.subject
        ) as tx:
            return await use_case(tx, world, op, step)

    return world.store.run(run)


async def use_case(tx: Transaction, world: World, op: Operation, step: int) -> IntegrationState:
    now = NOW + timedelta(seconds=step)
    scope = world.scopes[op.app]
    if isinstance(op, PutSession):
        update = SessionUpdate(
            profile_id=op.profile,
            state=None if op.state is None else SessionState(op.state),
            cart_items=None
            if op.items is None
            else tuple(
                CartItem(sku=i.sku, quantity=i.quantity, price=i.price, additional_costs=dict(i.costs))
                for i in op.items
            ),
            additional_costs=None if op.costs is None else dict(op.costs),
        )
        return await sessions.update_customer_session(tx, scope, op.session, update, now=now)
    if isinstance(op, ReturnItems):
        lines = [ReturnRequestItem(line.position, line.sku, line.quantity) for line in op.lines]
        return await sessions.return_cart_items(tx, scope, op.session, lines, now=now)
    if isinstance(op, Reopen):
        return await sessions.reopen_customer_session(tx, scope, op.session, now=now)
    if isinstance(op, UpdateProfile):
        return await profiles.update_customer_profile(
            tx,
            scope,
            op.profile,
            new_attributes=None,
            audiences_changes=AudiencesChanges(adds=(999_999,)) if op.unknown_audience else None,
            run_rule_engine=op.run_rule_engine,
            now=now,
        )
    return await events.track_event(
        tx,
        scope,
        profile_id=op.profile,
        event_type="talon_session_created" if op.built_in_type else "wishlist_updated",
        attributes={},
        now=now,
    )


def attempt(world: World, op: Operation, step: int) -> IntegrationState | PatronError:
    try:
        return perform(world, op, step)
    except PatronError as error:
        return error


def is_dry(op: Operation) -> bool:
    """Whether the call stores nothing: a profile PUT is dry only with the rule engine (SEMANTICS 11.1)."""
    if isinstance(op, UpdateProfile):
        return op.dry and op.run_rule_engine
    return getattr(op, "dry", False)


def owner(op: Operation, after: Model) -> str:
    """The profile the call charges or touches ("" for none)."""
    if isinstance(op, UpdateProfile | TrackEvent):
        return op.profile
    session = after.sessions.get((op.app, op.session))
    return "" if session is None else session.profile


def snapshot(world: World) -> dict[str, list[dict[str, Any]]]:
    """Every stored row the tenant's calls could touch, table by table."""
    apps = world.application_ids
    in_apps = f"application_id IN ({', '.join('?' * len(apps))})"
    wanted: list[tuple[Table, str, list[Any]]] = [
        (tables.customer_profiles, "account_id = ?", [world.account_id]),
        (tables.customer_sessions, in_apps, apps),
        (tables.returns, in_apps, apps),
        (tables.events, in_apps, apps),
        (tables.application_customers, in_apps, apps),
    ]

    async def read(tx: Transaction) -> dict[str, list[dict[str, Any]]]:
        found: dict[str, list[dict[str, Any]]] = {}
        for table, condition, args in wanted:
            rows = await tx.all(f"SELECT * FROM {table.name} WHERE {condition}", *args)
            found[table.name] = sorted((_values(tx, table, row) for row in rows), key=repr)
        return found

    return world.store.read(read)


def _values(tx: Transaction, table: Table, row: Row) -> dict[str, Any]:
    """A row by column name, with each value as its column's type means it (whatever the database)."""
    values: dict[str, Any] = {}
    for column in table.columns:
        value = row[column.name]
        if value is not None:
            if isinstance(column.type, Money):
                value = tx.read_money(value)
            elif isinstance(column.type, UtcDateTime):
                value = tx.read_time(value)
            elif isinstance(column.type, JSON):
                value = tx.read_json(value)
            elif isinstance(column.type, Boolean):
                value = bool(value)
        values[column.name] = value
    return values


async def drift(tx: Transaction) -> list[Drift]:
    return [found async for found in find_drift(tx)]


def check_against_model(world: World, model: Model) -> None:
    stored = snapshot(world)
    found_profiles = {(row["sandbox"], row["integration_id"]): row for row in stored["customer_profiles"]}
    assert set(found_profiles) == model.profiles
    for (sandbox, profile), row in found_profiles.items():
        closed, sales = model.counters(sandbox, profile)
        assert (row["closed_sessions"], row["total_sales"]) == (closed, sales), (sandbox, profile)
    app_index = {scope.application_id: index for index, scope in enumerate(world.scopes)}
    found_sessions = {
        (app_index[row["application_id"]], row["integration_id"]): row for row in stored["customer_sessions"]
    }
    assert set(found_sessions) == set(model.sessions)
    for key, row in found_sessions.items():
        expected = model.sessions[key]
        assert row["state"] == expected.state, key
        assert row["profile_integration_id"] == expected.profile, key
        assert row["update_count"] == expected.update_count, key
        assert row["total"] == expected.total, key
        assert [item["returnedQuantity"] for item in row["cart_items"]] == [
            item.returned for item in expected.items
        ], key


def check_profile_shown(state: IntegrationState, model: Model, op: Operation) -> None:
    """The profile in the answer carries the counters as they are (or, dry, as they would be)."""
    profile = owner(op, model)
    if not profile:
        assert state.profile is None
        return
    assert state.profile is not None
    expected = model.counters(SANDBOX[op.app], profile)
    assert (state.profile.closed_sessions, state.profile.total_sales) == expected


@settings(
    max_examples=40,
    deadline=None,
    # Every example touches the database: skip the explain phase, which replays a failure many times.
    phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_random_calls_keep_every_profile_counter_exact_and_refusals_change_nothing(
    store: Store, data: st.DataObject
) -> None:
    world = new_world(store)
    model = Model()
    first: list[Operation] = list(data.draw(orders, label="orders"))
    for step in range(len(first) + data.draw(st.integers(min_value=0, max_value=30), label="calls")):
        op = first[step] if step < len(first) else data.draw(operations_for(model), label=f"call {step}")
        try:
            expected: Model | None = model.apply(op)
        except ForbiddenCallError:
            expected = None
        before = snapshot(world)
        outcome = attempt(world, op, step)
        event(f"{type(op).__name__}: {'refused' if expected is None else 'dry' if is_dry(op) else 'stored'}")
        if isinstance(outcome, PatronError):
            assert expected is None, (
                f"step {step}: {op} was refused ({outcome.message}) but the spec allows it"
            )
            assert snapshot(world) == before, f"step {step}: refused {op} changed stored data"
            continue
        assert expected is not None, f"step {step}: {op} was accepted but the spec forbids it"
        if is_dry(op):
            assert snapshot(world) == before, f"step {step}: dry {op} changed stored data"
        else:
            model = expected
        check_profile_shown(outcome, expected, op)

    assert store.read(drift) == []
    check_against_model(world, model)
