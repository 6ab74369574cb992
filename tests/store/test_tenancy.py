import pytest

from patron.domain.tenancy import Account
from patron.services import tenancy
from patron.store.database import Transaction
from patron.store.tables import metadata
from tests.factories import NOW, Store, create_tenant


def test_an_application_reads_back_equal(store: Store) -> None:
    tenant = create_tenant(store)

    application = store.read(lambda tx: tx.applications.get(tenant.sandbox_application_id))

    assert application is not None
    assert (application.account_id, application.sandbox, application.currency) == (
        tenant.account_id,
        True,
        "EUR",
    )
    assert application.created == NOW


def test_nothing_is_written_without_a_normal_exit(store: Store) -> None:
    async def add_then_fail(tx: Transaction) -> None:
        await tx.accounts.add(Account(id=0, name="ghost", created=NOW))
        raise RuntimeError("the use case failed")

    with pytest.raises(RuntimeError):
        store.write(add_then_fail)

    assert store.read(tenancy.is_empty)


def test_keys_are_stored_only_as_digests(store: Store) -> None:
    tenant = create_tenant(store)
    secrets = [tenant.management_key, tenant.sandbox_key, tenant.live_key]

    async def dump(tx: Transaction) -> str:
        found = []
        for table in metadata.sorted_tables:
            for row in await tx.all(f"SELECT * FROM {table.name}"):
                found.append(repr([row[index] for index in range(len(table.columns))]))
        return "\n".join(found)

    stored = store.read(dump)

    assert tenant.sandbox_key[:8] not in stored
    assert not any(secret in stored for secret in secrets)


def test_keys_authenticate_their_own_scope_only(store: Store) -> None:
    tenant = create_tenant(store)

    sandbox = store.run(lambda: tenancy.authenticate_integration_key(store.database, tenant.sandbox_key))
    live = store.run(lambda: tenancy.authenticate_integration_key(store.database, tenant.live_key))
    account = store.run(lambda: tenancy.authenticate_management_key(store.database, tenant.management_key))

    assert (sandbox.application_id, sandbox.sandbox) == (tenant.sandbox_application_id, True)
    assert (live.application_id, live.sandbox) == (tenant.live_application_id, False)
    assert account.account_id == tenant.account_id == sandbox.account_id
