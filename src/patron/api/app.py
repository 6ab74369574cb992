"""The ASGI application: Integration API, Management API, health, and the OpenAPI document."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

import patron
from patron.api import integration, management
from patron.api.errors import install_error_handlers
from patron.api.openapi import install_openapi
from patron.api.responses import TalonJSONResponse
from patron.api.routing import BodySizeLimit
from patron.config import Settings
from patron.services import health
from patron.store.engine import make_engine
from patron.store.schema import upgrade


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    engine = make_engine(settings)
    upgrade(engine)  # at the latest revision: one SELECT, and Alembic stays unloaded

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        engine.dispose()

    app = FastAPI(
        title="patron",
        version=patron.__version__,
        description="Talon.One's customer-profile API, self-hosted.",
        default_response_class=TalonJSONResponse,
        lifespan=lifespan,
    )
    app.state.engine = engine
    app.state.settings = settings
    install_error_handlers(app)
    install_openapi(app)
    for api in (integration, management):
        for router in api.routers:
            app.include_router(router, dependencies=api.dependencies)

    @app.get("/healthz", tags=["Health"], operation_id="getHealth")
    def get_health() -> dict[str, str]:
        """Answers 200 when the database answers."""
        health.check(engine)
        return {"status": "ok"}

    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    return app
