"""The integration states Integration API writes answer with."""

from typing import Any, Final

from pydantic import Field

from patron.api.schemas.common import ApiModel
from patron.api.schemas.events import Event
from patron.api.schemas.profiles import CustomerProfile
from patron.api.schemas.sessions import CustomerSessionV2, Return
from patron.services.results import IntegrationState


class IntegrationStateV2(ApiModel):
    """One shape for every Integration write answer; keys appear as `responseContent` asks (SEMANTICS 6.9)."""

    customer_session: CustomerSessionV2 | None = None
    customer_profile: CustomerProfile | None = None
    event: Event | None = None
    loyalty: dict[str, Any] | None = None
    referral: dict[str, Any] | None = None
    coupons: list[Any] | None = None
    triggered_campaigns: list[Any] | None = None
    awarded_giveaways: list[Any] | None = None
    rule_failure_reasons: list[Any] | None = None
    campaign_eligibility: list[Any] | None = None
    previous_returns: list[Return] | None = None
    return_: Return | None = Field(default=None, alias="return")
    effects: list[Any] = Field(default_factory=list)
    created_coupons: list[Any] = Field(default_factory=list)
    created_referrals: list[Any] = Field(default_factory=list)


# With no campaigns, these keys are always empty when asked for.
_EMPTY_LISTS: Final = (
    "coupons",
    "triggeredCampaigns",
    "awardedGiveaways",
    "ruleFailureReasons",
    "campaignEligibility",
)


def integration_state(state: IntegrationState, include: set[str]) -> IntegrationStateV2:
    """Build the answer from `state`, with the keys named in `include` (wire names)."""
    values: dict[str, Any] = {name: [] for name in _EMPTY_LISTS if name in include}
    if "customerSession" in include and state.session is not None:
        values["customerSession"] = CustomerSessionV2.of(state.session)
    if "customerProfile" in include and state.profile is not None:
        values["customerProfile"] = CustomerProfile.of(state.profile)
    if "event" in include and state.event is not None:
        values["event"] = Event.of(state.event)
    if "loyalty" in include:
        values["loyalty"] = {"programs": {}}
    if "previousReturns" in include:
        values["previousReturns"] = [Return.of(record) for record in state.previous_returns]
    if state.session_return is not None:
        values["return"] = Return.of(state.session_return)
    return IntegrationStateV2.model_validate(values)
