"""Audience, and the requests that change audiences and memberships."""

from typing import Annotated, Literal, Self

import msgspec

from patron.api.schemas.common import Id, RequestBody, Timestamp, Wire
from patron.domain import audiences

Name = Annotated[str, msgspec.Meta(min_length=1, max_length=1000)]


class Audience(Wire, kw_only=True):
    account_id: int
    id: int
    created: Timestamp
    name: str
    sandbox: bool
    description: str | None = None
    subscribed_applications_ids: list[int]
    integration: str | None = None
    integration_id: str | None = None
    created_in_3rd_party: bool = msgspec.field(name="createdIn3rdParty")
    last_update: Timestamp

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


class NewAudience(RequestBody, kw_only=True):
    name: Name
    description: Annotated[str, msgspec.Meta(max_length=2000)] | None = None
    sandbox: bool | None = None
    subscribed_applications_ids: list[int] | None = None
    integration: Name | None = None
    integration_id: Name | None = None
    created_in_3rd_party: bool | None = msgspec.field(default=None, name="createdIn3rdParty")


class UpdateAudience(RequestBody, kw_only=True):
    name: Name
    subscribed_applications_ids: list[int] | None = None


class CustomerProfileAudienceRequestItem(RequestBody, kw_only=True):
    action: Literal["add", "delete"]
    profile_integration_id: Name
    audience_id: Id


class CustomerProfileAudienceRequest(RequestBody, kw_only=True):
    data: Annotated[list[CustomerProfileAudienceRequestItem], msgspec.Meta(max_length=1000)]
