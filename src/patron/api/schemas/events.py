"""Event, and the custom event request."""

from datetime import datetime
from typing import Annotated, Self

from pydantic import Field, StrictInt, StrictStr

from patron.api.schemas.common import ApiModel, Attributes, RequestModel
from patron.api.schemas.profiles import ProfileResponseContent
from patron.domain import events


class Event(ApiModel):
    id: int
    created: datetime
    application_id: int
    profile_id: str
    store_integration_id: str | None = None
    type: str
    attributes: Attributes
    session_id: str | None = None
    effects: list[object] = Field(default_factory=list)

    @classmethod
    def of(cls, event: events.Event) -> Self:
        return cls(
            id=event.id,
            created=event.created,
            application_id=event.application_id,
            profile_id=event.profile_id,
            store_integration_id=event.store_integration_id,
            type=event.type,
            attributes=event.attributes,
            session_id=event.session_integration_id,
        )


# The same choices as a profile update's (the spec's two enums are identical).
EventResponseContent = ProfileResponseContent


class IntegrationEventV2Request(RequestModel):
    profile_id: Annotated[StrictStr, Field(min_length=1, max_length=1000)]
    store_integration_id: Annotated[StrictStr, Field(min_length=1, max_length=1000)] | None = None
    evaluable_campaign_ids: list[StrictInt] | None = None
    type: Annotated[StrictStr, Field(min_length=1, max_length=1000)]
    attributes: Attributes | None = None
    loyalty_cards: Annotated[list[StrictStr], Field(max_length=1)] | None = None
    response_content: list[EventResponseContent] | None = None
