"""Audience, and the requests that change audiences and memberships."""

from datetime import datetime
from typing import Annotated, Literal, Self

from pydantic import Field, StrictBool, StrictInt, StrictStr

from patron.api.schemas.common import ApiModel, Id, RequestModel
from patron.domain import audiences

Name = Annotated[StrictStr, Field(min_length=1, max_length=1000)]


class Audience(ApiModel):
    account_id: int
    id: int
    created: datetime
    name: str
    sandbox: bool
    description: str | None = None
    subscribed_applications_ids: list[int]
    integration: str | None = None
    integration_id: str | None = None
    created_in_3rd_party: bool = Field(alias="createdIn3rdParty")
    last_update: datetime

    @classmethod
    def of(cls, audience: audiences.Audience) -> Self:
        return cls(
            account_id=audience.account_id,
            id=audience.id,
            created=audience.created,
            name=audience.name,
            sandbox=audience.sandbox,
            description=audience.description,
            subscribed_applications_ids=list(audience.subscribed_applications_ids),
            integration=audience.integration,
            integration_id=audience.integration_id,
            created_in_3rd_party=audience.created_in_3rd_party,
            last_update=audience.last_update,
        )


class NewAudience(RequestModel):
    name: Name
    description: Annotated[StrictStr, Field(max_length=2000)] | None = None
    sandbox: StrictBool | None = None
    subscribed_applications_ids: list[StrictInt] | None = None
    integration: Annotated[StrictStr, Field(min_length=1, max_length=1000)] | None = None
    integration_id: Annotated[StrictStr, Field(min_length=1, max_length=1000)] | None = None
    created_in_3rd_party: StrictBool | None = Field(default=None, alias="createdIn3rdParty")


class UpdateAudience(RequestModel):
    name: Name
    subscribed_applications_ids: list[StrictInt] | None = None


class CustomerProfileAudienceRequestItem(RequestModel):
    action: Literal["add", "delete"]
    profile_integration_id: Annotated[StrictStr, Field(min_length=1, max_length=1000)]
    audience_id: Id


class CustomerProfileAudienceRequest(RequestModel):
    data: Annotated[list[CustomerProfileAudienceRequestItem], Field(max_length=1000)]
