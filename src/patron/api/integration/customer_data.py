"""Erasing a customer's data (Integration API)."""

from typing import Annotated

from fastapi import APIRouter, Path

from patron.api._unbuilt import unbuilt
from patron.api.routing import TalonRoute

router = APIRouter(route_class=TalonRoute, tags=["Customer profiles"])


@router.delete("/v1/customer_data/{integrationId}", operation_id="deleteCustomerData", status_code=204)
def delete_customer_data(integration_id: Annotated[str, Path(alias="integrationId")]) -> None:
    """Delete a customer profile and blank its data in every Application of the environment."""
    unbuilt("deleteCustomerData")
