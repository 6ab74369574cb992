"""Management API routes: authenticated by an account's management key."""

from fastapi import APIRouter, Depends

from patron.api.deps import management_scope
from patron.api.management import applications, attributes, audiences, customers, sessions
from patron.api.routing import TalonRoute

router = APIRouter(route_class=TalonRoute, dependencies=[Depends(management_scope)])
for module in (customers, applications, sessions, audiences, attributes):
    router.include_router(module.router)
