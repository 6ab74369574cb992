"""Customer sessions, returns and reopening (Integration API)."""

from datetime import datetime
from typing import Annotated, Final

from fastapi import APIRouter, Path, Query, Request, Response
from pydantic import AwareDatetime

from patron.api.deps import IntegrationScopeDep, NowDep, UnitOfWorkDep, unit_of_work_for
from patron.api.integration._writes import IdempotencyKeyHeader, json_rendered, respond_once
from patron.api.responses import TalonJSONResponse
from patron.api.routing import TalonRoute
from patron.api.schemas.common import ApiModel
from patron.api.schemas.integration import IntegrationStateV2, integration_state
from patron.api.schemas.sessions import CustomerSessionV2, IntegrationRequest, ReturnIntegrationRequest
from patron.errors import InvalidInputError
from patron.services import sessions

router = APIRouter(route_class=TalonRoute, tags=["Customer sessions"])
SessionId = Annotated[str, Path(alias="customerSessionId", min_length=1, max_length=1000)]
Dry = Annotated[bool, Query(description="Evaluate and answer, but store nothing.")]
_DEFAULT_CONTENT: Final = {"customerSession"}


class IntegrationCustomerSessionResponse(ApiModel):
    customer_session: CustomerSessionV2
    effects: list[object]


class ReopenSessionResponse(ApiModel):
    effects: list[object]


@router.put(
    "/v2/customer_sessions/{customerSessionId}",
    operation_id="updateCustomerSessionV2",
    response_model=IntegrationStateV2,
)
def update_customer_session(
    customer_session_id: SessionId,
    body: IntegrationRequest,
    request: Request,
    scope: IntegrationScopeDep,
    now: NowDep,
    idempotency_key: IdempotencyKeyHeader = None,
    dry: Dry = False,
    evaluation_time: Annotated[AwareDatetime | None, Query(alias="now")] = None,
) -> Response:
    """Create or update a customer session."""
    content = set(body.response_content or ()) | _DEFAULT_CONTENT
    _check_dry_only(dry=dry, content=content, evaluation_time=evaluation_time, now=now)
    uow = unit_of_work_for(request, dry=dry, subject="session")
    update = body.customer_session.to_domain()
    return respond_once(
        request,
        uow,
        scope,
        idempotency_key=None if dry else idempotency_key,
        contended=None if dry else (f"session:{scope.application_id}:{customer_session_id}", "session"),
        body=body,
        now=now,
        operation=lambda: sessions.update_customer_session(
            uow,
            scope,
            customer_session_id,
            update,
            now=now,
            dry=dry,
            additional_cost_names=request.app.state.settings.additional_cost_names,
        ),
        render=lambda state: json_rendered(integration_state(state, content)),
    )


@router.get(
    "/v2/customer_sessions/{customerSessionId}",
    operation_id="getCustomerSession",
    response_model=IntegrationCustomerSessionResponse,
)
def get_customer_session(
    customer_session_id: SessionId, scope: IntegrationScopeDep, uow: UnitOfWorkDep
) -> TalonJSONResponse:
    """Read a customer session of this Application."""
    session = sessions.get_customer_session(uow, scope, customer_session_id)
    return TalonJSONResponse(
        IntegrationCustomerSessionResponse(customer_session=CustomerSessionV2.of(session), effects=[])
    )


@router.post(
    "/v2/customer_sessions/{customerSessionId}/returns",
    operation_id="returnCartItems",
    response_model=IntegrationStateV2,
)
def return_cart_items(
    customer_session_id: SessionId,
    body: ReturnIntegrationRequest,
    request: Request,
    scope: IntegrationScopeDep,
    now: NowDep,
    idempotency_key: IdempotencyKeyHeader = None,
    dry: Dry = False,
    run_rule_engine: Annotated[bool, Query(alias="runRuleEngine")] = False,
) -> Response:
    """Return cart items of a closed session."""
    content = set(body.response_content or ()) | _DEFAULT_CONTENT
    uow = unit_of_work_for(request, dry=dry, subject="session")
    items = [item.to_domain() for item in body.return_.returned_cart_items]
    return respond_once(
        request,
        uow,
        scope,
        idempotency_key=None if dry else idempotency_key,
        contended=None if dry else (f"session:{scope.application_id}:{customer_session_id}", "session"),
        body=body,
        now=now,
        operation=lambda: sessions.return_cart_items(
            uow, scope, customer_session_id, items, now=now, dry=dry
        ),
        render=lambda state: json_rendered(integration_state(state, content)),
    )


@router.put(
    "/v2/customer_sessions/{customerSessionId}/reopen",
    operation_id="reopenCustomerSession",
    response_model=ReopenSessionResponse,
)
def reopen_customer_session(
    customer_session_id: SessionId,
    request: Request,
    scope: IntegrationScopeDep,
    now: NowDep,
    idempotency_key: IdempotencyKeyHeader = None,
) -> Response:
    """Reopen a closed session."""
    uow = unit_of_work_for(request, dry=False, subject="session")

    return respond_once(
        request,
        uow,
        scope,
        idempotency_key=idempotency_key,
        contended=(f"session:{scope.application_id}:{customer_session_id}", "session"),
        body=None,
        now=now,
        operation=lambda: sessions.reopen_customer_session(uow, scope, customer_session_id, now=now),
        render=lambda _state: json_rendered(ReopenSessionResponse(effects=[])),
    )


def _check_dry_only(*, dry: bool, content: set[str], evaluation_time: datetime | None, now: datetime) -> None:
    """`now` and `campaignEligibility` make sense only for a dry request (SEMANTICS 11.3, 11.5)."""
    if "campaignEligibility" in content and not dry:
        raise InvalidInputError(
            "campaignEligibility can only be requested with dry=true", pointer="/responseContent"
        )
    if evaluation_time is not None and (not dry or evaluation_time <= now):
        raise InvalidInputError("now must be a future time, and only with dry=true", parameter="now")
