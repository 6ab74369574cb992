"""Authentication remembers the scopes of keys it has found, and nothing else."""

from concurrent.futures import ThreadPoolExecutor

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


def test_many_threads_remembering_past_the_limit_keep_it() -> None:
    known = tenancy.KnownKeys[AccountScope](limit=8)

    def remember(thread: int) -> None:
        for n in range(500):
            known.remember(f"key-{thread}-{n}", AccountScope(n))

    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(remember, range(4)))

    remembered = [n for t in range(4) for n in range(500) if known.get(f"key-{t}-{n}") is not None]
    assert len(remembered) == 8
