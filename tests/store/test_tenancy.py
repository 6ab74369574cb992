from sqlalchemy import text

from patron.domain.tenancy import Account
from patron.services import tenancy
from patron.store.engine import Engine
from patron.store.tables import metadata
from patron.store.unit_of_work import UnitOfWork
from tests.factories import NOW, create_tenant


def test_an_application_reads_back_equal(engine: Engine) -> None:
    tenant = create_tenant(engine)

    with UnitOfWork(engine) as uow:
        application = uow.applications.get(tenant.sandbox_application_id)

    assert application is not None
    assert (application.account_id, application.sandbox, application.currency) == (
        tenant.account_id,
        True,
        "EUR",
    )
    assert application.created == NOW


def test_nothing_is_written_without_commit(engine: Engine) -> None:
    with UnitOfWork(engine, write=True) as uow:
        uow.accounts.add(Account(id=0, name="ghost", created=NOW))

    assert tenancy.is_empty(UnitOfWork(engine))


def test_keys_are_stored_only_as_digests(engine: Engine) -> None:
    tenant = create_tenant(engine)
    secrets = [tenant.management_key, tenant.sandbox_key, tenant.live_key]

    with engine.connect() as connection:
        dump = "\n".join(
            repr(row)
            for table in metadata.sorted_tables
            for row in connection.execute(text(f"SELECT * FROM {table.name}"))
        )

    assert tenant.sandbox_key[:8] not in dump
    assert not any(secret in dump for secret in secrets)


def test_keys_authenticate_their_own_scope_only(engine: Engine) -> None:
    tenant = create_tenant(engine)

    sandbox = tenancy.authenticate_integration_key(UnitOfWork(engine), tenant.sandbox_key)
    live = tenancy.authenticate_integration_key(UnitOfWork(engine), tenant.live_key)
    account = tenancy.authenticate_management_key(UnitOfWork(engine), tenant.management_key)

    assert (sandbox.application_id, sandbox.sandbox) == (tenant.sandbox_application_id, True)
    assert (live.application_id, live.sandbox) == (tenant.live_application_id, False)
    assert account.account_id == tenant.account_id == sandbox.account_id
