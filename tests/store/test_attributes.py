import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

from patron.config import Settings
from patron.domain.attribute_definitions import AttributeType, Entity
from patron.store.database import Transaction, open_database
from tests.factories import Store, create_tenant, define_attribute

T = TypeVar("T")


def _names(store: Store, account_id: int) -> set[str]:
    async def names(tx: Transaction) -> set[str]:
        definitions = await tx.attributes.list_for_account(account_id, entity=Entity.CUSTOMER_PROFILE)
        return {definition.name for definition in definitions}

    return store.read(names)


def test_an_attribute_defined_by_another_process_is_listed_at_once(store: Store, settings: Settings) -> None:
    tenant = create_tenant(store)
    assert "Tier" not in _names(store, tenant.account_id)  # this database has now read the list once
    # Another process: a Database of its own (its own connections, its own Known), on its own loop.
    with asyncio.Runner() as runner:

        def run(work: Callable[[], Awaitable[T]]) -> T:
            async def call() -> T:
                return await work()

            return runner.run(call())

        other_process = Store(run, runner.run(open_database(settings)))
        try:
            define_attribute(
                other_process, tenant.account_id, Entity.CUSTOMER_PROFILE, "Tier", AttributeType.STRING
            )
        finally:
            runner.run(other_process.database.close())

    assert "Tier" in _names(store, tenant.account_id)


def test_each_account_lists_its_own_definitions(store: Store) -> None:
    first = create_tenant(store, name="First")
    second = create_tenant(store, name="Second")
    define_attribute(store, first.account_id, Entity.CUSTOMER_PROFILE, "Tier", AttributeType.STRING)

    assert "Tier" in _names(store, first.account_id)
    assert "Tier" not in _names(store, second.account_id)
    assert "Tier" in _names(store, first.account_id)
