import threading

import pytest
from sqlalchemy import text

from patron.config import Settings
from patron.domain.tenancy import Account
from patron.errors import ConcurrentUpdateError
from patron.store.engine import make_engine, writer_queue
from patron.store.unit_of_work import UnitOfWork
from tests.factories import NOW


def test_a_writer_waiting_past_the_lock_timeout_is_a_conflict(settings: Settings) -> None:
    """SQLite: a writer waits for the database's one write lock, in this process's queue."""
    engine = make_engine(settings.model_copy(update={"lock_timeout_seconds": 0.2}))
    if writer_queue(engine) is None:
        engine.dispose()
        pytest.skip("PostgreSQL writers lock only what they change")
    holder_ready, release = threading.Event(), threading.Event()

    def hold_the_write_lock() -> None:
        with UnitOfWork(engine, write=True) as uow:
            uow.accounts.add(Account(id=0, name="first", created=NOW))
            holder_ready.set()
            release.wait(5)
            uow.commit()

    holder = threading.Thread(target=hold_the_write_lock)
    holder.start()
    holder_ready.wait(5)
    try:
        with pytest.raises(ConcurrentUpdateError), UnitOfWork(engine, write=True, subject="profile"):
            pass
    finally:
        release.set()
        holder.join()

    with UnitOfWork(engine, write=True) as uow:  # the queue was left: the next writer gets its turn
        uow.accounts.add(Account(id=0, name="second", created=NOW))
        uow.commit()
    with engine.connect() as connection:
        names = connection.execute(text("SELECT name FROM accounts ORDER BY id")).scalars().all()
    assert names == ["first", "second"]
    engine.dispose()


def test_a_failed_write_leaves_the_queue(settings: Settings) -> None:
    engine = make_engine(settings)

    with pytest.raises(RuntimeError), UnitOfWork(engine, write=True):
        raise RuntimeError("the use case failed")

    queue = writer_queue(engine)
    if queue is not None:  # SQLite: the next writer gets in at once
        assert queue.acquire()
        queue.release()
    engine.dispose()
