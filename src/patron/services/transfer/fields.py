"""Checking one field of an imported row; rows do not pass the wire schemas, so the API's limits are here."""

from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, Final, NoReturn

from patron.domain.attribute_definitions import AttributeSchema, AttributeType, check_attributes
from patron.errors import InvalidInputError
from patron.services.transfer.files import RowError

# The API's limits (SEMANTICS 6.1).
MAX_ID: Final = 1000
MAX_CODE: Final = 100
_MAX_AMOUNT: Final = Decimal("1e15")


def fail(name: str, message: str) -> NoReturn:
    raise RowError(f"{name}: {message}")


def text(
    record: dict[str, Any], name: str, *, default: str | None = None, low: int = 0, high: int = MAX_ID
) -> str:
    value = record.get(name, default)
    if value is None:
        fail(name, "required")
    if not isinstance(value, str):
        fail(name, "must be a string")
    if not low <= len(value) <= high:
        fail(name, f"must have {low} to {high} characters")
    return value


def optional_text(record: dict[str, Any], name: str, *, low: int = 0, high: int = MAX_ID) -> str | None:
    return text(record, name, low=low, high=high) if name in record else None


def integer(value: Any, name: str, *, low: int, high: int | None = None) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        fail(name, "must be an integer")
    if value < low or (high is not None and value > high):
        fail(name, f"must be between {low} and {high}" if high is not None else f"must be at least {low}")
    return value


def boolean(record: dict[str, Any], name: str, default: bool) -> bool:
    value = record.get(name, default)
    if not isinstance(value, bool):
        fail(name, "must be true or false")
    return value


def number(value: Any, name: str, *, low: Decimal = -_MAX_AMOUNT) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        fail(name, "must be a number")
    amount = Decimal(value)
    if not amount.is_finite() or not low <= amount <= _MAX_AMOUNT:
        fail(name, f"must be between {low} and {_MAX_AMOUNT}")
    return amount


def timestamp(record: dict[str, Any], name: str, default: datetime | None) -> datetime | None:
    value = record.get(name)
    if value is None:
        return default
    if not isinstance(value, str):
        fail(name, "must be an RFC 3339 time")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        fail(name, f"{value[:50]!r} is not an RFC 3339 time")
    if parsed.tzinfo is None:
        fail(name, "needs a time zone offset (Z for UTC)")
    return parsed.astimezone(UTC)


def json_object(record: dict[str, Any], name: str) -> dict[str, Any]:
    value = record.get(name, {})
    if not isinstance(value, dict):
        fail(name, "must be a JSON object")
    return value


def strings(
    record: dict[str, Any], name: str, *, most: int | None = None, high: int = MAX_ID
) -> tuple[str, ...] | None:
    value = record.get(name)
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(element, str) for element in value):
        fail(name, "must be a JSON array of strings")
    if most is not None and len(value) > most:
        fail(name, f"holds more than {most} values")
    if any(len(element) > high for element in value):
        fail(name, f"has a value longer than {high} characters")
    return tuple(value)


def costs(value: Any, name: str) -> dict[str, Decimal]:
    if not isinstance(value, dict):
        fail(name, "must be a JSON object of {name: {price}}")
    found: dict[str, Decimal] = {}
    for cost, entry in value.items():
        if not isinstance(entry, dict) or set(entry) != {"price"}:
            fail(f"{name}.{cost}", 'must be {"price": number}')
        found[cost] = number(entry["price"], f"{name}.{cost}.price")
    return found


def checked_attributes(schema: AttributeSchema, value: dict[str, Any], name: str) -> dict[str, Any]:
    try:
        check_attributes(schema, value, pointer=f"/{name}")
    except InvalidInputError as exc:
        raise RowError("; ".join(detail.details for detail in exc.details)) from exc
    return value


AttributeCheck = Callable[[dict[str, Any], str], dict[str, Any]]
# Attribute types whose check is one exact type test, for the fast path below.
_PLAIN_TYPES: Final[dict[AttributeType, tuple[type, ...]]] = {
    AttributeType.STRING: (str,),
    AttributeType.NUMBER: (int, Decimal),
    AttributeType.BOOLEAN: (bool,),
}


def attribute_checker(schema: AttributeSchema) -> AttributeCheck:
    """`check_attributes` with the definitions prepared once, for files of millions of rows.

    A value of a plain, unrestricted type passes on one exact type test (the same test the
    domain makes); anything else, errors included, goes through `check_attributes` itself.
    """
    plain = {
        name: _PLAIN_TYPES[definition.type]
        for name, definition in schema.definitions.items()
        if definition.type in _PLAIN_TYPES
        and not (definition.restricted_by_suggestions or definition.has_allowed_list)
    }

    def check(value: dict[str, Any], name: str) -> dict[str, Any]:
        for key, element in value.items():
            if type(element) not in plain.get(key, ()):
                return checked_attributes(schema, value, name)
        return value

    return check
