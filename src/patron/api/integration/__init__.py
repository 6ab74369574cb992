"""Integration API routes: authenticated by an Application's API key."""

from fastapi import APIRouter, Depends

from patron.api.deps import integration_scope
from patron.api.integration import audiences, customer_data, events, profiles, sessions
from patron.api.routing import TalonRoute

router = APIRouter(route_class=TalonRoute, dependencies=[Depends(integration_scope)])
for module in (sessions, profiles, events, audiences, customer_data):
    router.include_router(module.router)
