"""Audiences and their memberships (Integration API)."""

from collections.abc import Callable
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Body, Path, Request, Response
from pydantic import BaseModel

from patron.api.deps import IntegrationScopeDep, NowDep, unit_of_work_for
from patron.api.integration._writes import IdempotencyKeyHeader, json_rendered, respond_once
from patron.api.routing import TalonRoute
from patron.api.schemas.audiences import Audience, CustomerProfileAudienceRequest, NewAudience, UpdateAudience
from patron.api.schemas.common import MAX_ID, MIN_ID
from patron.domain import audiences as domain
from patron.domain.tenancy import ApplicationScope
from patron.services import audiences
from patron.services.audiences import MembershipAction
from patron.services.idempotency import Rendered
from patron.store.unit_of_work import UnitOfWork

router = APIRouter(route_class=TalonRoute, tags=["Audiences"])
AudienceId = Annotated[int, Path(alias="audienceId", ge=MIN_ID, le=MAX_ID)]
R = TypeVar("R")


def _write(
    request: Request,
    scope: ApplicationScope,
    *,
    key: str | None,
    body: BaseModel | None,
    now: Any,
    subject: str,
    operation: Callable[[UnitOfWork], R],
    render: Callable[[R], Rendered],
) -> Response:
    uow = unit_of_work_for(request, dry=False, subject=subject)
    return respond_once(
        request,
        uow,
        scope,
        idempotency_key=key,
        body=body,
        now=now,
        operation=lambda: operation(uow),
        render=render,
    )


def _no_content(_: object) -> Rendered:
    return json_rendered(None, 204)


@router.post("/v2/audiences", operation_id="createAudienceV2", status_code=201, response_model=Audience)
def create_audience(
    body: NewAudience,
    request: Request,
    scope: IntegrationScopeDep,
    now: NowDep,
    idempotency_key: IdempotencyKeyHeader = None,
) -> Response:
    """Create an audience."""
    audience = domain.new_audience(
        account_id=scope.account_id,
        # The key's environment unless the body names one; a contradiction is refused (14.2).
        sandbox=scope.sandbox if body.sandbox is None else body.sandbox,
        name=body.name,
        now=now,
        description=body.description,
        integration=body.integration,
        integration_id=body.integration_id,
        created_in_3rd_party=body.created_in_3rd_party,
        subscribed_applications_ids=tuple(body.subscribed_applications_ids or ()),
    )
    return _write(
        request,
        scope,
        key=idempotency_key,
        body=body,
        now=now,
        subject="audience",
        operation=lambda uow: audiences.create_audience(uow, scope, audience),
        render=lambda created: json_rendered(Audience.of(created), 201),
    )


@router.put("/v2/audiences/{audienceId}", operation_id="updateAudienceV2", response_model=Audience)
def update_audience(
    audience_id: AudienceId,
    body: UpdateAudience,
    request: Request,
    scope: IntegrationScopeDep,
    now: NowDep,
    idempotency_key: IdempotencyKeyHeader = None,
) -> Response:
    """Update an audience's name."""
    subscribed = None if body.subscribed_applications_ids is None else tuple(body.subscribed_applications_ids)
    return _write(
        request,
        scope,
        key=idempotency_key,
        body=body,
        now=now,
        subject="audience",
        operation=lambda uow: audiences.update_audience(
            uow, scope, audience_id, name=body.name, subscribed=subscribed
        ),
        render=lambda updated: json_rendered(Audience.of(updated)),
    )


@router.delete("/v2/audiences/{audienceId}", operation_id="deleteAudienceV2", status_code=204)
def delete_audience(
    audience_id: AudienceId,
    request: Request,
    scope: IntegrationScopeDep,
    now: NowDep,
    idempotency_key: IdempotencyKeyHeader = None,
) -> Response:
    """Delete an audience and all its memberships."""
    return _write(
        request,
        scope,
        key=idempotency_key,
        body=None,
        now=now,
        subject="audience",
        operation=lambda uow: audiences.delete_audience(uow, scope, audience_id),
        render=_no_content,
    )


@router.delete(
    "/v2/audiences/{audienceId}/memberships", operation_id="deleteAudienceMembershipsV2", status_code=204
)
def delete_audience_memberships(
    audience_id: AudienceId,
    request: Request,
    scope: IntegrationScopeDep,
    now: NowDep,
    idempotency_key: IdempotencyKeyHeader = None,
) -> Response:
    """Remove every member of an audience."""
    return _write(
        request,
        scope,
        key=idempotency_key,
        body=None,
        now=now,
        subject="audience",
        operation=lambda uow: audiences.delete_audience_memberships(uow, scope, audience_id, now=now),
        render=_no_content,
    )


@router.post("/v2/customer_audiences", operation_id="updateCustomerProfileAudiences", status_code=204)
def update_customer_profile_audiences(
    body: CustomerProfileAudienceRequest,
    request: Request,
    scope: IntegrationScopeDep,
    now: NowDep,
    idempotency_key: IdempotencyKeyHeader = None,
) -> Response:
    """Add customer profiles to audiences or remove them."""
    actions = [
        MembershipAction(item.action, item.profile_integration_id, item.audience_id) for item in body.data
    ]
    return _write(
        request,
        scope,
        key=idempotency_key,
        body=body,
        now=now,
        subject="profile",
        operation=lambda uow: audiences.update_customer_profile_audiences(uow, scope, actions, now=now),
        render=_no_content,
    )


class _FlatAttributes(BaseModel):
    values: dict[str, Any]


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
    now: NowDep,
    idempotency_key: IdempotencyKeyHeader = None,
) -> Response:
    """Set attributes on every member of an audience."""
    return _write(
        request,
        scope,
        key=idempotency_key,
        body=_FlatAttributes(values=body),
        now=now,
        subject="profile",
        operation=lambda uow: audiences.update_audience_customers_attributes(uow, scope, audience_id, body),
        render=_no_content,
    )
