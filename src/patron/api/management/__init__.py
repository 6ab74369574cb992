"""Management API routes: authenticated by an account's management key."""

from fastapi import APIRouter, Depends

from patron.api.deps import management_scope
from patron.api.management import applications, attributes, audiences, customers, sessions

# The app includes each feature's router with `dependencies` directly: a router nested in
# another without a prefix would have FastAPI build every route once more at start-up.
dependencies = [Depends(management_scope)]
routers: list[APIRouter] = [
    module.router for module in (customers, applications, sessions, audiences, attributes)
]
