"""Erasing a customer's data (Integration API)."""

from typing import Annotated

from fastapi import APIRouter, Path, Request, Response

from patron.api.deps import IntegrationScopeDep, unit_of_work_for
from patron.api.routing import TalonRoute
from patron.services import customer_data

router = APIRouter(route_class=TalonRoute, tags=["Customer profiles"])


@router.delete("/v1/customer_data/{integrationId}", operation_id="deleteCustomerData", status_code=204)
def delete_customer_data(
    integration_id: Annotated[str, Path(alias="integrationId", min_length=1, max_length=1000)],
    request: Request,
    scope: IntegrationScopeDep,
) -> Response:
    """Delete a customer profile and blank its data in every Application of the environment."""
    customer_data.delete_customer_data(
        unit_of_work_for(request, dry=False, subject="profile"), scope, integration_id
    )
    return Response(status_code=204)
