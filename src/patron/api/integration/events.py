"""Custom events (Integration API)."""

from fastapi import APIRouter

from patron.api._unbuilt import unbuilt
from patron.api.routing import TalonRoute

router = APIRouter(route_class=TalonRoute, tags=["Events"])


@router.post("/v2/events", operation_id="trackEventV2")
def track_event() -> None:
    """Track a custom event of a customer."""
    unbuilt("trackEventV2")
