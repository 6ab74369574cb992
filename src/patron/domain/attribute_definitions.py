"""Attribute definitions, the built-in catalogue, and checking an `attributes` object against them."""

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any, Final

from patron.errors import ErrorDetail, ErrorSource, InvalidInputError, pointer_token


class Entity(StrEnum):
    APPLICATION = "Application"
    CAMPAIGN = "Campaign"
    CUSTOMER_PROFILE = "CustomerProfile"
    CUSTOMER_SESSION = "CustomerSession"
    CART_ITEM = "CartItem"
    COUPON = "Coupon"
    EVENT = "Event"
    GIVEAWAY = "Giveaway"
    LOYALTY_CARD = "LoyaltyCard"
    REFERRAL = "Referral"
    STORE = "Store"


class AttributeType(StrEnum):
    STRING = "string"
    NUMBER = "number"
    BOOLEAN = "boolean"
    TIME = "time"
    LIST_STRING = "(list string)"
    LIST_NUMBER = "(list number)"
    LIST_TIME = "(list time)"
    LOCATION = "location"
    LIST_LOCATION = "(list location)"


@dataclass(frozen=True, slots=True)
class AttributeDefinition:
    """A custom or built-in attribute of one entity; `id` is 0 until stored."""

    id: int
    account_id: int
    entity: Entity
    name: str
    title: str
    type: AttributeType
    created: datetime
    description: str = ""
    event_type: str | None = None
    suggestions: tuple[str, ...] = ()
    has_allowed_list: bool = False
    restricted_by_suggestions: bool = False
    editable: bool = True
    subscribed_applications_ids: tuple[int, ...] = ()
    built_in: bool = False

    def available_to(self, application_id: int) -> bool:
        return not self.subscribed_applications_ids or application_id in self.subscribed_applications_ids


_ADDRESS: Final = tuple(
    f"{kind}{part}"
    for kind in ("Billing", "Shipping")
    for part in (
        "Salutation",
        "Name",
        "Address1",
        "Address2",
        "Address3",
        "Address4",
        "City",
        "PostalCode",
        "Country",
    )
)
_PROFILE_STRINGS: Final = (
    "Name",
    "Email",
    "Gender",
    "Phone1",
    "Phone2",
    "Fax",
    "Url1",
    "Url2",
    "Url3",
    "Language",
    "Locale",
    *_ADDRESS,
    "PaymentMethod",
    "PaymentIdHash",
)
# SEMANTICS 16.3: the built-in attributes the public material names; data, not rules.
BUILT_IN_CATALOGUE: Final[tuple[tuple[Entity, str, AttributeType], ...]] = (
    *((Entity.CUSTOMER_PROFILE, name, AttributeType.STRING) for name in _PROFILE_STRINGS),
    (Entity.CUSTOMER_PROFILE, "BirthDate", AttributeType.TIME),
    (Entity.CUSTOMER_PROFILE, "SignupDate", AttributeType.TIME),
    (Entity.CUSTOMER_SESSION, "ShippingCost", AttributeType.NUMBER),
    *(
        (Entity.CUSTOMER_SESSION, name, AttributeType.STRING)
        for name in ("ShippingMethod", "PaymentMethod", "PaymentIdHash", *_ADDRESS)
    ),
)


def built_in_definitions(account_id: int, *, now: datetime) -> list[AttributeDefinition]:
    return [
        AttributeDefinition(
            id=0,
            account_id=account_id,
            entity=entity,
            name=name,
            title=name,
            type=attribute_type,
            created=now,
            description=f"Built-in {entity} attribute",
            editable=False,
            built_in=True,
        )
        for entity, name, attribute_type in BUILT_IN_CATALOGUE
    ]


@dataclass(frozen=True, slots=True)
class AttributeSchema:
    """The definitions that apply to one `attributes` object, by name."""

    entity: Entity
    definitions: dict[str, AttributeDefinition] = field(default_factory=dict)


def check_attributes(schema: AttributeSchema, attributes: dict[str, Any] | None, *, pointer: str) -> None:
    """Raise one InvalidInputError listing every unknown, mistyped or disallowed attribute (SEMANTICS 16.2).

    A null value is allowed for any defined attribute: it deletes the stored value.
    """
    problems = [
        problem
        for name, value in (attributes or {}).items()
        if (problem := _problem(schema, name, value, f"{pointer}/{pointer_token(name)}")) is not None
    ]
    if problems:
        raise InvalidInputError("The submitted data was invalid", details=problems)


def _problem(schema: AttributeSchema, name: str, value: Any, pointer: str) -> ErrorDetail | None:
    definition = schema.definitions.get(name)
    if definition is None:
        details = f'The attribute "{name}" is not defined on {schema.entity} entities.'
        return ErrorDetail("Unknown", details, ErrorSource(pointer=pointer))
    if value is None:
        return None
    if not _has_type(value, definition.type):
        details = f'Value of "{name}" attribute ({_show(value)}) is not a {definition.type}'
        return ErrorDetail("Invalid type", details, ErrorSource(pointer=pointer))
    if (definition.restricted_by_suggestions or definition.has_allowed_list) and not _allowed(
        value, definition
    ):
        details = f'Value of "{name}" attribute ({_show(value)}) is not one of the allowed values'
        return ErrorDetail("Not allowed", details, ErrorSource(pointer=pointer))
    return None


def _has_type(value: Any, attribute_type: AttributeType) -> bool:
    scalar = attribute_type.removeprefix("(list ").removesuffix(")")
    if attribute_type.startswith("(list "):
        return isinstance(value, list) and all(_is_scalar(element, scalar) for element in value)
    return _is_scalar(value, scalar)


def _is_scalar(value: Any, scalar: str) -> bool:
    if scalar == "number":
        return isinstance(value, int | Decimal | float) and not isinstance(value, bool)
    if scalar == "boolean":
        return isinstance(value, bool)
    if scalar == "time":
        return isinstance(value, str) and _is_rfc3339(value)
    return isinstance(value, str)


def _is_rfc3339(text: str) -> bool:
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return False
    return parsed.tzinfo is not None or len(text) == 10


def _allowed(value: Any, definition: AttributeDefinition) -> bool:
    values = value if isinstance(value, list) else [value]
    return all(str(element) in definition.suggestions for element in values)


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
