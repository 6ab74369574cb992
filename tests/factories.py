"""Test data: plain functions with keyword defaults."""

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

from patron.domain.attribute_definitions import AttributeDefinition, AttributeType, Entity
from patron.domain.sessions import CartItem, CustomerSession, SessionState
from patron.domain.tenancy import AccountScope
from patron.services import attributes, tenancy
from patron.store.engine import Engine
from patron.store.unit_of_work import UnitOfWork

NOW = datetime(2026, 1, 2, 3, 4, 5, 678000, tzinfo=UTC)


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


def define_attribute(
    engine: Engine,
    account_id: int,
    entity: Entity,
    name: str,
    kind: AttributeType,
    *,
    event_type: str | None = None,
) -> AttributeDefinition:
    definition = AttributeDefinition(
        id=0,
        account_id=account_id,
        entity=entity,
        name=name,
        title=name,
        type=kind,
        created=NOW,
        event_type=event_type,
    )
    return attributes.create_attribute(UnitOfWork(engine, write=True), AccountScope(account_id), definition)


def create_tenant(engine: Engine, *, name: str = "Acme") -> Tenant:
    """An account with TEST_ATTRIBUTES defined, a sandbox and a live Application."""
    uow = UnitOfWork(engine, write=True)
    account = tenancy.create_account(uow, name, now=NOW)
    for (entity, event_type), names in TEST_ATTRIBUTES.items():
        for attribute_name, kind in names.items():
            define_attribute(engine, account.account.id, entity, attribute_name, kind, event_type=event_type)
    sandbox = tenancy.create_application(
        uow, account_id=account.account.id, name=f"{name} sandbox", sandbox=True, now=NOW
    )
    live = tenancy.create_application(
        uow, account_id=account.account.id, name=f"{name} live", sandbox=False, now=NOW
    )
    return Tenant(
        account_id=account.account.id,
        management_key=account.management_key,
        sandbox_application_id=sandbox.application.id,
        sandbox_key=sandbox.api_key,
        live_application_id=live.application.id,
        live_key=live.api_key,
    )


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
