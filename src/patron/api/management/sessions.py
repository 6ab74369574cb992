"""Customer sessions of an Application (Management API)."""

from typing import Annotated

from fastapi import APIRouter, Path

from patron.api._unbuilt import unbuilt
from patron.api.routing import TalonRoute

router = APIRouter(route_class=TalonRoute, tags=["Customer sessions"])
ApplicationId = Annotated[int, Path(alias="applicationId")]


@router.get("/v1/applications/{applicationId}/sessions", operation_id="getApplicationSessions")
def get_application_sessions(application_id: ApplicationId) -> None:
    """List the customer sessions of an Application."""
    unbuilt("getApplicationSessions")


@router.get("/v1/applications/{applicationId}/sessions/{sessionId}", operation_id="getApplicationSession")
def get_application_session(
    application_id: ApplicationId, session_id: Annotated[int, Path(alias="sessionId")]
) -> None:
    """Read one customer session of an Application by its internal id."""
    unbuilt("getApplicationSession")


@router.get(
    "/v1/applications/{applicationId}/export_customer_sessions", operation_id="exportCustomerSessions"
)
def export_customer_sessions(application_id: ApplicationId) -> None:
    """Export the customer sessions of an Application as CSV."""
    unbuilt("exportCustomerSessions")
