"""Bake-off candidate: Litestar routing, msgspec for bodies (decoded here: Litestar's own decoding
rounds exact decimals), the shared checkout core."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from litestar import Litestar, Request, Response, get, put

from bench.bakeoff import core, wire
from patron.errors import PatronError, UnauthorizedError

_STATE: dict[str, Any] = {}
_JSON = "application/json"


@put("/v2/customer_sessions/{customer_session_id:str}", status_code=200)
async def update_customer_session(
    request: Request[Any, Any, Any], customer_session_id: str
) -> Response[bytes]:
    try:
        db = _STATE["db"]
        scope = await core.authorize(db, request.headers.get("authorization"))
        body = wire.decode_session_put(await request.body())
        content = set(body.response_content or ()) | {"customerSession"}
        state = await core.update_customer_session(
            db, scope, customer_session_id, wire.session_update(body.customer_session), now=core.now()
        )
        return Response(wire.ENCODER.encode(core.state_json(state, content)), media_type=_JSON)
    except PatronError as error:
        status = 401 if isinstance(error, UnauthorizedError) else 400
        answer = {"message": error.message, "errors": [], "StatusCode": status}
        return Response(wire.ENCODER.encode(answer), status_code=status, media_type=_JSON)


@get("/healthz")
async def health() -> Response[bytes]:
    return Response(b'{"status":"ok"}', media_type=_JSON)


@asynccontextmanager
async def lifespan(_app: Litestar) -> AsyncIterator[None]:
    _STATE["db"] = await core.open_database()
    yield


app = Litestar(route_handlers=[update_customer_session, health], lifespan=[lifespan], openapi_config=None)
