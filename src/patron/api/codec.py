"""JSON on the wire, with msgspec: exact decimals in and out, and Talon.One's errors for what is wrong.

A body is decoded in two steps, both in msgspec's C code: JSON to Python values with every
non-integer number an exact `Decimal` (`float_hook`), then those values to the operation's
Structs with `msgspec.convert(strict=True)`, which checks every type and limit. (msgspec's own
typed decoding would accept "9.99" as money and knows no exact type for numbers inside
`attributes`.) A refusal names the offending field as a JSON pointer into the body.

Both databases must answer alike, so the narrower one decides what a request may carry:
PostgreSQL text cannot hold NUL, a lone UTF-16 surrogate ("\\ud800" in JSON) is not Unicode
text at all, and PostgreSQL's NUMERIC (jsonb numbers too) overflows on exponents far beyond any
real value. Answers are written with decimals as plain JSON numbers and times as RFC 3339 UTC.
"""

import json
import re
from decimal import Decimal
from typing import Any, Final, TypeVar

import msgspec

from patron.errors import ErrorDetail, ErrorSource, InvalidInputError, pointer_token

T = TypeVar("T")
# Digits either side of the decimal point; PostgreSQL's own limits are 131072 and 16383.
MAX_DIGITS: Final = 1000
MONEY_LIMIT: Final = 10**15
INVALID: Final = "The submitted data was invalid"

_DECODER: Final = msgspec.json.Decoder(float_hook=Decimal)
# Only a body holding an escape or a very long number can hold what a database cannot store.
_MAYBE_UNSTORABLE: Final = re.compile(rb"\\u|[0-9]{%d}|[eE][-+]?[0-9]{4}" % MAX_DIGITS)
_SURROGATE: Final = re.compile("[\ud800-\udfff]")
_BAD_TEXT: Final = "must not contain NUL characters or unpaired UTF-16 surrogates"
_BAD_NUMBER: Final = f"must have at most {MAX_DIGITS} digits before and after the decimal point"
_MISSING: Final = re.compile(r"Object missing required field `(.+)`$")
_PATH_PART: Final = re.compile(r"\.([^.\[]+)|\[(\d+|\.\.\.)\]")


def _enc_hook(value: Any) -> Any:
    # Amount and Measure (decoded request money) are Decimal subclasses msgspec does not know.
    if isinstance(value, Decimal):
        return Decimal(value)
    raise NotImplementedError(f"Encoding objects of type {type(value).__name__} is unsupported")


_ENCODER: Final = msgspec.json.Encoder(decimal_format="number", enc_hook=_enc_hook)


def encode(value: Any) -> bytes:
    return _ENCODER.encode(value)


class Amount(Decimal):
    """Money in a request: a JSON number (never a string or a boolean) within ±1e15, kept exact."""


class Measure(Decimal):
    """A non-negative measure in a request (weight, sizes): a JSON number up to 1e15."""


def _dec_hook(kind: type, value: Any) -> Any:
    if kind is Amount or kind is Measure:
        if isinstance(value, bool) or not isinstance(value, int | Decimal):
            raise ValueError("must be a JSON number")
        low = -MONEY_LIMIT if kind is Amount else 0
        if not low <= value <= MONEY_LIMIT:
            raise ValueError(f"must be a number from {low} to {MONEY_LIMIT}")
        return kind(value)
    raise NotImplementedError(kind)


def parse(body: bytes) -> Any:
    """A JSON document as Python values, numbers exact; refused if a database could not store it."""
    try:
        value = _DECODER.decode(body)
    except (msgspec.DecodeError, RecursionError):
        value = _parse_slowly(body)
    if _MAYBE_UNSTORABLE.search(body):
        check_storable(value)
    return value


def _parse_slowly(body: bytes) -> Any:
    """The standard library's parser: it reads lone surrogates (so the check below can point at
    them) and says where malformed JSON breaks."""
    try:
        return json.loads(body, parse_float=Decimal, parse_constant=_no_constant)
    except (ValueError, RecursionError) as error:
        message = "nested too deeply" if isinstance(error, RecursionError) else str(error)
        raise InvalidInputError(
            INVALID,
            details=[ErrorDetail("Invalid JSON", f"Invalid JSON: {message}", ErrorSource(pointer=""))],
        ) from None


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a valid JSON value")


def convert(value: Any, kind: type[T]) -> T:
    """Python values (from `parse`) as the Struct `kind`, or InvalidInputError pointing at the fault."""
    try:
        return msgspec.convert(value, kind, strict=True, dec_hook=_dec_hook)
    except msgspec.ValidationError as error:
        raise InvalidInputError(INVALID, details=[_detail(str(error), value, kind)]) from None


def decode(body: bytes, kind: type[T]) -> T:
    return convert(parse(body), kind)


def _detail(text: str, value: Any, kind: Any) -> ErrorDetail:
    message, _, where = text.rpartition(" - at `")
    if not message:
        message, where = text, "$`"
    parts = [name or index for name, index in _PATH_PART.findall(where.removesuffix("`"))]
    missing = _MISSING.match(message)
    title = "Invalid value"
    if missing:
        parts.append(missing.group(1))
        title = "Required"
    elif message.startswith("Invalid enum value"):
        title = "enum"
    pointer = "".join(f"/{pointer_token(part)}" for part in _resolve(parts, value, kind))
    return ErrorDetail(title, message, ErrorSource(pointer=pointer))


def _resolve(parts: list[str], value: Any, kind: Any) -> list[str]:
    """msgspec writes a dict key as `[...]`: find the key whose value is the one refused."""
    if "..." not in parts:
        return parts
    resolved: list[str] = []
    info = _unwrap(msgspec.inspect.type_info(kind))
    for part in parts:
        if part == "..." and isinstance(value, dict) and isinstance(info, msgspec.inspect.DictType):
            item_type = _python_type(info.value_type)
            part = next((key for key, item in value.items() if _refused(item, item_type)), part)
        resolved.append(part)
        value, info = _child(value, info, part)
    return resolved


def _refused(item: Any, kind: Any) -> bool:
    try:
        msgspec.convert(item, kind, strict=True, dec_hook=_dec_hook)
    except msgspec.ValidationError:
        return True
    return False


def _child(value: Any, info: Any, part: str) -> tuple[Any, Any]:
    """The value and the (inspected) type one step down `part`."""
    if isinstance(value, dict):
        value = value.get(part)
    elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
        value = value[int(part)]
    else:
        value = None
    if isinstance(info, msgspec.inspect.StructType):
        field = next((f for f in info.fields if f.encode_name == part), None)
        return value, None if field is None else _unwrap(field.type)
    if isinstance(info, msgspec.inspect.DictType):
        return value, _unwrap(info.value_type)
    if isinstance(info, msgspec.inspect.ListType):
        return value, _unwrap(info.item_type)
    return value, None


def _unwrap(info: Any) -> Any:
    while isinstance(info, msgspec.inspect.Metadata):
        info = info.type
    if isinstance(info, msgspec.inspect.UnionType):
        others = [t for t in info.types if not isinstance(t, msgspec.inspect.NoneType)]
        if len(others) == 1:
            return _unwrap(others[0])
    return info


def _python_type(info: Any) -> Any:
    """A type to convert to for an inspected one: Structs and custom types; anything else passes."""
    info = _unwrap(info)
    if isinstance(info, msgspec.inspect.StructType | msgspec.inspect.CustomType):
        return info.cls
    return Any


def check_storable(body: Any) -> None:
    """Every key, string and number of a parsed JSON body (iteratively: bodies may nest deep)."""
    pending: list[tuple[tuple[str, ...], Any]] = [((), body)]
    while pending:
        where, value = pending.pop()
        if isinstance(value, str):
            check_text(value, pointer=where)
        elif isinstance(value, int | Decimal) and not isinstance(value, bool):
            _check_number(Decimal(value), where)
        elif isinstance(value, dict):
            for key, item in value.items():
                check_text(key, pointer=(*where, key))
                pending.append(((*where, key), item))
        elif isinstance(value, list):
            pending.extend(((*where, str(index)), item) for index, item in enumerate(value))


def check_text(text: str, *, pointer: tuple[str, ...] | None = None, parameter: str | None = None) -> None:
    if "\x00" in text or _SURROGATE.search(text):
        _refuse(_BAD_TEXT, pointer=pointer, parameter=parameter)


def _check_number(number: Decimal, where: tuple[str, ...]) -> None:
    exponent = number.as_tuple().exponent
    if number and (number.adjusted() >= MAX_DIGITS or (isinstance(exponent, int) and exponent < -MAX_DIGITS)):
        _refuse(_BAD_NUMBER, pointer=where)


def _refuse(message: str, *, pointer: tuple[str, ...] | None = None, parameter: str | None = None) -> None:
    source = (
        ErrorSource(parameter=parameter)
        if parameter is not None
        else ErrorSource(pointer="".join(f"/{pointer_token(part)}" for part in pointer or ()))
    )
    raise InvalidInputError(INVALID, details=[ErrorDetail("Invalid value", message, source)])
