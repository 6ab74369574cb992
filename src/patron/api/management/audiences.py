"""Audiences and their members (Management API)."""

from typing import Annotated

from fastapi import APIRouter, Path

from patron.api._unbuilt import unbuilt
from patron.api.routing import TalonRoute

router = APIRouter(route_class=TalonRoute, tags=["Audiences"])
AudienceId = Annotated[int, Path(alias="audienceId")]


@router.get("/v1/audiences", operation_id="getAudiences")
def get_audiences() -> None:
    """List the audiences of the account."""
    unbuilt("getAudiences")


@router.get("/v1/audiences/{audienceId}/memberships", operation_id="getAudienceMemberships")
def get_audience_memberships(audience_id: AudienceId) -> None:
    """List the members of an audience."""
    unbuilt("getAudienceMemberships")


@router.get("/v1/audiences/{audienceId}/memberships/export", operation_id="exportAudiencesMemberships")
def export_audiences_memberships(audience_id: AudienceId) -> None:
    """Export the members of an audience as CSV."""
    unbuilt("exportAudiencesMemberships")


@router.post("/v1/audiences/{audienceId}/memberships/import", operation_id="importAudiencesMemberships")
def import_audiences_memberships(audience_id: AudienceId) -> None:
    """Replace the members of an audience from a CSV file."""
    unbuilt("importAudiencesMemberships")
