"""Bake-off candidate: Starlette routing and requests, msgspec for bodies, the shared checkout core."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bench.bakeoff import core, wire
from patron.errors import PatronError, UnauthorizedError

_STATE: dict[str, Any] = {}
_JSON = "application/json"


async def update_customer_session(request: Request) -> Response:
    try:
        db = _STATE["db"]
        scope = await core.authorize(db, request.headers.get("authorization"))
        body = wire.decode_session_put(await request.body())
        content = set(body.response_content or ()) | {"customerSession"}
        state = await core.update_customer_session(
            db,
            scope,
            request.path_params["customerSessionId"],
            wire.session_update(body.customer_session),
            now=core.now(),
        )
        return Response(wire.ENCODER.encode(core.state_json(state, content)), media_type=_JSON)
    except PatronError as error:
        status = 401 if isinstance(error, UnauthorizedError) else 400
        answer = {"message": error.message, "errors": [], "StatusCode": status}
        return Response(wire.ENCODER.encode(answer), status_code=status, media_type=_JSON)


async def health(_request: Request) -> Response:
    return Response(b'{"status":"ok"}', media_type=_JSON)


@asynccontextmanager
async def lifespan(_app: Starlette) -> AsyncIterator[None]:
    _STATE["db"] = await core.open_database()
    yield


app = Starlette(
    routes=[
        Route("/healthz", health, methods=["GET"]),
        Route("/v2/customer_sessions/{customerSessionId}", update_customer_session, methods=["PUT"]),
    ],
    lifespan=lifespan,
)
