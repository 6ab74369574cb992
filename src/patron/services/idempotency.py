"""Idempotency-Key: a write repeated with the same key answers as the first time, and applies once."""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final, TypeVar

from patron.domain.tenancy import ApplicationScope
from patron.errors import ConflictError
from patron.store.idempotency import StoredResponse
from patron.store.unit_of_work import UnitOfWork

RETENTION: Final = timedelta(hours=24)
R = TypeVar("R")


@dataclass(frozen=True, slots=True)
class Rendered:
    status: int
    body: bytes


@dataclass(frozen=True, slots=True)
class IdempotentRequest:
    key: str
    fingerprint: str


def fingerprint(method: str, path: str, query: str, body: bytes) -> str:
    digest = hashlib.sha256()
    for part in (method.encode(), path.encode(), query.encode(), body):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


def run_once(
    uow: UnitOfWork,
    scope: ApplicationScope,
    request: IdempotentRequest | None,
    *,
    now: datetime,
    operation: Callable[[], R],
    render: Callable[[R], Rendered],
) -> Rendered:
    """Run `operation` (a use case on `uow`) and render its result, at most once per key.

    The stored answer and the operation's writes commit in one transaction, so a crash
    cannot leave one without the other. A dry operation never commits and stores nothing.
    """
    if request is None:
        return render(operation())
    with uow:
        uow.lock_idempotency_key(scope.application_id, request.key)
        stored = uow.idempotency.get(scope.application_id, request.key, not_before=now - RETENTION)
        if stored is not None:
            return _replay(stored, request)
        rendered = render(operation())
        if uow.commit_requested and 200 <= rendered.status < 300:
            response = StoredResponse(request.fingerprint, rendered.status, rendered.body)
            uow.idempotency.save(scope.application_id, request.key, response, now=now)
            uow.commit()
    return rendered


def _replay(stored: StoredResponse, request: IdempotentRequest) -> Rendered:
    if stored.fingerprint != request.fingerprint:
        raise ConflictError(
            f"The Idempotency-Key {request.key!r} was used for a different request in the last 24 hours",
            parameter="Idempotency-Key",
        )
    return Rendered(stored.status, stored.body)
