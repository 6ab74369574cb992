"""Customer sessions, returns and reopening (Integration API)."""

from datetime import datetime
from typing import Annotated, Any, Final

import msgspec

from patron.api.integration import api
from patron.api.operations import Answer, Call, Params
from patron.api.schemas.integration import (
    IntegrationCustomerSessionResponse,
    IntegrationStateV2,
    ReopenSessionResponse,
    integration_state,
)
from patron.api.schemas.sessions import CustomerSessionV2, IntegrationRequest, ReturnIntegrationRequest
from patron.domain.tenancy import ApplicationScope
from patron.errors import InvalidInputError
from patron.services import sessions
from patron.store import locks
from patron.store.database import Transaction

SessionId = Annotated[str, msgspec.Meta(min_length=1, max_length=1000)]
Dry = Annotated[bool, msgspec.Meta(description="Evaluate and answer, but store nothing.")]
_DEFAULT_CONTENT: Final = {"customerSession"}
_TAGS: Final = ["Customer sessions"]


class SessionPath(Params, kw_only=True):
    customer_session_id: SessionId


class UpdateSessionParams(SessionPath, kw_only=True):
    dry: Dry = False
    now: (
        Annotated[datetime, msgspec.Meta(tz=True, description="Evaluate as of this future time (dry only).")]
        | None
    ) = None


class ReturnParams(SessionPath, kw_only=True):
    dry: Dry = False
    run_rule_engine: bool = False


def _session_of(scope: ApplicationScope, call: Call[SessionPath, Any]) -> str:
    return locks.session(scope.application_id, call.params.customer_session_id)


def _dry(call: Call[Any, Any]) -> bool:
    return bool(call.params.dry)


@api.write(
    "PUT",
    "/v2/customer_sessions/{customerSessionId}",
    "updateCustomerSessionV2",
    tags=_TAGS,
    params=UpdateSessionParams,
    body=IntegrationRequest,
    answers={200: IntegrationStateV2},
    finds=False,
    idempotent=True,
    subject="session",
    dry=_dry,
    contended=_session_of,
)
async def update_customer_session(
    tx: Transaction,
    scope: ApplicationScope,
    call: Call[UpdateSessionParams, IntegrationRequest],
    now: datetime,
) -> Answer:
    """Create or update a customer session."""
    content = set(call.body.response_content or ()) | _DEFAULT_CONTENT
    _check_dry_only(dry=call.params.dry, content=content, evaluation_time=call.params.now, now=now)
    state = await sessions.update_customer_session(
        tx,
        scope,
        call.params.customer_session_id,
        call.body.customer_session.to_domain(),
        now=now,
        additional_cost_names=call.settings.additional_cost_names,
        show_profile="customerProfile" in content,
    )
    return Answer.json(integration_state(state, content))


@api.read(
    "GET",
    "/v2/customer_sessions/{customerSessionId}",
    "getCustomerSession",
    tags=_TAGS,
    params=SessionPath,
    answers={200: IntegrationCustomerSessionResponse},
)
async def get_customer_session(
    tx: Transaction, scope: ApplicationScope, call: Call[SessionPath, None], now: datetime
) -> Answer:
    """Read a customer session of this Application."""
    session = await sessions.get_customer_session(tx, scope, call.params.customer_session_id)
    return Answer.json(
        IntegrationCustomerSessionResponse(customer_session=CustomerSessionV2.of(session), effects=[])
    )


@api.write(
    "POST",
    "/v2/customer_sessions/{customerSessionId}/returns",
    "returnCartItems",
    tags=_TAGS,
    params=ReturnParams,
    body=ReturnIntegrationRequest,
    answers={200: IntegrationStateV2},
    idempotent=True,
    subject="session",
    dry=_dry,
    contended=_session_of,
)
async def return_cart_items(
    tx: Transaction,
    scope: ApplicationScope,
    call: Call[ReturnParams, ReturnIntegrationRequest],
    now: datetime,
) -> Answer:
    """Return cart items of a closed session."""
    content = set(call.body.response_content or ()) | _DEFAULT_CONTENT
    items = [item.to_domain() for item in call.body.return_.returned_cart_items]
    state = await sessions.return_cart_items(tx, scope, call.params.customer_session_id, items, now=now)
    return Answer.json(integration_state(state, content))


@api.write(
    "PUT",
    "/v2/customer_sessions/{customerSessionId}/reopen",
    "reopenCustomerSession",
    tags=_TAGS,
    params=SessionPath,
    answers={200: ReopenSessionResponse},
    idempotent=True,
    subject="session",
    contended=_session_of,
)
async def reopen_customer_session(
    tx: Transaction, scope: ApplicationScope, call: Call[SessionPath, None], now: datetime
) -> Answer:
    """Reopen a closed session."""
    await sessions.reopen_customer_session(tx, scope, call.params.customer_session_id, now=now)
    return Answer.json(ReopenSessionResponse(effects=[]))


def _check_dry_only(*, dry: bool, content: set[str], evaluation_time: datetime | None, now: datetime) -> None:
    """`now` and `campaignEligibility` make sense only for a dry request (SEMANTICS 11.3, 11.5)."""
    if "campaignEligibility" in content and not dry:
        raise InvalidInputError(
            "campaignEligibility can only be requested with dry=true", pointer="/responseContent"
        )
    if evaluation_time is not None and (not dry or evaluation_time <= now):
        raise InvalidInputError("now must be a future time, and only with dry=true", parameter="now")
