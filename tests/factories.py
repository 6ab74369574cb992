"""Test data: plain functions with keyword defaults."""

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

from patron.domain.sessions import CartItem, CustomerSession, SessionState
from patron.services import tenancy
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


def create_tenant(engine: Engine, *, name: str = "Acme") -> Tenant:
    uow = UnitOfWork(engine, write=True)
    account = tenancy.create_account(uow, name, now=NOW)
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
