"""One use case = one unit of work = one transaction = at most one commit."""

from types import TracebackType
from typing import Self

from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import DBAPIError, OperationalError

from patron.errors import ConcurrentUpdateError
from patron.store.engine import WRITE_INTENT
from patron.store.tenancy import AccountRepository, ApplicationRepository, KeyRepository

# PostgreSQL: lock_not_available, deadlock_detected, serialization_failure.
_CONTENTION_SQLSTATES = frozenset({"55P03", "40P01", "40001"})


class UnitOfWork:
    """Use as `with uow:`; nothing is written unless `commit()` is called inside the block.

    `write=True` announces a transaction that will write, so SQLite takes its write lock at
    BEGIN and concurrent writers queue instead of failing halfway.
    """

    def __init__(self, engine: Engine, *, write: bool = False) -> None:
        self._engine = engine
        self._write = write

    def __enter__(self) -> Self:
        self.connection: Connection = self._engine.connect()
        self.connection.info[WRITE_INTENT] = self._write
        self._transaction = self.connection.begin()
        self.accounts = AccountRepository(self.connection)
        self.applications = ApplicationRepository(self.connection)
        self.keys = KeyRepository(self.connection)
        return self

    def ping(self) -> None:
        self.connection.execute(text("SELECT 1"))

    def commit(self) -> None:
        self._transaction.commit()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        try:
            if self._transaction.is_active:
                self._transaction.rollback()
        finally:
            self.connection.close()
        if isinstance(exc, DBAPIError) and _is_contention(exc):
            raise ConcurrentUpdateError(
                "Too many requests are updating this resource at the same time"
            ) from exc


def _is_contention(exc: DBAPIError) -> bool:
    sqlstate = getattr(exc.orig, "sqlstate", None)
    if sqlstate in _CONTENTION_SQLSTATES:
        return True
    return isinstance(exc, OperationalError) and "database is locked" in str(exc.orig)
