"""Audiences and their memberships (Integration API)."""

from typing import Annotated, Any

from fastapi import APIRouter, Body, Path, Request, Response

from patron.api.deps import IntegrationScopeDep, NowDep, unit_of_work_for
from patron.api.responses import TalonJSONResponse
from patron.api.routing import TalonRoute
from patron.api.schemas.audiences import Audience, CustomerProfileAudienceRequest, NewAudience, UpdateAudience
from patron.domain import audiences as domain
from patron.services import audiences
from patron.services.audiences import MembershipAction

router = APIRouter(route_class=TalonRoute, tags=["Audiences"])
AudienceId = Annotated[int, Path(alias="audienceId")]


@router.post("/v2/audiences", operation_id="createAudienceV2", status_code=201, response_model=Audience)
def create_audience(body: NewAudience, request: Request, scope: IntegrationScopeDep, now: NowDep) -> Response:
    """Create an audience."""
    audience = domain.Audience(
        id=0,
        account_id=scope.account_id,
        sandbox=scope.sandbox if body.sandbox is None else body.sandbox,
        name=body.name,
        created=now,
        last_update=now,
        description=body.description,
        integration=body.integration,
        integration_id=body.integration_id,
        created_in_3rd_party=body.integration is not None
        if body.created_in_3rd_party is None
        else body.created_in_3rd_party,
        subscribed_applications_ids=tuple(body.subscribed_applications_ids or ()),
    )
    created = audiences.create_audience(
        unit_of_work_for(request, dry=False, subject="audience"), scope, audience
    )
    return TalonJSONResponse(Audience.of(created), status_code=201)


@router.put("/v2/audiences/{audienceId}", operation_id="updateAudienceV2", response_model=Audience)
def update_audience(
    audience_id: AudienceId, body: UpdateAudience, request: Request, scope: IntegrationScopeDep
) -> Response:
    """Update an audience's name."""
    subscribed = None if body.subscribed_applications_ids is None else tuple(body.subscribed_applications_ids)
    updated = audiences.update_audience(
        unit_of_work_for(request, dry=False, subject="audience"),
        scope,
        audience_id,
        name=body.name,
        subscribed=subscribed,
    )
    return TalonJSONResponse(Audience.of(updated))


@router.delete("/v2/audiences/{audienceId}", operation_id="deleteAudienceV2", status_code=204)
def delete_audience(audience_id: AudienceId, request: Request, scope: IntegrationScopeDep) -> Response:
    """Delete an audience and all its memberships."""
    audiences.delete_audience(unit_of_work_for(request, dry=False, subject="audience"), scope, audience_id)
    return Response(status_code=204)


@router.delete(
    "/v2/audiences/{audienceId}/memberships", operation_id="deleteAudienceMembershipsV2", status_code=204
)
def delete_audience_memberships(
    audience_id: AudienceId, request: Request, scope: IntegrationScopeDep, now: NowDep
) -> Response:
    """Remove every member of an audience."""
    uow = unit_of_work_for(request, dry=False, subject="audience")
    audiences.delete_audience_memberships(uow, scope, audience_id, now=now)
    return Response(status_code=204)


@router.post("/v2/customer_audiences", operation_id="updateCustomerProfileAudiences", status_code=204)
def update_customer_profile_audiences(
    body: CustomerProfileAudienceRequest, request: Request, scope: IntegrationScopeDep, now: NowDep
) -> Response:
    """Add customer profiles to audiences or remove them."""
    actions = [
        MembershipAction(item.action, item.profile_integration_id, item.audience_id) for item in body.data
    ]
    uow = unit_of_work_for(request, dry=False, subject="profile")
    audiences.update_customer_profile_audiences(uow, scope, actions, now=now)
    return Response(status_code=204)


@router.put(
    "/v2/audience_customers/{audienceId}/attributes",
    operation_id="updateAudienceCustomersAttributes",
    status_code=204,
)
def update_audience_customers_attributes(
    audience_id: AudienceId,
    body: Annotated[dict[str, Any], Body()],
    request: Request,
    scope: IntegrationScopeDep,
) -> Response:
    """Set attributes on every member of an audience."""
    uow = unit_of_work_for(request, dry=False, subject="profile")
    audiences.update_audience_customers_attributes(uow, scope, audience_id, body)
    return Response(status_code=204)
