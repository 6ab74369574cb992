"""What every Integration API write shares: Idempotency-Key handling and rendering."""

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Annotated, TypeVar

from fastapi import Header, Request, Response
from pydantic import BaseModel

from patron.api.responses import dumps
from patron.config import Settings
from patron.domain.tenancy import ApplicationScope
from patron.services import admission, idempotency
from patron.services.idempotency import Rendered
from patron.store.unit_of_work import UnitOfWork

R = TypeVar("R")

IdempotencyKeyHeader = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=255,
        description="A repeat with this key within 24 hours gets the first answer and changes nothing.",
    ),
]


def json_rendered(model: BaseModel | None, status: int = 200) -> Rendered:
    return Rendered(status, b"" if model is None else dumps(model))


def respond_once(
    request: Request,
    uow: UnitOfWork,
    scope: ApplicationScope,
    *,
    idempotency_key: str | None,
    body: BaseModel | None,
    now: datetime,
    operation: Callable[[], R],
    render: Callable[[R], Rendered],
    contended: tuple[str, str] | None = None,
) -> Response:
    """Run a write at most once per Idempotency-Key and answer with its rendering.

    `contended` names the (resource, "session" | "profile") the write changes: with
    PATRON_EMULATE_TALON_CONCURRENCY_LIMIT on, it first needs one of that resource's tickets.
    """
    settings: Settings = request.app.state.settings
    if contended is not None and settings.emulate_talon_concurrency_limit:
        resource, subject = contended
        lifetime = timedelta(seconds=max(60.0, 4 * settings.lock_timeout_seconds))
        with admission.admitted(uow, resource, subject, now=now, ticket_lifetime=lifetime):
            return respond_once(
                request,
                uow,
                scope,
                idempotency_key=idempotency_key,
                body=body,
                now=now,
                operation=operation,
                render=render,
            )
    guard = None
    if idempotency_key is not None:
        payload = b"" if body is None else body.model_dump_json(by_alias=True).encode()
        print_ = idempotency.fingerprint(request.method, request.url.path, request.url.query, payload)
        guard = idempotency.IdempotentRequest(idempotency_key, print_)
    rendered = idempotency.run_once(uow, scope, guard, now=now, operation=operation, render=render)
    if rendered.status == 204:
        return Response(status_code=204)
    return Response(rendered.body, status_code=rendered.status, media_type="application/json")
