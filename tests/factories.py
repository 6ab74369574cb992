"""Test data: plain functions with keyword defaults, and the database from a test's side."""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, TypeVar

from starlette.testclient import TestClient

from patron.domain.attribute_definitions import AttributeDefinition, AttributeType, Entity
from patron.domain.sessions import CartItem, CustomerSession, SessionState
from patron.domain.tenancy import AccountScope
from patron.services import attributes, tenancy
from patron.store.database import Database, Transaction

NOW = datetime(2026, 1, 2, 3, 4, 5, 678000, tzinfo=UTC)
T = TypeVar("T")


class Store:
    """A database opened on some event loop, used from a test's plain (synchronous) code.

    `run(work)` calls the coroutine function `work` on that loop and returns its result: the
    server's loop for a TestClient (`Store.of(client)`), or a loop of the test's own (the `store`
    fixture).
    """

    def __init__(self, run: Callable[[Callable[[], Awaitable[Any]]], Any], database: Database) -> None:
        self._run = run
        self.database = database

    @classmethod
    def of(cls, client: TestClient) -> "Store":
        portal = client.portal
        assert portal is not None, "use the TestClient inside its `with` block"
        return cls(portal.call, client.app.state.database)  # type: ignore[attr-defined]

    def run(self, work: Callable[[], Awaitable[T]]) -> T:
        """Run `work()` on the database's loop."""
        result: T = self._run(work)
        return result

    def write(self, work: Callable[[Transaction], Awaitable[T]]) -> T:
        """Run `work(tx)` in one write transaction (committed when it returns)."""

        async def transaction() -> T:
            async with self.database.transaction(write=True) as tx:
                return await work(tx)

        return self.run(transaction)

    def read(self, work: Callable[[Transaction], Awaitable[T]]) -> T:
        async def transaction() -> T:
            async with self.database.transaction(write=False) as tx:
                return await work(tx)

        return self.run(transaction)


@dataclass(frozen=True)
class Tenant:
    """An account with a sandbox Application, a live Application and all their keys."""

    account_id: int
    management_key: str
    sandbox_application_id: int
    sandbox_key: str
    live_application_id: int
    live_key: str


# Custom attributes every test tenant defines, by entity (and event type): name -> type.
TEST_ATTRIBUTES: dict[tuple[Entity, str | None], dict[str, AttributeType]] = {
    (Entity.CUSTOMER_PROFILE, None): {
        "a": AttributeType.NUMBER,
        "b": AttributeType.STRING,
        "c": AttributeType.LIST_NUMBER,
        "keep": AttributeType.BOOLEAN,
        "n": AttributeType.NUMBER,
        "x": AttributeType.NUMBER,
    },
    (Entity.CUSTOMER_SESSION, None): {"channel": AttributeType.STRING},
    (Entity.CART_ITEM, None): {"color": AttributeType.STRING},
    (Entity.EVENT, "pageViewed"): {"page": AttributeType.STRING},
}


def definition(
    account_id: int, entity: Entity, name: str, kind: AttributeType, *, event_type: str | None = None
) -> AttributeDefinition:
    return AttributeDefinition(
        id=0,
        account_id=account_id,
        entity=entity,
        name=name,
        title=name,
        type=kind,
        created=NOW,
        event_type=event_type,
    )


def define_attribute(
    store: Store,
    account_id: int,
    entity: Entity,
    name: str,
    kind: AttributeType,
    *,
    event_type: str | None = None,
) -> AttributeDefinition:
    new = definition(account_id, entity, name, kind, event_type=event_type)
    return store.write(lambda tx: attributes.create_attribute(tx, AccountScope(account_id), new))


async def make_tenant(tx: Transaction, *, name: str = "Acme") -> Tenant:
    """In one transaction: an account with TEST_ATTRIBUTES defined, a sandbox and a live Application."""
    account = await tenancy.create_account(tx, name, now=NOW)
    for (entity, event_type), names in TEST_ATTRIBUTES.items():
        for attribute_name, kind in names.items():
            new = definition(account.account.id, entity, attribute_name, kind, event_type=event_type)
            await attributes.create_attribute(tx, AccountScope(account.account.id), new)
    sandbox = await tenancy.create_application(
        tx, account_id=account.account.id, name=f"{name} sandbox", sandbox=True, now=NOW
    )
    live = await tenancy.create_application(
        tx, account_id=account.account.id, name=f"{name} live", sandbox=False, now=NOW
    )
    return Tenant(
        account_id=account.account.id,
        management_key=account.management_key,
        sandbox_application_id=sandbox.application.id,
        sandbox_key=sandbox.api_key,
        live_application_id=live.application.id,
        live_key=live.api_key,
    )


def create_tenant(store: Store, *, name: str = "Acme") -> Tenant:
    return store.write(lambda tx: make_tenant(tx, name=name))


def create_application(store: Store, account_id: int, *, name: str, sandbox: bool) -> tuple[int, str]:
    """Another Application of the account: its id and its API key."""
    created = store.write(
        lambda tx: tenancy.create_application(tx, account_id=account_id, name=name, sandbox=sandbox, now=NOW)
    )
    return created.application.id, created.api_key


def make_item(*, sku: str = "SKU-1", quantity: int = 1, price: str = "10.00", **costs: str) -> CartItem:
    return CartItem(
        sku=sku,
        quantity=quantity,
        price=Decimal(price),
        additional_costs={name: Decimal(value) for name, value in costs.items()},
    )


def make_session(
    *,
    state: SessionState = SessionState.OPEN,
    profile_id: str = "profile-1",
    items: tuple[CartItem, ...] = (),
    contribution: str = "0",
    **costs: str,
) -> CustomerSession:
    return CustomerSession(
        id=1,
        application_id=1,
        integration_id="session-1",
        profile_id=profile_id,
        state=state,
        created=NOW,
        updated=NOW,
        cart_items=items,
        additional_costs={name: Decimal(value) for name, value in costs.items()},
        contribution=Decimal(contribution),
    )
