"""Custom events (Integration API)."""

from typing import Annotated, Final, Literal

from fastapi import APIRouter, Query, Request, Response

from patron.api.deps import IntegrationScopeDep, NowDep, unit_of_work_for
from patron.api.integration._writes import IdempotencyKeyHeader, json_rendered, respond_once
from patron.api.routing import TalonRoute
from patron.api.schemas.events import IntegrationEventV2Request
from patron.api.schemas.integration import IntegrationStateV2, integration_state
from patron.errors import InvalidInputError
from patron.services import events

router = APIRouter(route_class=TalonRoute, tags=["Events"])
# With silent=no the answer always carries the profile (SEMANTICS 12.3).
_DEFAULT_CONTENT: Final = {"customerProfile"}


@router.post(
    "/v2/events",
    operation_id="trackEventV2",
    response_model=IntegrationStateV2,
    responses={204: {"description": "Tracked (silent=yes)"}},
)
def track_event(
    body: IntegrationEventV2Request,
    request: Request,
    scope: IntegrationScopeDep,
    now: NowDep,
    idempotency_key: IdempotencyKeyHeader = None,
    silent: Annotated[Literal["yes", "no"], Query()] = "yes",
    dry: bool = False,
    force_complete_evaluation: Annotated[bool, Query(alias="forceCompleteEvaluation")] = False,
) -> Response:
    """Track a custom event of a customer."""
    if force_complete_evaluation and not dry:
        raise InvalidInputError("forceCompleteEvaluation needs dry=true", parameter="forceCompleteEvaluation")
    content = set(body.response_content or ()) | _DEFAULT_CONTENT
    uow = unit_of_work_for(request, dry=dry, subject="profile")
    return respond_once(
        request,
        uow,
        scope,
        idempotency_key=None if dry else idempotency_key,
        contended=None
        if dry
        else (f"profile:{scope.account_id}:{int(scope.sandbox)}:{body.profile_id}", "profile"),
        body=body,
        now=now,
        operation=lambda: events.track_event(
            uow,
            scope,
            profile_id=body.profile_id,
            event_type=body.type,
            attributes=body.attributes or {},
            store_integration_id=body.store_integration_id,
            now=now,
            dry=dry,
        ),
        render=lambda state: (
            json_rendered(None, 204) if silent == "yes" else json_rendered(integration_state(state, content))
        ),
    )
