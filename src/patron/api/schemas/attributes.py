"""Attribute, as the Management API shows and creates it."""

from datetime import datetime
from typing import Annotated, Literal, Self

import msgspec

from patron.api.schemas.common import RequestBody, Timestamp, Wire
from patron.domain import attribute_definitions as definitions

EntityName = Literal[
    "Application",
    "Campaign",
    "CustomerProfile",
    "CustomerSession",
    "CartItem",
    "Coupon",
    "Event",
    "Giveaway",
    "LoyaltyCard",
    "Referral",
    "Store",
]
TypeName = Literal[
    "string",
    "number",
    "boolean",
    "time",
    "(list string)",
    "(list number)",
    "(list time)",
    "location",
    "(list location)",
]


class Attribute(Wire, kw_only=True):
    id: int
    created: Timestamp
    account_id: int
    entity: EntityName
    event_type: str | None = None
    name: str
    title: str
    type: TypeName
    description: str
    suggestions: list[str]
    has_allowed_list: bool
    restricted_by_suggestions: bool
    editable: bool
    subscribed_applications_ids: list[int]

    @classmethod
    def of(cls, definition: definitions.AttributeDefinition) -> Self:
        return cls(
            id=definition.id,
            created=definition.created,
            account_id=definition.account_id,
            entity=definition.entity.value,
            event_type=definition.event_type,
            name=definition.name,
            title=definition.title,
            type=definition.type.value,
            description=definition.description,
            suggestions=list(definition.suggestions),
            has_allowed_list=definition.has_allowed_list,
            restricted_by_suggestions=definition.restricted_by_suggestions,
            editable=definition.editable,
            subscribed_applications_ids=list(definition.subscribed_applications_ids),
        )


class NewAttribute(RequestBody, kw_only=True):
    entity: EntityName
    event_type: Annotated[str, msgspec.Meta(min_length=1, max_length=1000)] | None = None
    name: Annotated[str, msgspec.Meta(pattern=r"^[A-Za-z]\w*$", max_length=1000)]
    title: Annotated[str, msgspec.Meta(pattern=r"^[A-Za-z][A-Za-z0-9_.!~*'() -]*$", max_length=1000)]
    type: TypeName
    description: Annotated[str, msgspec.Meta(max_length=2000)]
    suggestions: Annotated[list[Annotated[str, msgspec.Meta(min_length=1)]], msgspec.Meta(max_length=50)]
    has_allowed_list: bool = False
    restricted_by_suggestions: bool = False
    editable: bool
    subscribed_applications_ids: list[int] | None = None

    def to_domain(self, account_id: int, *, now: datetime) -> definitions.AttributeDefinition:
        return definitions.AttributeDefinition(
            id=0,
            account_id=account_id,
            entity=definitions.Entity(self.entity),
            event_type=self.event_type,
            name=self.name,
            title=self.title,
            type=definitions.AttributeType(self.type),
            created=now,
            description=self.description,
            suggestions=tuple(self.suggestions),
            has_allowed_list=self.has_allowed_list,
            restricted_by_suggestions=self.restricted_by_suggestions,
            editable=self.editable,
            subscribed_applications_ids=tuple(self.subscribed_applications_ids or ()),
        )
