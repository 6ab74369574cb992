"""Event, and the custom event request."""

from typing import Annotated, Any, Self

import msgspec

from patron.api.schemas.common import Attributes, RequestBody, Timestamp, Wire
from patron.api.schemas.profiles import ProfileResponseContent
from patron.domain import events

NonEmptyText = Annotated[str, msgspec.Meta(min_length=1, max_length=1000)]


class Event(Wire, kw_only=True):
    id: int
    created: Timestamp
    application_id: int
    profile_id: str
    store_integration_id: str | None = None
    type: str
    attributes: Attributes
    session_id: str | None = None
    effects: list[Any]

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
            effects=[],
        )


# The same choices as a profile update's (the spec's two enums are identical).
EventResponseContent = ProfileResponseContent


class IntegrationEventV2Request(RequestBody, kw_only=True):
    profile_id: NonEmptyText
    store_integration_id: NonEmptyText | None = None
    evaluable_campaign_ids: list[int] | None = None
    type: NonEmptyText
    attributes: Attributes | None = None
    loyalty_cards: Annotated[list[str], msgspec.Meta(max_length=1)] | None = None
    response_content: list[EventResponseContent] | None = None
