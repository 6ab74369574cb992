"""One use case = one unit of work = one transaction = at most one commit."""

from collections.abc import Iterator
from types import TracebackType
from typing import Self

from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import DBAPIError, OperationalError

from patron.domain.profiles import ProfileAggregates
from patron.errors import ConcurrentUpdateError
from patron.store import audit, erasure
from patron.store._dialect import lock_for_update
from patron.store.admission import AdmissionRepository
from patron.store.attributes import AttributeRepository
from patron.store.audiences import AudienceRepository, MembershipQueries
from patron.store.engine import WRITE_INTENT, writer_queue
from patron.store.events import EventRepository
from patron.store.idempotency import IdempotencyRepository
from patron.store.profiles import ProfileRepository
from patron.store.returns import ReturnRepository
from patron.store.sessions import SessionRepository
from patron.store.tenancy import AccountRepository, ApplicationRepository, KeyRepository
from patron.store.transfer import TransferQueries

# PostgreSQL: lock_not_available, deadlock_detected, serialization_failure.
_CONTENTION_SQLSTATES = frozenset({"55P03", "40P01", "40001"})


class UnitOfWork:
    """Use as `with uow:`; nothing is written unless `commit()` is called inside the block.

    `write=True` announces a transaction that will write, so SQLite takes its write lock at
    BEGIN and concurrent writers queue instead of failing halfway.
    """

    def __init__(self, engine: Engine, *, write: bool = False, subject: str = "resource") -> None:
        self._engine = engine
        self._write = write
        # What a 409 says is busy: Talon.One's bodies name the "session" or the "profile".
        self._subject = subject
        self._depth = 0
        self.commit_requested = False

    def __enter__(self) -> Self:
        # Re-entering joins the open transaction: a wrapper (idempotency) can run a use case
        # inside its own transaction, and the use case's commit waits for the wrapper's.
        self._depth += 1
        if self._depth > 1:
            return self
        self.commit_requested = False
        self._queue = writer_queue(self._engine) if self._write else None
        if self._queue is not None and not self._queue.acquire():
            self._depth = 0
            raise self._contention()
        try:
            self.connection: Connection = self._engine.connect()
            self.connection.info[WRITE_INTENT] = self._write
            try:
                self._transaction = self.connection.begin()
            except DBAPIError as exc:
                self.connection.close()
                if _is_contention(exc):
                    raise self._contention() from exc
                raise
        except BaseException:
            self._depth = 0
            self._leave_queue()
            raise
        self.accounts = AccountRepository(self.connection)
        self.applications = ApplicationRepository(self.connection)
        self.keys = KeyRepository(self.connection)
        self.profiles = ProfileRepository(self.connection)
        self.sessions = SessionRepository(self.connection)
        self.events = EventRepository(self.connection)
        self.returns = ReturnRepository(self.connection)
        self.idempotency = IdempotencyRepository(self.connection)
        self.audit = AuditQueries(self.connection)
        self.audiences = AudienceRepository(self.connection)
        self.memberships = MembershipQueries(self.connection)
        self.attributes = AttributeRepository(self.connection)
        self.admission = AdmissionRepository(self.connection)
        self.transfer = TransferQueries(self.connection)
        return self

    def erase_profile(self, profile_id: int, integration_id: str) -> None:
        erasure.erase_profile(self.connection, profile_id, integration_id)

    def lock_session(self, application_id: int, integration_id: str) -> None:
        """Wait until no other transaction writes this session; hold it until this one ends."""
        lock_for_update(self.connection, f"session:{application_id}:{integration_id}")

    def lock_profiles(self, account_id: int, sandbox: bool, integration_ids: list[str]) -> None:
        """The same for profiles; callers lock a session before its profile, never after."""
        names = [
            f"profile:{account_id}:{int(sandbox)}:{integration_id}" for integration_id in integration_ids
        ]
        lock_for_update(self.connection, *names)

    def lock_attribute_names(self, account_id: int, entity: str) -> None:
        lock_for_update(self.connection, f"attributes:{account_id}:{entity}")

    def lock_audience_name(self, account_id: int, integration: str, integration_id: str) -> None:
        lock_for_update(self.connection, f"audience-name:{account_id}:{integration}:{integration_id}")

    def lock_audience(self, audience_id: int) -> None:
        lock_for_update(self.connection, f"audience:{audience_id}")

    def lock_admission(self, resource: str) -> None:
        lock_for_update(self.connection, f"admission:{resource}")

    def lock_idempotency_key(self, application_id: int, key: str) -> None:
        lock_for_update(self.connection, f"idempotency:{application_id}:{key}")

    def ping(self) -> None:
        self.connection.execute(text("SELECT 1"))

    def commit(self) -> None:
        if self._depth > 1:
            self.commit_requested = True
            return
        self._transaction.commit()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._depth -= 1
        if self._depth > 0:
            return
        try:
            if self._transaction.is_active:
                self._transaction.rollback()
        finally:
            self.connection.close()
            self._leave_queue()
        if isinstance(exc, DBAPIError) and _is_contention(exc):
            raise self._contention() from exc

    def _leave_queue(self) -> None:
        if self._queue is not None:
            self._queue.release()
            self._queue = None

    def _contention(self) -> ConcurrentUpdateError:
        return ConcurrentUpdateError(f"Too many requests are updating this {self._subject} at the same time")


class AuditQueries:
    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def stored_aggregates(self) -> Iterator[tuple[int, str, ProfileAggregates]]:
        return audit.stored_aggregates(self._connection)

    def recomputed_aggregates(self) -> Iterator[tuple[int, ProfileAggregates]]:
        return audit.recomputed_aggregates(self._connection)


def _is_contention(exc: DBAPIError) -> bool:
    sqlstate = getattr(exc.orig, "sqlstate", None)
    if sqlstate in _CONTENTION_SQLSTATES:
        return True
    return isinstance(exc, OperationalError) and "database is locked" in str(exc.orig)
