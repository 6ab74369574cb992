"""CustomerProfile and the profile update requests."""

from typing import Annotated, Literal, Self

import msgspec

from patron.api.schemas.common import Attributes, Id, Money, RequestBody, Timestamp, Wire
from patron.domain import profiles

IntegrationId = Annotated[str, msgspec.Meta(min_length=1, max_length=1000)]


class AudienceMembership(Wire, kw_only=True):
    id: int
    name: str


class CustomerProfile(Wire, kw_only=True):
    id: int
    created: Timestamp
    integration_id: str
    attributes: Attributes
    account_id: int
    closed_sessions: int
    total_sales: Money
    # Deprecated and always null, but present: recorded Talon.One responses carry it (SEMANTICS 4.10).
    loyalty_memberships: None
    audience_memberships: list[AudienceMembership]
    last_activity: Timestamp
    sandbox: bool

    @classmethod
    def of(cls, profile: profiles.CustomerProfile) -> Self:
        return cls(
            id=profile.id,
            created=profile.created,
            integration_id=profile.integration_id,
            attributes=profile.attributes,
            account_id=profile.account_id,
            closed_sessions=profile.closed_sessions,
            total_sales=profile.total_sales,
            loyalty_memberships=None,
            audience_memberships=[
                AudienceMembership(id=m.id, name=m.name) for m in profile.audience_memberships
            ],
            last_activity=profile.last_activity,
            sandbox=profile.sandbox,
        )


class ProfileAudiencesChanges(RequestBody, kw_only=True):
    adds: list[Id]
    deletes: list[Id]


ProfileResponseContent = Literal[
    "customerProfile",
    "triggeredCampaigns",
    "loyalty",
    "event",
    "awardedGiveaways",
    "ruleFailureReasons",
    "campaignEligibility",
]


class CustomerProfileIntegrationRequestV2(RequestBody, kw_only=True):
    attributes: Attributes | None = None
    evaluable_campaign_ids: list[int] | None = None
    audiences_changes: ProfileAudiencesChanges | None = None
    response_content: list[ProfileResponseContent] | None = None


class CustomerProfileEntry(RequestBody, kw_only=True):
    integration_id: IntegrationId
    attributes: Attributes | None = None


class MultipleCustomerProfileIntegrationRequest(RequestBody, kw_only=True):
    customer_profiles: Annotated[list[CustomerProfileEntry], msgspec.Meta(min_length=1, max_length=1000)]


class CustomerProfileUpdateV2Response(Wire, kw_only=True):
    customer_profile: CustomerProfile


class MultipleCustomerProfileIntegrationResponseV2(Wire, kw_only=True):
    integration_states: list[CustomerProfileUpdateV2Response]
