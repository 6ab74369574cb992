"""The integration states Integration API writes answer with."""

from typing import Any, Final

import msgspec

from patron.api.schemas.common import Wire
from patron.api.schemas.events import Event
from patron.api.schemas.profiles import CustomerProfile
from patron.api.schemas.sessions import CustomerSessionV2, Return
from patron.services.results import IntegrationState


class IntegrationStateV2(Wire, kw_only=True):
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
    return_: Return | None = msgspec.field(default=None, name="return")
    effects: list[Any]
    created_coupons: list[Any]
    created_referrals: list[Any]


class IntegrationCustomerSessionResponse(Wire, kw_only=True):
    customer_session: CustomerSessionV2
    effects: list[Any]


class ReopenSessionResponse(Wire, kw_only=True):
    effects: list[Any]


# With no campaigns, these keys are always empty when asked for.
_EMPTY_LISTS: Final = (
    ("coupons", "coupons"),
    ("triggeredCampaigns", "triggered_campaigns"),
    ("awardedGiveaways", "awarded_giveaways"),
    ("ruleFailureReasons", "rule_failure_reasons"),
    ("campaignEligibility", "campaign_eligibility"),
)


def integration_state(state: IntegrationState, include: set[str]) -> IntegrationStateV2:
    """Build the answer from `state`, with the keys named in `include` (wire names)."""
    values: dict[str, Any] = {field: [] for name, field in _EMPTY_LISTS if name in include}
    if "customerSession" in include and state.session is not None:
        values["customer_session"] = CustomerSessionV2.of(state.session)
    if "customerProfile" in include and state.profile is not None:
        values["customer_profile"] = CustomerProfile.of(state.profile)
    if "event" in include and state.event is not None:
        values["event"] = Event.of(state.event)
    if "loyalty" in include:
        values["loyalty"] = {"programs": {}}
    if "previousReturns" in include:
        values["previous_returns"] = [Return.of(record) for record in state.previous_returns]
    if state.session_return is not None:
        values["return_"] = Return.of(state.session_return)
    return IntegrationStateV2(effects=[], created_coupons=[], created_referrals=[], **values)
