"""Customer profiles (Integration API)."""

from typing import Annotated

from fastapi import APIRouter, Path

from patron.api._unbuilt import unbuilt
from patron.api.routing import TalonRoute

router = APIRouter(route_class=TalonRoute, tags=["Customer profiles"])


@router.put("/v2/customer_profiles/{integrationId}", operation_id="updateCustomerProfileV2")
def update_customer_profile(integration_id: Annotated[str, Path(alias="integrationId")]) -> None:
    """Create or update a customer profile."""
    unbuilt("updateCustomerProfileV2")


@router.put("/v2/customer_profiles", operation_id="updateCustomerProfilesV2")
def update_customer_profiles() -> None:
    """Create or update up to 1000 customer profiles."""
    unbuilt("updateCustomerProfilesV2")
