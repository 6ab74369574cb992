"""The camelCase base model, and shapes shared by many operations."""

from decimal import Decimal
from typing import Annotated, Any, Generic, TypeVar

from pydantic import AwareDatetime, BaseModel, BeforeValidator, ConfigDict, Field
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


# Money stays an exact Decimal end to end; the JSON encoder writes it as a plain number.
Amount = Annotated[
    Decimal,
    BeforeValidator(_json_number, json_schema_input_type=float),
    Field(ge=Decimal("-1e15"), le=Decimal("1e15"), allow_inf_nan=False),
]
# A non-negative measure (weight, sizes).
Measure = Annotated[
    Decimal,
    BeforeValidator(_json_number, json_schema_input_type=float),
    Field(ge=0, le=Decimal("1e15"), allow_inf_nan=False),
]
Timestamp = AwareDatetime
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
