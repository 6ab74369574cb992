"""Custom events (Integration API)."""

from datetime import datetime
from typing import Any, Final, Literal

from patron.api.integration import api
from patron.api.operations import Answer, Call, Params
from patron.api.schemas.events import IntegrationEventV2Request
from patron.api.schemas.integration import IntegrationStateV2, integration_state
from patron.domain.tenancy import ApplicationScope
from patron.errors import InvalidInputError
from patron.services import events
from patron.store import locks
from patron.store.database import Transaction

# With silent=no the answer always carries the profile (SEMANTICS 12.3).
_DEFAULT_CONTENT: Final = {"customerProfile"}


class EventParams(Params, kw_only=True):
    silent: Literal["yes", "no"] = "yes"
    dry: bool = False
    force_complete_evaluation: bool = False


def _dry(call: Call[EventParams, Any]) -> bool:
    return call.params.dry


def _profile_of(scope: ApplicationScope, call: Call[Any, IntegrationEventV2Request]) -> str:
    return locks.profile(scope.account_id, scope.sandbox, call.body.profile_id)


@api.write(
    "POST",
    "/v2/events",
    "trackEventV2",
    tags=["Events"],
    params=EventParams,
    body=IntegrationEventV2Request,
    answers={200: IntegrationStateV2, 204: None},
    idempotent=True,
    subject="profile",
    dry=_dry,
    contended=_profile_of,
)
async def track_event(
    tx: Transaction,
    scope: ApplicationScope,
    call: Call[EventParams, IntegrationEventV2Request],
    now: datetime,
) -> Answer:
    """Track a custom event of a customer."""
    params, body = call.params, call.body
    if params.force_complete_evaluation and not params.dry:
        raise InvalidInputError("forceCompleteEvaluation needs dry=true", parameter="forceCompleteEvaluation")
    state = await events.track_event(
        tx,
        scope,
        profile_id=body.profile_id,
        event_type=body.type,
        attributes=body.attributes or {},
        store_integration_id=body.store_integration_id,
        now=now,
    )
    if params.silent == "yes":
        return Answer.no_content()
    return Answer.json(integration_state(state, set(body.response_content or ()) | _DEFAULT_CONTENT))
