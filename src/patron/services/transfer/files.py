"""The two file formats: which fields a file carries, and reading and writing them as CSV or JSON Lines."""

import csv
import json
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any, Final, NoReturn, TextIO

import msgspec

from patron.errors import InvalidInputError


class FileFormat(StrEnum):
    CSV = "csv"
    JSONL = "jsonl"


class Kind(StrEnum):
    """How a field is written in a CSV cell (JSON Lines writes every field as JSON)."""

    TEXT = "text"
    JSON = "json"
    INT = "int"
    BOOL = "bool"
    MONEY = "money"


PROFILE_FIELDS: Final[dict[str, Kind]] = {
    "integrationId": Kind.TEXT,
    "attributes": Kind.JSON,
    "created": Kind.TEXT,
    "lastActivity": Kind.TEXT,
    "id": Kind.INT,
    "closedSessions": Kind.INT,
    "totalSales": Kind.MONEY,
}
SESSION_FIELDS: Final[dict[str, Kind]] = {
    "integrationId": Kind.TEXT,
    "profileId": Kind.TEXT,
    "state": Kind.TEXT,
    "cartItems": Kind.JSON,
    "additionalCosts": Kind.JSON,
    "attributes": Kind.JSON,
    "couponCodes": Kind.JSON,
    "referralCode": Kind.TEXT,
    "loyaltyCards": Kind.JSON,
    "identifiers": Kind.JSON,
    "storeIntegrationId": Kind.TEXT,
    "evaluableCampaignIds": Kind.JSON,
    "firstSession": Kind.BOOL,
    "updateCount": Kind.INT,
    "created": Kind.TEXT,
    "updated": Kind.TEXT,
    "closedAt": Kind.TEXT,
    "cancelledAt": Kind.TEXT,
    "total": Kind.MONEY,
}
# The keys of a cart item in `cartItems`.
ITEM_MEASURES: Final = ("weight", "height", "width", "length")
ITEM_KEYS: Final = frozenset(
    {"name", "sku", "quantity", "returnedQuantity", "price", "category", "product", "attributes"}
    | {"additionalCosts", *ITEM_MEASURES}
)


class RowError(Exception):
    """A row that cannot be imported; the message says why."""


def format_of(path: str | None, given: FileFormat | None) -> FileFormat:
    """The format asked for, else the one the file's extension names."""
    if given is not None:
        return given
    for candidate in FileFormat:
        if path is not None and path.lower().endswith(f".{candidate.value}"):
            return candidate
    raise InvalidInputError(f"Cannot tell the format of {path or 'standard input'}: give --format")


# ---------------------------------------------------------------------------------------------
# Writing


def time_text(value: datetime | None) -> str | None:
    return None if value is None else value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


# Compact JSON, UTF-8 as it is, decimals as exact JSON numbers (`str(Decimal)`).
_ENCODER: Final = msgspec.json.Encoder(decimal_format="number")


def _json_text(value: Any) -> str:
    return _ENCODER.encode(value).decode()


def writer(out: TextIO, file_format: FileFormat, fields: dict[str, Kind]) -> Callable[[dict[str, Any]], None]:
    """A function that writes one record (its values in the order of `fields`) to `out`."""
    if file_format is FileFormat.JSONL:

        def write_line(record: dict[str, Any]) -> None:
            out.write(_json_text(record) + "\n")

        return write_line
    rows = csv.writer(out, lineterminator="\n")
    rows.writerow(fields)
    kinds = list(fields.values())

    def write_row(record: dict[str, Any]) -> None:
        rows.writerow([_cell(kind, value) for kind, value in zip(kinds, record.values(), strict=True)])

    return write_row


def _cell(kind: Kind, value: Any) -> str:
    if value is None:
        return ""
    if kind is Kind.JSON:
        return _json_text(value)
    if kind is Kind.BOOL:
        return "true" if value else "false"
    if kind is Kind.MONEY:
        return format(value, "f")
    return str(value)


# ---------------------------------------------------------------------------------------------
# Reading


def records(
    lines: Iterable[str], file_format: FileFormat, fields: dict[str, Kind]
) -> Iterator[tuple[int, dict[str, Any] | str]]:
    """(line number, the record's fields as JSON values) or (line number, why it is unreadable)."""
    if file_format is FileFormat.JSONL:
        return _jsonl_records(lines, fields)
    return _csv_records(lines, fields)


def _jsonl_records(
    lines: Iterable[str], fields: dict[str, Kind]
) -> Iterator[tuple[int, dict[str, Any] | str]]:
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = _parse_json(line)
        except ValueError as exc:
            yield number, f"not a JSON object: {exc}"
            continue
        if not isinstance(record, dict):
            yield number, "not a JSON object"
            continue
        unknown = [name for name in record if name not in fields]
        if unknown:
            yield number, f"unknown field(s) {', '.join(map(repr, unknown))}"
            continue
        yield number, {name: value for name, value in record.items() if value is not None}


def _csv_records(lines: Iterable[str], fields: dict[str, Kind]) -> Iterator[tuple[int, dict[str, Any] | str]]:
    reader = csv.reader(lines, strict=True)
    try:
        header = next(reader)
    except StopIteration:
        return
    except csv.Error as exc:
        raise InvalidInputError(f"Line 1: unreadable CSV header: {exc}", line="1") from exc
    unknown = [name for name in header if name not in fields]
    if unknown or len(set(header)) != len(header) or "integrationId" not in header:
        raise InvalidInputError(
            f"Line 1: the header must name distinct columns of {', '.join(fields)}, integrationId among them",
            line="1",
        )
    kinds = [fields[name] for name in header]
    last = reader.line_num
    while True:
        first = last + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            last = reader.line_num
            yield first, f"unreadable CSV: {exc}"
            continue
        last = reader.line_num
        if not row:
            continue
        if len(row) != len(header):
            yield first, f"{len(row)} cells where the header names {len(header)}"
            continue
        try:
            yield (
                first,
                {
                    name: _cell_value(kind, cell)
                    for name, kind, cell in zip(header, kinds, row, strict=True)
                    if cell != ""
                },
            )
        except RowError as exc:
            yield first, str(exc)


def _cell_value(kind: Kind, cell: str) -> Any:
    try:
        if kind is Kind.JSON:
            return _parse_json(cell)
        if kind is Kind.INT:
            return int(cell)
        if kind is Kind.MONEY:
            return Decimal(cell)
    except (ValueError, InvalidOperation) as exc:
        raise RowError(f"unreadable {kind} cell {cell[:50]!r}") from exc
    if kind is Kind.BOOL:
        if cell not in ("true", "false"):
            raise RowError(f"unreadable bool cell {cell[:50]!r} (true or false)")
        return cell == "true"
    return cell


def _no_constant(name: str) -> NoReturn:
    raise ValueError(f"{name} is not a number")


# Exact decimals for every JSON number with a fraction or exponent; NaN and Infinity refused.
_DECODER: Final = json.JSONDecoder(parse_float=Decimal, parse_constant=_no_constant)


def _parse_json(text: str) -> Any:
    return _DECODER.decode(text)
