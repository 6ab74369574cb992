from patron.config import Settings
from patron.domain.attribute_definitions import AttributeType, Entity
from patron.store.engine import Engine, make_engine
from patron.store.unit_of_work import UnitOfWork
from tests.factories import create_tenant, define_attribute


def _names(engine: Engine, account_id: int) -> set[str]:
    with UnitOfWork(engine) as uow:
        return {d.name for d in uow.attributes.list_for_account(account_id, entity=Entity.CUSTOMER_PROFILE)}


def test_an_attribute_defined_by_another_process_is_listed_at_once(
    engine: Engine, settings: Settings
) -> None:
    tenant = create_tenant(engine)
    assert "Tier" not in _names(engine, tenant.account_id)  # this engine has now built the list once
    other_process = make_engine(settings)

    define_attribute(other_process, tenant.account_id, Entity.CUSTOMER_PROFILE, "Tier", AttributeType.STRING)

    assert "Tier" in _names(engine, tenant.account_id)
    other_process.dispose()


def test_each_account_lists_its_own_definitions(engine: Engine) -> None:
    first = create_tenant(engine, name="First")
    second = create_tenant(engine, name="Second")
    define_attribute(engine, first.account_id, Entity.CUSTOMER_PROFILE, "Tier", AttributeType.STRING)

    assert "Tier" in _names(engine, first.account_id)
    assert "Tier" not in _names(engine, second.account_id)
    assert "Tier" in _names(engine, first.account_id)
