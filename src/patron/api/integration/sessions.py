"""Customer sessions, returns and reopening (Integration API)."""

from typing import Annotated

from fastapi import APIRouter, Path

from patron.api._unbuilt import unbuilt
from patron.api.routing import TalonRoute

router = APIRouter(route_class=TalonRoute, tags=["Customer sessions"])
SessionId = Annotated[str, Path(alias="customerSessionId")]


@router.put("/v2/customer_sessions/{customerSessionId}", operation_id="updateCustomerSessionV2")
def update_customer_session(customer_session_id: SessionId) -> None:
    """Create or update a customer session."""
    unbuilt("updateCustomerSessionV2")


@router.get("/v2/customer_sessions/{customerSessionId}", operation_id="getCustomerSession")
def get_customer_session(customer_session_id: SessionId) -> None:
    """Read a customer session of this Application."""
    unbuilt("getCustomerSession")


@router.post("/v2/customer_sessions/{customerSessionId}/returns", operation_id="returnCartItems")
def return_cart_items(customer_session_id: SessionId) -> None:
    """Return cart items of a closed session."""
    unbuilt("returnCartItems")


@router.put("/v2/customer_sessions/{customerSessionId}/reopen", operation_id="reopenCustomerSession")
def reopen_customer_session(customer_session_id: SessionId) -> None:
    """Reopen a closed session."""
    unbuilt("reopenCustomerSession")
