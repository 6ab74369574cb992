"""Custom attribute definitions (Management API)."""

from fastapi import APIRouter

from patron.api._unbuilt import unbuilt
from patron.api.routing import TalonRoute

router = APIRouter(route_class=TalonRoute, tags=["Attributes"])


@router.get("/v1/attributes", operation_id="getAttributes")
def get_attributes() -> None:
    """List the attribute definitions of the account."""
    unbuilt("getAttributes")


@router.post("/v1/attributes", operation_id="createAttribute", status_code=201)
def create_attribute() -> None:
    """Define a custom attribute."""
    unbuilt("createAttribute")
