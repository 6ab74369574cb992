"""Integration API routes: authenticated by an Application's API key."""

from fastapi import APIRouter, Depends

from patron.api.deps import integration_scope
from patron.api.integration import audiences, customer_data, events, profiles, sessions

# The app includes each feature's router with `dependencies` directly: a router nested in
# another without a prefix would have FastAPI build every route once more at start-up.
dependencies = [Depends(integration_scope)]
routers: list[APIRouter] = [
    module.router for module in (sessions, profiles, events, audiences, customer_data)
]
