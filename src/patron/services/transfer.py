"""Bulk export and import of customer profiles and sessions as CSV or JSON Lines files.

Both formats carry the same fields under the same names: a CSV file has a header row and one
row per record, with JSON text in the JSON-valued cells; a JSON Lines file has one object per
line. Money is an exact decimal (a JSON number written from a Decimal, or decimal text in
CSV), never a binary float. Times are RFC 3339 in UTC with microseconds
(`2026-01-02T03:04:05.678000Z`). In CSV an empty cell, and in JSON Lines `null` or an absent
key, means "not given": the field takes its default.

Profiles (`PROFILE_FIELDS`): `integrationId` (required), `attributes` (object, default `{}`),
`created` (default: the import's time), `lastActivity` (default `created`); and, written on
export but ignored on import, `id`, `closedSessions`, `totalSales`. Counters are never taken
from a file: they follow from the sessions, so import profiles first, then their sessions.
Importing a profile that already exists merges its attributes (SEMANTICS 4.8) and keeps its
`created` and `lastActivity`.

Sessions (`SESSION_FIELDS`): `integrationId` (required), `profileId` (the owner's integration
id, `""` anonymous), `state` (default `open`), `cartItems` (Talon.One's CartItem shape plus
`returnedQuantity`), `additionalCosts` (`{name: {price}}`), `attributes`, `couponCodes`,
`referralCode`, `loyaltyCards`, `identifiers`, `storeIntegrationId`, `evaluableCampaignIds`,
`firstSession` (default: as the API decides it), `updateCount` (default 1), `created` (default:
the import's time), `updated` (default `created`), `closedAt`, `cancelledAt` (default `updated`
for states that need them); and, written on export but ignored on import, `total`. A session
that already exists in the Application is rejected: an import only adds sessions.

An imported session charges its owner exactly as the API would have (SEMANTICS 7): closed and
partially returned sessions add 1 to `closedSessions` and their contribution (total less the
value of the returned units, SEMANTICS 9.2) to `totalSales`. Returned units arrive as
`returnedQuantity` on the cart items; the import records them as one return per session
(created at the session's `updated` time, `eventId` 0), so `patron check` finds the counters
consistent. Owners that do not exist yet are created, as the API's session PUT would; an import
records no events and does not move `lastActivity` (like the bulk profile update, SEMANTICS 4.9).

Transactions: an import commits every `batch_size` good rows, so memory and lock times stay
bounded whatever the file's size; rows are validated before their batch's transaction begins.
A rejected row (reported with its line number and reason) never stops the others.
"""

import csv
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any, Final, NoReturn, TextIO

import simplejson

from patron.domain.attribute_definitions import AttributeSchema, AttributeType, Entity, check_attributes
from patron.domain.attributes import merge_attributes
from patron.domain.money import ZERO
from patron.domain.profiles import CustomerProfile, ProfileAggregates, new_profile
from patron.domain.returns import ReturnedCartItem, ReturnRecord
from patron.domain.sessions import COUNTED_STATES, CartItem, CustomerSession, SessionState
from patron.domain.tenancy import ApplicationScope
from patron.errors import InvalidInputError, NotFoundError
from patron.services import attributes as attribute_service
from patron.store.unit_of_work import UnitOfWork

DEFAULT_BATCH_SIZE: Final = 1000


class FileFormat(StrEnum):
    CSV = "csv"
    JSONL = "jsonl"


class _Kind(StrEnum):
    """How a field is written in a CSV cell (JSON Lines writes every field as JSON)."""

    TEXT = "text"
    JSON = "json"
    INT = "int"
    BOOL = "bool"
    MONEY = "money"


PROFILE_FIELDS: Final[dict[str, _Kind]] = {
    "integrationId": _Kind.TEXT,
    "attributes": _Kind.JSON,
    "created": _Kind.TEXT,
    "lastActivity": _Kind.TEXT,
    "id": _Kind.INT,
    "closedSessions": _Kind.INT,
    "totalSales": _Kind.MONEY,
}
SESSION_FIELDS: Final[dict[str, _Kind]] = {
    "integrationId": _Kind.TEXT,
    "profileId": _Kind.TEXT,
    "state": _Kind.TEXT,
    "cartItems": _Kind.JSON,
    "additionalCosts": _Kind.JSON,
    "attributes": _Kind.JSON,
    "couponCodes": _Kind.JSON,
    "referralCode": _Kind.TEXT,
    "loyaltyCards": _Kind.JSON,
    "identifiers": _Kind.JSON,
    "storeIntegrationId": _Kind.TEXT,
    "evaluableCampaignIds": _Kind.JSON,
    "firstSession": _Kind.BOOL,
    "updateCount": _Kind.INT,
    "created": _Kind.TEXT,
    "updated": _Kind.TEXT,
    "closedAt": _Kind.TEXT,
    "cancelledAt": _Kind.TEXT,
    "total": _Kind.MONEY,
}
# The API's limits (SEMANTICS 6.1), checked here because rows do not pass the wire schemas.
_MAX_ID: Final = 1000
_MAX_CODE: Final = 100
_MAX_CART_ITEMS: Final = 1000
_MAX_CART_QUANTITY: Final = 10_000
_MAX_IDENTIFIERS: Final = 5
_MAX_AMOUNT: Final = Decimal("1e15")
_ITEM_MEASURES: Final = ("weight", "height", "width", "length")
_ITEM_KEYS: Final = frozenset(
    {"name", "sku", "quantity", "returnedQuantity", "price", "category", "product", "attributes"}
    | {"additionalCosts", *_ITEM_MEASURES}
)
_STATES: Final = frozenset(state.value for state in SessionState)
_RETURNING_STATES: Final = frozenset({SessionState.PARTIALLY_RETURNED, SessionState.CANCELLED})


@dataclass(frozen=True, slots=True)
class Rejection:
    line: int
    reason: str


@dataclass(frozen=True, slots=True)
class ImportReport:
    imported: int
    rejected: int


RejectionHandler = Callable[[Rejection], None]
ProgressHandler = Callable[[int], None]


class _RowError(Exception):
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
# Export


def export_profiles(
    uow: UnitOfWork,
    out: TextIO,
    file_format: FileFormat,
    *,
    account_id: int | None,
    sandbox: bool,
    progress: ProgressHandler | None = None,
) -> int:
    """Write every profile of one environment, in id order; returns how many."""
    with uow:
        account_id = _account(uow, account_id)
        write = _writer(out, file_format, PROFILE_FIELDS)
        count = 0
        for profile in uow.transfer.stream_profiles(account_id, sandbox):
            write(_profile_record(profile))
            count = _advance(count, progress)
    return count


def export_sessions(
    uow: UnitOfWork,
    out: TextIO,
    file_format: FileFormat,
    *,
    account_id: int | None,
    sandbox: bool,
    application_id: int | None = None,
    progress: ProgressHandler | None = None,
) -> int:
    """Write the sessions of one Application, or of every Application of one environment."""
    with uow:
        if application_id is not None:
            application = uow.applications.get(application_id)
            if application is None or account_id not in (None, application.account_id):
                raise NotFoundError(f"There is no Application {application_id}", parameter="applicationId")
            account_id, sandbox = application.account_id, application.sandbox
        account_id = _account(uow, account_id)
        write = _writer(out, file_format, SESSION_FIELDS)
        count = 0
        sessions = uow.transfer.stream_sessions(
            account_id=account_id, sandbox=sandbox, application_id=application_id
        )
        for session in sessions:
            write(_session_record(session))
            count = _advance(count, progress)
    return count


def _account(uow: UnitOfWork, account_id: int | None) -> int:
    if account_id is None:
        accounts = uow.accounts.count()
        if accounts != 1:
            raise InvalidInputError(f"The database holds {accounts} accounts: name one with --account-id")
        return uow.transfer.sole_account_id()
    if uow.accounts.get(account_id) is None:
        raise NotFoundError(f"There is no account {account_id}", parameter="accountId")
    return account_id


def _advance(count: int, progress: ProgressHandler | None) -> int:
    count += 1
    if progress is not None and count % DEFAULT_BATCH_SIZE == 0:
        progress(DEFAULT_BATCH_SIZE)
    return count


def _profile_record(profile: CustomerProfile) -> dict[str, Any]:
    return {
        "integrationId": profile.integration_id,
        "attributes": profile.attributes,
        "created": _time_text(profile.created),
        "lastActivity": _time_text(profile.last_activity),
        "id": profile.id,
        "closedSessions": profile.closed_sessions,
        "totalSales": _shortest(profile.total_sales),
    }


def _session_record(session: CustomerSession) -> dict[str, Any]:
    return {
        "integrationId": session.integration_id,
        "profileId": session.profile_id,
        "state": session.state.value,
        "cartItems": [_item_record(item) for item in session.cart_items],
        "additionalCosts": _costs_record(session.additional_costs),
        "attributes": session.attributes,
        "couponCodes": list(session.coupon_codes),
        "referralCode": session.referral_code,
        "loyaltyCards": _list_or_none(session.loyalty_cards),
        "identifiers": _list_or_none(session.identifiers),
        "storeIntegrationId": session.store_integration_id,
        "evaluableCampaignIds": _list_or_none(session.evaluable_campaign_ids),
        "firstSession": session.first_session,
        "updateCount": session.update_count,
        "created": _time_text(session.created),
        "updated": _time_text(session.updated),
        "closedAt": _time_text(session.closed_at),
        "cancelledAt": _time_text(session.cancelled_at),
        "total": session.total,
    }


def _item_record(item: CartItem) -> dict[str, Any]:
    record: dict[str, Any] = {"sku": item.sku}
    if item.name is not None:
        record["name"] = item.name
    record |= {"quantity": item.quantity, "returnedQuantity": item.returned_quantity, "price": item.price}
    if item.category is not None:
        record["category"] = item.category
    if item.product is not None:
        record["product"] = {"name": item.product}
    for name in _ITEM_MEASURES:
        if (value := getattr(item, name)) is not None:
            record[name] = value
    record |= {"attributes": item.attributes, "additionalCosts": _costs_record(item.additional_costs)}
    return record


def _costs_record(costs: dict[str, Decimal]) -> dict[str, Any]:
    return {name: {"price": price} for name, price in costs.items()}


def _shortest(amount: Decimal) -> Decimal:
    """The amount without trailing zeros (1855.8, 0): a counter's scale tells only its history."""
    shortest = amount.normalize()
    return shortest.quantize(Decimal(1)) if shortest.as_tuple().exponent > 0 else shortest  # type: ignore[operator]


def _list_or_none(values: tuple[Any, ...] | None) -> list[Any] | None:
    return None if values is None else list(values)


def _time_text(value: datetime | None) -> str | None:
    return None if value is None else value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _json_text(value: Any) -> str:
    return simplejson.dumps(value, use_decimal=True, ensure_ascii=False, separators=(",", ":"))


def _writer(
    out: TextIO, file_format: FileFormat, fields: dict[str, _Kind]
) -> Callable[[dict[str, Any]], None]:
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


def _cell(kind: _Kind, value: Any) -> str:
    if value is None:
        return ""
    if kind is _Kind.JSON:
        return _json_text(value)
    if kind is _Kind.BOOL:
        return "true" if value else "false"
    if kind is _Kind.MONEY:
        return format(value, "f")
    return str(value)


# ---------------------------------------------------------------------------------------------
# Reading files


def _records(
    lines: Iterable[str], file_format: FileFormat, fields: dict[str, _Kind]
) -> Iterator[tuple[int, dict[str, Any] | str]]:
    """(line number, the record's fields as JSON values) or (line number, why it is unreadable)."""
    if file_format is FileFormat.JSONL:
        return _jsonl_records(lines, fields)
    return _csv_records(lines, fields)


def _jsonl_records(
    lines: Iterable[str], fields: dict[str, _Kind]
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


def _csv_records(
    lines: Iterable[str], fields: dict[str, _Kind]
) -> Iterator[tuple[int, dict[str, Any] | str]]:
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
        except _RowError as exc:
            yield first, str(exc)


def _cell_value(kind: _Kind, cell: str) -> Any:
    try:
        if kind is _Kind.JSON:
            return _parse_json(cell)
        if kind is _Kind.INT:
            return int(cell)
        if kind is _Kind.MONEY:
            return Decimal(cell)
    except (ValueError, InvalidOperation) as exc:
        raise _RowError(f"unreadable {kind} cell {cell[:50]!r}") from exc
    if kind is _Kind.BOOL:
        if cell not in ("true", "false"):
            raise _RowError(f"unreadable bool cell {cell[:50]!r} (true or false)")
        return cell == "true"
    return cell


def _no_constant(name: str) -> NoReturn:
    raise ValueError(f"{name} is not a number")


# Exact decimals for every JSON number with a fraction or exponent; NaN and Infinity refused.
_DECODER: Final = json.JSONDecoder(parse_float=Decimal, parse_constant=_no_constant)


def _parse_json(text: str) -> Any:
    return _DECODER.decode(text)


# ---------------------------------------------------------------------------------------------
# Checking fields


def _fail(name: str, message: str) -> NoReturn:
    raise _RowError(f"{name}: {message}")


def _text(
    record: dict[str, Any], name: str, *, default: str | None = None, low: int = 0, high: int = _MAX_ID
) -> str:
    value = record.get(name, default)
    if value is None:
        _fail(name, "required")
    if not isinstance(value, str):
        _fail(name, "must be a string")
    if not low <= len(value) <= high:
        _fail(name, f"must have {low} to {high} characters")
    return value


def _optional_text(record: dict[str, Any], name: str, *, low: int = 0, high: int = _MAX_ID) -> str | None:
    return _text(record, name, low=low, high=high) if name in record else None


def _int(value: Any, name: str, *, low: int, high: int | None = None) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        _fail(name, "must be an integer")
    if value < low or (high is not None and value > high):
        _fail(name, f"must be between {low} and {high}" if high is not None else f"must be at least {low}")
    return value


def _bool(record: dict[str, Any], name: str, default: bool) -> bool:
    value = record.get(name, default)
    if not isinstance(value, bool):
        _fail(name, "must be true or false")
    return value


def _number(value: Any, name: str, *, low: Decimal = -_MAX_AMOUNT) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        _fail(name, "must be a number")
    number = Decimal(value)
    if not number.is_finite() or not low <= number <= _MAX_AMOUNT:
        _fail(name, f"must be between {low} and {_MAX_AMOUNT}")
    return number


def _time(record: dict[str, Any], name: str, default: datetime | None) -> datetime | None:
    value = record.get(name)
    if value is None:
        return default
    if not isinstance(value, str):
        _fail(name, "must be an RFC 3339 time")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        _fail(name, f"{value[:50]!r} is not an RFC 3339 time")
    if parsed.tzinfo is None:
        _fail(name, "needs a time zone offset (Z for UTC)")
    return parsed.astimezone(UTC)


def _object(record: dict[str, Any], name: str) -> dict[str, Any]:
    value = record.get(name, {})
    if not isinstance(value, dict):
        _fail(name, "must be a JSON object")
    return value


def _strings(
    record: dict[str, Any], name: str, *, most: int | None = None, high: int = _MAX_ID
) -> tuple[str, ...] | None:
    value = record.get(name)
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(element, str) for element in value):
        _fail(name, "must be a JSON array of strings")
    if most is not None and len(value) > most:
        _fail(name, f"holds more than {most} values")
    if any(len(element) > high for element in value):
        _fail(name, f"has a value longer than {high} characters")
    return tuple(value)


def _checked_attributes(schema: AttributeSchema, value: dict[str, Any], name: str) -> dict[str, Any]:
    try:
        check_attributes(schema, value, pointer=f"/{name}")
    except InvalidInputError as exc:
        raise _RowError("; ".join(detail.details for detail in exc.details)) from exc
    return value


def _costs(value: Any, name: str) -> dict[str, Decimal]:
    if not isinstance(value, dict):
        _fail(name, "must be a JSON object of {name: {price}}")
    costs: dict[str, Decimal] = {}
    for cost, entry in value.items():
        if not isinstance(entry, dict) or set(entry) != {"price"}:
            _fail(f"{name}.{cost}", 'must be {"price": number}')
        costs[cost] = _number(entry["price"], f"{name}.{cost}.price")
    return costs


_AttributeCheck = Callable[[dict[str, Any], str], dict[str, Any]]
# Attribute types whose check is one exact type test, for the fast path below.
_PLAIN_TYPES: Final[dict[AttributeType, tuple[type, ...]]] = {
    AttributeType.STRING: (str,),
    AttributeType.NUMBER: (int, Decimal),
    AttributeType.BOOLEAN: (bool,),
}


def _attribute_checker(schema: AttributeSchema) -> _AttributeCheck:
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
                return _checked_attributes(schema, value, name)
        return value

    return check


# ---------------------------------------------------------------------------------------------
# Import: profiles


def import_profiles(
    uow: UnitOfWork,
    lines: Iterable[str],
    file_format: FileFormat,
    *,
    account_id: int,
    sandbox: bool,
    now: datetime,
    on_reject: RejectionHandler,
    batch_size: int = DEFAULT_BATCH_SIZE,
) -> ImportReport:
    """Create or update the profiles a file lists, in one environment of one account."""
    with uow:
        _account(uow, account_id)
        definitions = uow.attributes.list_for_account(account_id, entity=Entity.CUSTOMER_PROFILE)
    # Profiles belong to the environment, not to one Application: every definition applies.
    check = _attribute_checker(AttributeSchema(Entity.CUSTOMER_PROFILE, {d.name: d for d in definitions}))
    imported = rejected = 0
    for batch in _batches(_records(lines, file_format, PROFILE_FIELDS), batch_size):
        good: dict[str, CustomerProfile] = {}
        for line, record in batch:
            try:
                profile = _profile(record, check, account_id=account_id, sandbox=sandbox, now=now)
            except _RowError as exc:
                rejected += 1
                on_reject(Rejection(line, str(exc)))
                continue
            imported += 1
            earlier = good.get(profile.integration_id)
            if earlier is not None:
                # Two updates in a row act as one that sends the keys of both, nulls included.
                profile = replace(earlier, attributes={**earlier.attributes, **profile.attributes})
            good[profile.integration_id] = profile
        if good:
            _store_profiles(uow, account_id, sandbox, good)
    return ImportReport(imported, rejected)


def _profile(
    record: dict[str, Any] | str, check: _AttributeCheck, *, account_id: int, sandbox: bool, now: datetime
) -> CustomerProfile:
    """A profile as the row describes it; its attributes keep explicit nulls for merging."""
    if isinstance(record, str):
        raise _RowError(record)
    created = _time(record, "created", now) or now
    return CustomerProfile(
        id=0,
        account_id=account_id,
        sandbox=sandbox,
        integration_id=_text(record, "integrationId", low=1),
        created=created,
        last_activity=_time(record, "lastActivity", created) or created,
        attributes=check(_object(record, "attributes"), "attributes"),
    )


def _store_profiles(
    uow: UnitOfWork, account_id: int, sandbox: bool, profiles: dict[str, CustomerProfile]
) -> None:
    """Insert the new profiles; merge the attributes of those that exist (SEMANTICS 4.8)."""
    with uow:
        uow.lock_profiles(account_id, sandbox, list(profiles))
        fresh = [
            profile if None not in profile.attributes.values() else _without_nulls(profile)
            for profile in profiles.values()
        ]
        if uow.transfer.insert_profiles(fresh) != len(fresh):
            # Some existed. Merging into all is harmless: a profile inserted just now already
            # holds these attributes, so merging them again changes nothing.
            stored = uow.transfer.profiles(account_id, sandbox, profiles)
            uow.transfer.set_attributes(
                [
                    (found.id, merge_attributes(found.attributes, profiles[integration_id].attributes))
                    for integration_id, found in stored.items()
                ]
            )
        uow.commit()


def _without_nulls(profile: CustomerProfile) -> CustomerProfile:
    return replace(profile, attributes=merge_attributes({}, profile.attributes))


def _batches(records: Iterator[tuple[int, Any]], size: int) -> Iterator[list[tuple[int, Any]]]:
    batch: list[tuple[int, Any]] = []
    for entry in records:
        batch.append(entry)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


# ---------------------------------------------------------------------------------------------
# Import: sessions


@dataclass(frozen=True, slots=True)
class _SessionRow:
    line: int
    session: CustomerSession
    # None: decide as the API does (the owner's first session in the environment).
    first_session: bool | None


def import_sessions(
    uow: UnitOfWork,
    lines: Iterable[str],
    file_format: FileFormat,
    *,
    application_id: int,
    now: datetime,
    on_reject: RejectionHandler,
    batch_size: int = DEFAULT_BATCH_SIZE,
) -> ImportReport:
    """Add the sessions a file lists to one Application, charging their owners (SEMANTICS 7)."""
    with uow:
        application = uow.applications.get(application_id)
        if application is None:
            raise NotFoundError(f"There is no Application {application_id}", parameter="applicationId")
        scope = ApplicationScope(application.account_id, application.id, application.sandbox)
        schemas = attribute_service.load_schemas(uow, scope)
    imported = rejected = 0
    for batch in _batches(_records(lines, file_format, SESSION_FIELDS), batch_size):
        good: list[_SessionRow] = []
        rejections: list[Rejection] = []
        for line, record in batch:
            try:
                good.append(_session_row(line, record, schemas, application_id=application_id, now=now))
            except _RowError as exc:
                rejections.append(Rejection(line, str(exc)))
        if good:
            imported += _store_sessions(uow, scope, good, rejections, now=now)
        rejected += len(rejections)
        for rejection in sorted(rejections, key=lambda rejection: rejection.line):
            on_reject(rejection)
    return ImportReport(imported, rejected)


def _session_row(
    line: int,
    record: dict[str, Any] | str,
    schemas: attribute_service.Schemas,
    *,
    application_id: int,
    now: datetime,
) -> _SessionRow:
    if isinstance(record, str):
        raise _RowError(record)
    state_text = _text(record, "state", default=SessionState.OPEN.value)
    if state_text not in _STATES:
        _fail("state", f"{state_text[:50]!r} is not one of {', '.join(SessionState)}")
    state = SessionState(state_text)
    items = _cart_items(record.get("cartItems", []), schemas.cart_item)
    _check_returns(state, items)
    created = _time(record, "created", now) or now
    updated = _time(record, "updated", created) or created
    session = CustomerSession(
        id=0,
        application_id=application_id,
        integration_id=_text(record, "integrationId", low=1),
        profile_id=_text(record, "profileId", default=""),
        state=state,
        created=created,
        updated=updated,
        update_count=_int(record.get("updateCount", 1), "updateCount", low=1),
        store_integration_id=_optional_text(record, "storeIntegrationId", low=1),
        evaluable_campaign_ids=_campaign_ids(record.get("evaluableCampaignIds")),
        coupon_codes=_strings(record, "couponCodes", high=_MAX_CODE) or (),
        referral_code=_text(record, "referralCode", default="", high=_MAX_CODE),
        loyalty_cards=_strings(record, "loyaltyCards", most=1),
        cart_items=items,
        additional_costs=_costs(record.get("additionalCosts", {}), "additionalCosts"),
        identifiers=_strings(record, "identifiers", most=_MAX_IDENTIFIERS),
        attributes=merge_attributes(
            {}, _checked_attributes(schemas.session, _object(record, "attributes"), "attributes")
        ),
        closed_at=_time(record, "closedAt", updated if state in COUNTED_STATES else None),
        cancelled_at=_time(record, "cancelledAt", updated if state is SessionState.CANCELLED else None),
    )
    first = _bool(record, "firstSession", True) if "firstSession" in record else None
    return _SessionRow(line, replace(session, contribution=_contribution(session)), first)


def _cart_items(value: Any, schema: AttributeSchema) -> tuple[CartItem, ...]:
    if not isinstance(value, list):
        _fail("cartItems", "must be a JSON array")
    if len(value) > _MAX_CART_ITEMS:
        _fail("cartItems", f"holds more than {_MAX_CART_ITEMS} items")
    items = tuple(_cart_item(entry, f"cartItems[{index}]", schema) for index, entry in enumerate(value))
    if sum(item.quantity for item in items) > _MAX_CART_QUANTITY:
        _fail("cartItems", f"hold more than {_MAX_CART_QUANTITY} units in all")
    return items


def _cart_item(entry: Any, name: str, schema: AttributeSchema) -> CartItem:
    if not isinstance(entry, dict):
        _fail(name, "must be a JSON object")
    if unknown := [key for key in entry if key not in _ITEM_KEYS]:
        _fail(name, f"unknown field(s) {', '.join(map(repr, unknown))}")
    quantity = _int(entry.get("quantity"), f"{name}.quantity", low=1, high=_MAX_CART_QUANTITY)
    product = entry.get("product")
    if product is not None and not (
        isinstance(product, dict) and set(product) == {"name"} and isinstance(product["name"], str)
    ):
        _fail(f"{name}.product", 'must be {"name": string}')
    if "price" not in entry:
        _fail(f"{name}.price", "required")
    attributes = _object(entry, "attributes")
    return CartItem(
        sku=_text(entry, "sku", low=1),
        quantity=quantity,
        price=_number(entry["price"], f"{name}.price"),
        name=_optional_text(entry, "name", high=2**31),
        category=_optional_text(entry, "category", high=2**31),
        product=None if product is None else product["name"],
        **{
            measure: _number(entry[measure], f"{name}.{measure}", low=ZERO)
            for measure in _ITEM_MEASURES
            if entry.get(measure) is not None
        },
        attributes=_checked_attributes(schema, attributes, f"{name}.attributes"),
        additional_costs=_costs(entry.get("additionalCosts", {}), f"{name}.additionalCosts"),
        returned_quantity=_int(
            entry.get("returnedQuantity", 0), f"{name}.returnedQuantity", low=0, high=quantity
        ),
    )


def _check_returns(state: SessionState, items: tuple[CartItem, ...]) -> None:
    """Only returns move a session to partially_returned, and only closed sessions have returns."""
    returned = any(item.returned_quantity for item in items)
    if returned and state not in _RETURNING_STATES:
        _fail("cartItems", f"a {state} session cannot have returned units")
    if state is SessionState.PARTIALLY_RETURNED and not returned:
        _fail("state", "a partially_returned session needs returned units (returnedQuantity)")


def _campaign_ids(value: Any) -> tuple[int, ...] | None:
    if value is None:
        return None
    if not isinstance(value, list):
        _fail("evaluableCampaignIds", "must be a JSON array of integers")
    return tuple(_int(element, "evaluableCampaignIds", low=0) for element in value)


def _returned_value(session: CustomerSession) -> Decimal:
    return sum((item.unit_value() * item.returned_quantity for item in session.cart_items), ZERO)


def _contribution(session: CustomerSession) -> Decimal:
    """What the session adds to its owner's totalSales: its total less returned units (SEMANTICS 7, 9.2)."""
    return session.total - _returned_value(session) if session.counted else ZERO


def _store_sessions(
    uow: UnitOfWork,
    scope: ApplicationScope,
    rows: list[_SessionRow],
    rejections: list[Rejection],
    *,
    now: datetime,
) -> int:
    """Insert one batch of sessions with their returns and owners; returns how many were added."""
    with uow:
        for row in rows:
            uow.lock_session(scope.application_id, row.session.integration_id)
        existing = uow.transfer.existing_sessions(
            scope.application_id, (r.session.integration_id for r in rows)
        )
        fresh: dict[str, _SessionRow] = {}
        for row in rows:
            integration_id = row.session.integration_id
            if integration_id in existing:
                reason = f"customer session {integration_id!r} already exists in this Application"
                rejections.append(Rejection(row.line, reason))
            elif integration_id in fresh:
                reason = f"repeats customer session {integration_id!r} of line {fresh[integration_id].line}"
                rejections.append(Rejection(row.line, reason))
            else:
                fresh[integration_id] = row
        if not fresh:
            return 0
        owners = _owners(uow, scope, {row.session.profile_id for row in fresh.values()} - {""}, now=now)
        sessions = _with_first_session(uow, list(fresh.values()), owners)
        ids = uow.transfer.insert_sessions(
            [(session, owners[session.profile_id] if session.profile_id else None) for session in sessions]
        )
        uow.transfer.insert_returns(
            [
                _return_record(scope, session, ids[session.integration_id], owners)
                for session in sessions
                if any(item.returned_quantity for item in session.cart_items)
            ]
        )
        _charge_owners(uow, scope, sessions, owners)
        uow.transfer.link_application(scope.application_id, owners.values())
        uow.commit()
    return len(sessions)


def _owners(
    uow: UnitOfWork, scope: ApplicationScope, integration_ids: set[str], *, now: datetime
) -> dict[str, int]:
    """The internal ids of the sessions' owners, creating those that do not exist yet (SEMANTICS 5.1)."""
    wanted = sorted(integration_ids)
    uow.lock_profiles(scope.account_id, scope.sandbox, wanted)
    found = {
        key: value.id for key, value in uow.transfer.profiles(scope.account_id, scope.sandbox, wanted).items()
    }
    missing = [integration_id for integration_id in wanted if integration_id not in found]
    if missing:
        uow.transfer.insert_profiles(
            [
                new_profile(
                    account_id=scope.account_id, sandbox=scope.sandbox, integration_id=integration_id, now=now
                )
                for integration_id in missing
            ]
        )
        found |= {
            key: value.id
            for key, value in uow.transfer.profiles(scope.account_id, scope.sandbox, missing).items()
        }
    return found


def _with_first_session(
    uow: UnitOfWork, rows: list[_SessionRow], owners: dict[str, int]
) -> list[CustomerSession]:
    """Fill in firstSession where the file left it out: true unless the owner already has a session."""
    undecided = {
        owners[row.session.profile_id] for row in rows if row.first_session is None and row.session.profile_id
    }
    seen = uow.transfer.profiles_with_sessions(undecided)
    sessions: list[CustomerSession] = []
    for row in rows:
        first = row.first_session
        owner = owners.get(row.session.profile_id)
        if first is None:
            first = owner is None or owner not in seen
        if owner is not None:
            seen.add(owner)
        sessions.append(replace(row.session, first_session=first))
    return sessions


def _return_record(
    scope: ApplicationScope, session: CustomerSession, session_id: int, owners: dict[str, int]
) -> ReturnRecord:
    """The units a file shows as returned, as one return made when the session was last updated."""
    items = tuple(
        ReturnedCartItem(position, item.returned_quantity, item.sku)
        for position, item in enumerate(session.cart_items)
        if item.returned_quantity
    )
    return ReturnRecord(
        id=0,
        created=session.updated,
        application_id=scope.application_id,
        account_id=scope.account_id,
        session_id=session_id,
        session_integration_id=session.integration_id,
        profile_id=owners.get(session.profile_id),
        profile_integration_id=session.profile_id,
        event_id=0,
        items=items,
        amount=_returned_value(session),
    )


def _charge_owners(
    uow: UnitOfWork, scope: ApplicationScope, sessions: list[CustomerSession], owners: dict[str, int]
) -> None:
    deltas: dict[str, ProfileAggregates] = {}
    for session in sessions:
        if session.counted and not session.anonymous:
            deltas[session.profile_id] = (
                deltas.get(session.profile_id, ProfileAggregates()) + session.aggregates()
            )
    if not deltas:
        return
    stored = uow.transfer.profiles(scope.account_id, scope.sandbox, deltas)
    uow.transfer.set_aggregates(
        [
            (stored[integration_id].id, stored[integration_id].aggregates + delta)
            for integration_id, delta in deltas.items()
        ]
    )
