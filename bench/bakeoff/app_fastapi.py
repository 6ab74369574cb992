"""Bake-off candidate: today's FastAPI and pydantic (patron's own route class and wire schemas,
which parse JSON with exact decimals), with an async handler over the shared checkout core."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated, Any

from fastapi import FastAPI, Header, Path
from fastapi.responses import Response

from bench.bakeoff import core
from patron.api.errors import install_error_handlers
from patron.api.responses import dumps
from patron.api.routing import TalonRoute
from patron.api.schemas.integration import IntegrationStateV2, integration_state
from patron.api.schemas.sessions import IntegrationRequest

_STATE: dict[str, Any] = {}


@asynccontextmanager
async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
    _STATE["db"] = await core.open_database()
    yield


app = FastAPI(lifespan=lifespan)
app.router.route_class = TalonRoute
install_error_handlers(app)


@app.put(
    "/v2/customer_sessions/{customerSessionId}",
    operation_id="updateCustomerSessionV2",
    response_model=IntegrationStateV2,
)
async def update_customer_session(
    customer_session_id: Annotated[str, Path(alias="customerSessionId", min_length=1, max_length=1000)],
    body: IntegrationRequest,
    authorization: Annotated[str | None, Header()] = None,
) -> Response:
    db = _STATE["db"]
    scope = await core.authorize(db, authorization)
    content = set(body.response_content or ()) | {"customerSession"}
    state = await core.update_customer_session(
        db, scope, customer_session_id, body.customer_session.to_domain(), now=core.now()
    )
    return Response(dumps(integration_state(state, content)), media_type="application/json")


@app.get("/healthz")
async def health() -> dict[str, str]:
    return {"status": "ok"}
