"""Test data: plain functions with keyword defaults."""

from dataclasses import dataclass
from datetime import UTC, datetime

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
