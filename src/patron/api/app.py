"""The ASGI application: Integration API, Management API, health, and the OpenAPI document.

Starlette's Router finds each request's operation; the operation's endpoint answers through
`pipeline.serve`. Around them: the body size limit, and a last guard that turns an unexpected
error into a logged 500 with Talon.One's body. The database opens with the app (its schema is
brought to the latest migration) and closes with it.
"""

import logging
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any, Final

from starlette.routing import BaseRoute, Route, Router
from starlette.types import ASGIApp, Receive, Scope, Send

import patron
from patron.api import errors, integration, management, openapi, pipeline
from patron.api.codec import encode
from patron.api.http import Endpoint, Incoming, respond
from patron.api.limits import BodySizeLimit
from patron.api.operations import Answer, Operation
from patron.config import Settings
from patron.errors import PatronError
from patron.services import health
from patron.store import schema
from patron.store.database import Database, open_database

TITLE: Final = "patron"
DESCRIPTION: Final = "Talon.One's customer-profile API, self-hosted."
# The router tries routes in this order: the checkout path's first.
OPERATIONS: tuple[Operation, ...] = tuple(
    sorted(
        (*integration.api.operations, *management.api.operations),
        key=lambda operation: (
            not operation.path.startswith(("/v2/customer_sessions", "/v2/customer_profiles"))
        ),
    )
)
_log = logging.getLogger(__name__)


class AppState:
    """What the running app holds: its database, open between start-up and shutdown."""

    database: Database


class PatronApp:
    """The ASGI application (`create_app`)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.state = AppState()
        router = Router(routes=self._routes(), lifespan=self._lifespan, default=_Refusal(404, "Not Found"))
        self._app: ASGIApp = BodySizeLimit(router, max_bytes=settings.max_body_bytes)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self._app(scope, receive, send)
            return
        started = False

        async def tracked_send(message: Any) -> None:
            nonlocal started
            started = True
            await send(message)

        try:
            await self._app(scope, receive, tracked_send)
        except Exception:
            _log.exception("unexpected error answering %s %s", scope.get("method"), scope.get("path"))
            if not started:
                await respond(send, errors.error_answer(500, "Internal server error"))

    def lifespan(self) -> AbstractAsyncContextManager[None]:
        """Start-up and shutdown, as the server runs them (for tools that drive the app directly)."""
        return self._lifespan(self)

    @asynccontextmanager
    async def _lifespan(self, _app: Any) -> AsyncIterator[None]:
        database = await open_database(self.settings)
        try:
            await schema.bring_up_to_date(database)
            self.state.database = database
            yield
        finally:
            await database.close()

    def _routes(self) -> list[BaseRoute]:
        served: list[BaseRoute] = [
            Route(operation.path, self._endpoint(operation), methods=[operation.method])
            for operation in OPERATIONS
        ]
        served += [
            Route("/healthz", Endpoint(self._health, "getHealth"), methods=["GET"]),
            Route("/openapi.json", Endpoint(_openapi, "openapi"), methods=["GET"]),
            Route("/docs", Endpoint(_docs, "docs"), methods=["GET"]),
        ]
        # Last: a known path asked with another method (Starlette's own answer is plain text).
        paths = dict.fromkeys(route.path for route in served if isinstance(route, Route))
        served += [Route(path, _Refusal(405, "Method Not Allowed", path=path)) for path in paths]
        return served

    def _endpoint(self, operation: Operation) -> Endpoint:
        async def answer(request: Incoming, _scope: Scope) -> Answer:
            return await pipeline.serve(operation, request, self.state.database)

        return Endpoint(answer, operation.operation_id)

    async def _health(self, _request: Incoming, _scope: Scope) -> Answer:
        """Answers 200 when the database answers."""
        try:
            await health.check(self.state.database)
        except PatronError as error:
            return errors.answer_for(error)
        return Answer(200, b'{"status":"ok"}')


def create_app(settings: Settings | None = None) -> PatronApp:
    return PatronApp(settings or Settings())


def document() -> dict[str, Any]:
    """The OpenAPI document (`/openapi.json`)."""
    return openapi.document(OPERATIONS, title=TITLE, version=patron.__version__, description=DESCRIPTION)


async def _openapi(_request: Incoming, _scope: Scope) -> Answer:
    return Answer(200, encode(document()))


async def _docs(_request: Incoming, _scope: Scope) -> Answer:
    return Answer(200, openapi.swagger_ui(TITLE).encode(), "text/html; charset=utf-8")


class _Refusal:
    """An unknown path (404), or a known one asked with a method it does not serve (405)."""

    def __init__(self, status: int, message: str, *, path: str = "") -> None:
        self._answer = errors.error_answer(status, message)
        self._path = path

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        allow: list[tuple[bytes, bytes]] = []
        if self._answer.status == 405:
            allow = [(b"allow", ", ".join(_methods_of(self._path)).encode())]
        await respond(send, self._answer, allow)


def _methods_of(path: str) -> list[str]:
    methods = [operation.method for operation in OPERATIONS if operation.path == path]
    return methods or ["GET"]
