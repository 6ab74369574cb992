"""CustomerProfile and the profile update requests."""

from datetime import datetime
from typing import Annotated, Any, Literal, Self

from pydantic import (
    Field,
    GetJsonSchemaHandler,
    SerializerFunctionWrapHandler,
    StrictInt,
    StrictStr,
    model_serializer,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import core_schema

from patron.api.schemas.common import ApiModel, Attributes, Id, Money, RequestModel
from patron.domain import profiles

IntegrationId = Annotated[StrictStr, Field(min_length=1, max_length=1000)]


class AudienceMembership(ApiModel):
    id: int
    name: str


class CustomerProfile(ApiModel):
    id: int
    created: datetime
    integration_id: str
    attributes: Attributes
    account_id: int
    closed_sessions: int
    total_sales: Money
    loyalty_memberships: None = None
    audience_memberships: list[AudienceMembership]
    last_activity: datetime
    sandbox: bool

    @model_serializer(mode="wrap")
    def _always_null_loyalty(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        # Deprecated and always null, but present: recorded Talon.One responses carry it (SEMANTICS 4.10).
        data: dict[str, Any] = handler(self)
        data["loyaltyMemberships"] = None
        return data

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        # Describe the fields, not the serializer's plain dict; loyaltyMemberships is always sent.
        json_schema = handler({key: value for key, value in schema.items() if key != "serialization"})
        shown = handler.resolve_ref_schema(json_schema)
        shown["required"] = [*shown["required"], "loyaltyMemberships"]
        return json_schema

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
            audience_memberships=[
                AudienceMembership(id=m.id, name=m.name) for m in profile.audience_memberships
            ],
            last_activity=profile.last_activity,
            sandbox=profile.sandbox,
        )


class ProfileAudiencesChanges(RequestModel):
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


class CustomerProfileIntegrationRequestV2(RequestModel):
    attributes: Attributes | None = None
    evaluable_campaign_ids: list[StrictInt] | None = None
    audiences_changes: ProfileAudiencesChanges | None = None
    response_content: list[ProfileResponseContent] | None = None


class CustomerProfileEntry(RequestModel):
    integration_id: IntegrationId
    attributes: Attributes | None = None


class MultipleCustomerProfileIntegrationRequest(RequestModel):
    customer_profiles: list[CustomerProfileEntry] = Field(min_length=1, max_length=1000)


class CustomerProfileUpdateV2Response(ApiModel):
    customer_profile: CustomerProfile


class MultipleCustomerProfileIntegrationResponseV2(ApiModel):
    integration_states: list[CustomerProfileUpdateV2Response]
