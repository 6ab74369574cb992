"""Audiences and their memberships (Integration API)."""

from typing import Annotated

from fastapi import APIRouter, Path

from patron.api._unbuilt import unbuilt
from patron.api.routing import TalonRoute

router = APIRouter(route_class=TalonRoute, tags=["Audiences"])
AudienceId = Annotated[int, Path(alias="audienceId")]


@router.post("/v2/audiences", operation_id="createAudienceV2", status_code=201)
def create_audience() -> None:
    """Create an audience."""
    unbuilt("createAudienceV2")


@router.put("/v2/audiences/{audienceId}", operation_id="updateAudienceV2")
def update_audience(audience_id: AudienceId) -> None:
    """Update an audience's name."""
    unbuilt("updateAudienceV2")


@router.delete("/v2/audiences/{audienceId}", operation_id="deleteAudienceV2", status_code=204)
def delete_audience(audience_id: AudienceId) -> None:
    """Delete an audience and all its memberships."""
    unbuilt("deleteAudienceV2")


@router.delete(
    "/v2/audiences/{audienceId}/memberships", operation_id="deleteAudienceMembershipsV2", status_code=204
)
def delete_audience_memberships(audience_id: AudienceId) -> None:
    """Remove every member of an audience."""
    unbuilt("deleteAudienceMembershipsV2")


@router.post("/v2/customer_audiences", operation_id="updateCustomerProfileAudiences", status_code=204)
def update_customer_profile_audiences() -> None:
    """Add customer profiles to audiences or remove them."""
    unbuilt("updateCustomerProfileAudiences")


@router.put(
    "/v2/audience_customers/{audienceId}/attributes",
    operation_id="updateAudienceCustomersAttributes",
    status_code=204,
)
def update_audience_customers_attributes(audience_id: AudienceId) -> None:
    """Set attributes on every member of an audience."""
    unbuilt("updateAudienceCustomersAttributes")
