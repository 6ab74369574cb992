"""The camelCase base model, and shapes shared by many operations."""

from decimal import Decimal
from typing import Annotated, Any, Generic, TypeVar

from pydantic import AwareDatetime, BaseModel, BeforeValidator, ConfigDict, Field, StrictInt, WithJsonSchema
from pydantic.alias_generators import to_camel


class ApiModel(BaseModel):
    """camelCase on the wire, snake_case in Python; built from domain dataclasses by attribute."""

    model_config = ConfigDict(
        alias_generator=to_camel,
        validate_by_alias=True,
        validate_by_name=True,
        serialize_by_alias=True,
        from_attributes=True,
    )


class RequestModel(ApiModel):
    """Request bodies: unknown keys are ignored (SEMANTICS 3.5); JSON types are not coerced."""

    model_config = ConfigDict(extra="ignore", strict=True)


def _json_number(value: Any) -> Any:
    # The request parser turns JSON numbers into int or Decimal; anything else is no number.
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise ValueError("must be a JSON number")
    return Decimal(value)


_LIMIT = 10**15
# Money stays an exact Decimal end to end; the JSON encoder writes it as a plain number.
Amount = Annotated[
    Decimal,
    BeforeValidator(_json_number),
    Field(ge=-_LIMIT, le=_LIMIT, allow_inf_nan=False),
    WithJsonSchema({"type": "number", "minimum": -_LIMIT, "maximum": _LIMIT}),
]
# A non-negative measure (weight, sizes).
Measure = Annotated[
    Decimal,
    BeforeValidator(_json_number),
    Field(ge=0, le=_LIMIT, allow_inf_nan=False),
    WithJsonSchema({"type": "number", "minimum": 0, "maximum": _LIMIT}),
]
# A Decimal in an answer: TalonJSONResponse writes it as a JSON number, never as a string.
Money = Annotated[Decimal, WithJsonSchema({"type": "number"})]
Timestamp = AwareDatetime
# Ids are 32-bit INTEGER columns: a number outside this range names nothing and cannot even be bound.
MIN_ID = -(2**31)
MAX_ID = 2**31 - 1
Id = Annotated[StrictInt, Field(ge=MIN_ID, le=MAX_ID)]
Attributes = dict[str, Any]
T = TypeVar("T")


class ErrorSource(ApiModel):
    pointer: str | None = None
    parameter: str | None = None
    line: str | None = None


class APIError(ApiModel):
    title: str
    details: str | None = None
    source: ErrorSource


class ErrorResponseWithStatus(ApiModel):
    message: str
    errors: list[APIError]
    status_code: int = Field(alias="StatusCode")


class Page(ApiModel, Generic[T]):
    """A list envelope: `hasMore` and/or `totalResultSize`, then `data`."""

    has_more: bool | None = None
    total_result_size: int | None = None
    data: list[T]
