"""The ASGI application: Integration API, Management API, health, and the OpenAPI document.

Starlette routes each request to `pipeline.serve` with its operation's declaration; the database
opens with the app (and its schema is brought to the latest migration) and closes with it.
"""

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import BaseRoute, Route

import patron
from patron.api import errors, integration, management, openapi, pipeline
from patron.api.codec import encode
from patron.api.limits import BodySizeLimit
from patron.api.operations import Operation
from patron.config import Settings
from patron.errors import PatronError
from patron.services import health
from patron.store import schema
from patron.store.database import open_database

TITLE = "patron"
DESCRIPTION = "Talon.One's customer-profile API, self-hosted."
# The router tries routes in this order: the checkout path's first.
OPERATIONS: tuple[Operation, ...] = tuple(
    sorted(
        (*integration.api.operations, *management.api.operations),
        key=lambda operation: (
            not operation.path.startswith(("/v2/customer_sessions", "/v2/customer_profiles"))
        ),
    )
)


def create_app(settings: Settings | None = None) -> Starlette:
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        database = await open_database(settings)
        try:
            await schema.bring_up_to_date(database)
            app.state.database = database
            yield
        finally:
            await database.close()

    return Starlette(
        routes=routes(),
        lifespan=lifespan,
        middleware=[Middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)],
        exception_handlers={HTTPException: errors.http_error, Exception: errors.unexpected},
    )


def routes() -> list[BaseRoute]:
    served: list[BaseRoute] = [
        Route(operation.path, _endpoint(operation), methods=[operation.method]) for operation in OPERATIONS
    ]
    served += [
        Route("/healthz", get_health, methods=["GET"]),
        Route("/openapi.json", get_openapi, methods=["GET"]),
        Route("/docs", get_docs, methods=["GET"]),
    ]
    return served


def document() -> dict[str, Any]:
    """The OpenAPI document (`/openapi.json`)."""
    return openapi.document(OPERATIONS, title=TITLE, version=patron.__version__, description=DESCRIPTION)


def _endpoint(operation: Operation) -> Callable[[Request], Awaitable[Response]]:
    async def endpoint(request: Request) -> Response:
        return await pipeline.serve(operation, request)

    endpoint.__name__ = operation.operation_id
    return endpoint


async def get_health(request: Request) -> Response:
    """Answers 200 when the database answers."""
    try:
        await health.check(request.app.state.database)
    except PatronError as error:
        return errors.response_for(error)
    return Response(b'{"status":"ok"}', media_type="application/json")


async def get_openapi(_request: Request) -> Response:
    return Response(encode(document()), media_type="application/json")


async def get_docs(_request: Request) -> Response:
    return HTMLResponse(openapi.swagger_ui(TITLE))
