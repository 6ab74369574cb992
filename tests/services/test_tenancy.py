"""Authentication remembers the scopes of keys it has found, and nothing else."""

import pytest

from patron.domain.tenancy import AccountScope, ApplicationScope
from patron.errors import UnauthorizedError
from patron.services import tenancy
from patron.store.engine import Engine
from patron.store.unit_of_work import UnitOfWork
from tests.factories import create_tenant


def test_a_found_integration_key_is_remembered_with_its_scope(engine: Engine) -> None:
    tenant = create_tenant(engine)
    known = tenancy.KnownKeys[ApplicationScope]()
    assert known.get(tenant.live_key) is None

    scope = tenancy.authenticate_integration_key(UnitOfWork(engine), tenant.live_key, known)

    assert scope == ApplicationScope(tenant.account_id, tenant.live_application_id, sandbox=False)
    assert known.get(tenant.live_key) == scope
    assert known.get(tenant.sandbox_key) is None


def test_a_wrong_key_is_refused_and_not_remembered(engine: Engine) -> None:
    tenant = create_tenant(engine)
    known = tenancy.KnownKeys[AccountScope]()

    with pytest.raises(UnauthorizedError):
        tenancy.authenticate_management_key(UnitOfWork(engine), tenant.management_key + "0", known)

    assert known.get(tenant.management_key + "0") is None
    scope = tenancy.authenticate_management_key(UnitOfWork(engine), tenant.management_key, known)
    assert known.get(tenant.management_key) == scope == AccountScope(tenant.account_id)


def test_past_its_limit_the_oldest_key_is_forgotten() -> None:
    known = tenancy.KnownKeys[AccountScope](limit=2)
    for n in range(3):
        known.remember(f"key-{n}", AccountScope(n))

    assert [known.get(f"key-{n}") for n in range(3)] == [None, AccountScope(1), AccountScope(2)]
