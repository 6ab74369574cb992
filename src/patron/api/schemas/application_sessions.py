"""ApplicationSession (the Management API's session shape) and the sessions CSV export (SEMANTICS 17.7)."""

import io
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any, Final, Literal, Self

from patron.api.codec import encode
from patron.api.schemas.common import Attributes, Money, Timestamp, Wire
from patron.api.schemas.sessions import CartItem, SessionState
from patron.domain.money import ZERO
from patron.domain.sessions import CustomerSession


class ApplicationSession(Wire, kw_only=True):
    """Not CustomerSessionV2: an int `profileId`, a lower-case `profileintegrationid`, V1 fields."""

    id: int
    created: Timestamp
    integration_id: str
    store_integration_id: str | None = None
    application_id: int
    profile_id: int | None = None
    profileintegrationid: str | None = None
    coupon: str
    referral: str
    state: SessionState
    cart_items: list[CartItem]
    # V1 only: discounts come from campaigns, which patron does not run.
    discounts: dict[str, Money]
    total_discounts: Money
    total: Money
    attributes: Attributes

    @classmethod
    def of(cls, session: CustomerSession, *, profile_pk: int | None) -> Self:
        return cls(
            id=session.id,
            created=session.created,
            integration_id=session.integration_id,
            store_integration_id=session.store_integration_id,
            application_id=session.application_id,
            profile_id=profile_pk,
            profileintegrationid=session.profile_id or None,
            # A single string in this V1 shape: the first code, "" when none (SEMANTICS 20.25).
            coupon=next(iter(session.coupon_codes), ""),
            referral=session.referral_code,
            state=session.state.value,
            cart_items=_cart_items(session),
            discounts={},
            total_discounts=ZERO,
            total=session.total,
            attributes=session.attributes,
        )


DateFormat = Literal["ISO8601", "excel"]
EXPORT_COLUMNS: Final = (
    "id",
    "firstsession",
    "integrationid",
    "applicationid",
    "profileid",
    "profileintegrationid",
    "created",
    "state",
    "cartitems",
    "discounts",
    "total",
    "attributes",
    "closedat",
    "cancelledat",
    "referral",
    "identifiers",
    "additional_costs",
    "updated",
    "store_integration_id",
    "coupons",
)
# Talon.One writes Go's zero time for what never happened.
_NEVER: Final = datetime(1, 1, 1, tzinfo=UTC)


class _Json(str):
    """A JSON-valued cell: always quoted, as in Talon.One's published export."""


def sessions_csv(sessions: Iterable[tuple[CustomerSession, int | None]], date_format: DateFormat) -> str:
    """The header row, then one row per session; money with 2 decimals, JSON cells CSV-quoted."""
    out = io.StringIO()
    out.write(_row(EXPORT_COLUMNS))
    for session, profile_pk in sessions:
        out.write(_row(_cells(session, profile_pk, date_format)))
    return out.getvalue()


def rfc3339(value: datetime) -> str:
    return value.astimezone(UTC).replace(tzinfo=None).isoformat() + "Z"


def _cells(session: CustomerSession, profile_pk: int | None, date_format: DateFormat) -> tuple[str, ...]:
    def when(value: datetime | None) -> str:
        value = value or _NEVER
        if date_format == "excel":
            return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "seconds")
        return "0001-01-01T00:00:00Z" if value == _NEVER else rfc3339(value)

    return (
        str(session.id),
        _boolean(session.first_session),
        session.integration_id,
        str(session.application_id),
        "" if profile_pk is None else str(profile_pk),
        session.profile_id,
        when(session.created),
        session.state.value,
        _json(_cart_items(session)),
        _json({}),
        f"{session.total:.2f}",
        _json(session.attributes),
        when(session.closed_at),
        when(session.cancelled_at),
        session.referral_code,
        _json(None if session.identifiers is None else list(session.identifiers)),
        _json({name: {"price": price} for name, price in session.additional_costs.items()}),
        when(session.updated),
        session.store_integration_id or "",
        _json(list(session.coupon_codes)),
    )


def _row(cells: Iterable[str]) -> str:
    return ",".join(_quoted(cell) for cell in cells) + "\n"


def _quoted(cell: str) -> str:
    if isinstance(cell, _Json) or any(character in cell for character in ',"\r\n'):
        return '"' + cell.replace('"', '""') + '"'
    return cell


def _json(value: Any) -> _Json:
    return _Json(encode(value).decode("utf-8"))


def _boolean(value: bool) -> str:
    return "true" if value else "false"


def _cart_items(session: CustomerSession) -> list[CartItem]:
    return [CartItem.of(item, position) for position, item in enumerate(session.cart_items)]
