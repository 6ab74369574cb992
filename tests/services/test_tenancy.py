"""Authentication remembers the scopes of keys it has found, and nothing else."""

import asyncio
from functools import partial

import pytest

from patron.domain import keys
from patron.domain.tenancy import AccountScope, ApplicationScope
from patron.errors import UnauthorizedError
from patron.services import tenancy
from tests.factories import Store, create_application, create_tenant


def test_a_found_integration_key_is_remembered_with_its_scope(store: Store) -> None:
    tenant = create_tenant(store)
    known = store.database.known.integration_keys
    assert keys.digest(tenant.live_key) not in known

    scope = store.run(lambda: tenancy.authenticate_integration_key(store.database, tenant.live_key))

    assert scope == ApplicationScope(tenant.account_id, tenant.live_application_id, sandbox=False)
    assert known.get(keys.digest(tenant.live_key)) == scope
    assert keys.digest(tenant.sandbox_key) not in known


def test_a_wrong_key_is_refused_and_not_remembered(store: Store) -> None:
    tenant = create_tenant(store)
    known = store.database.known.management_keys
    wrong = tenant.management_key + "0"

    with pytest.raises(UnauthorizedError):
        store.run(lambda: tenancy.authenticate_management_key(store.database, wrong))

    assert keys.digest(wrong) not in known
    scope = store.run(lambda: tenancy.authenticate_management_key(store.database, tenant.management_key))
    assert known.get(keys.digest(tenant.management_key)) == scope == AccountScope(tenant.account_id)


def test_past_its_limit_the_oldest_key_is_forgotten(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tenancy, "KNOWN_KEYS_LIMIT", 2)
    tenant = create_tenant(store)
    third_id, third_key = create_application(store, tenant.account_id, name="Third", sandbox=True)
    in_turn = [tenant.sandbox_key, tenant.live_key, third_key]
    for key in in_turn:
        store.run(partial(tenancy.authenticate_integration_key, store.database, key))

    known = store.database.known.integration_keys
    assert [known.get(keys.digest(key)) for key in in_turn] == [
        None,
        ApplicationScope(tenant.account_id, tenant.live_application_id, sandbox=False),
        ApplicationScope(tenant.account_id, third_id, sandbox=True),
    ]
    # A forgotten key is looked up again.
    scope = store.run(lambda: tenancy.authenticate_integration_key(store.database, tenant.sandbox_key))
    assert scope == ApplicationScope(tenant.account_id, tenant.sandbox_application_id, sandbox=True)


def test_many_concurrent_authentications_past_the_limit_keep_it(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tenancy, "KNOWN_KEYS_LIMIT", 8)
    tenant = create_tenant(store)
    api_keys = [
        create_application(store, tenant.account_id, name=f"App {n}", sandbox=True)[1] for n in range(16)
    ]

    async def authenticate_all() -> list[ApplicationScope]:
        calls = [tenancy.authenticate_integration_key(store.database, key) for key in api_keys * 4]
        return await asyncio.gather(*calls)

    scopes = store.run(authenticate_all)

    assert len(set(scopes)) == 16
    remembered = [key for key in api_keys if keys.digest(key) in store.database.known.integration_keys]
    assert len(remembered) == len(store.database.known.integration_keys) == 8
