"""Liveness: the service is healthy when its database answers."""

from patron.store.engine import Engine
from patron.store.unit_of_work import UnitOfWork


def check(engine: Engine) -> None:
    with UnitOfWork(engine) as uow:
        uow.ping()
