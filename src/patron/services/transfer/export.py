"""`patron export`: every profile of an environment, or the sessions of its Applications, to a file."""

from collections.abc import Callable
from contextlib import aclosing
from decimal import Decimal
from typing import Any, TextIO

from patron.domain.profiles import CustomerProfile
from patron.domain.sessions import CartItem, CustomerSession
from patron.services.transfer import targets
from patron.services.transfer.batches import DEFAULT_BATCH_SIZE
from patron.services.transfer.files import (
    ITEM_MEASURES,
    PROFILE_FIELDS,
    SESSION_FIELDS,
    FileFormat,
    time_text,
    writer,
)
from patron.store.database import Transaction

ProgressHandler = Callable[[int], None]


async def export_profiles(
    tx: Transaction,
    out: TextIO,
    file_format: FileFormat,
    *,
    account_id: int | None,
    sandbox: bool,
    progress: ProgressHandler | None = None,
) -> int:
    """Write every profile of one environment, in id order; returns how many.

    One read transaction: the file shows the environment as it was at one moment.
    """
    account_id = await targets.account(tx, account_id)
    write = writer(out, file_format, PROFILE_FIELDS)
    count = 0
    async with aclosing(tx.transfer.stream_profiles(account_id, sandbox)) as profiles:
        async for profile in profiles:
            write(_profile_record(profile))
            count = _advance(count, progress)
    return count


async def export_sessions(
    tx: Transaction,
    out: TextIO,
    file_format: FileFormat,
    *,
    account_id: int | None,
    sandbox: bool,
    application_id: int | None = None,
    progress: ProgressHandler | None = None,
) -> int:
    """Write the sessions of one Application, or of every Application of one environment."""
    if application_id is not None:
        application = await targets.application(tx, application_id, account_id=account_id)
        account_id, sandbox = application.account_id, application.sandbox
    account_id = await targets.account(tx, account_id)
    write = writer(out, file_format, SESSION_FIELDS)
    count = 0
    sessions = tx.transfer.stream_sessions(
        account_id=account_id, sandbox=sandbox, application_id=application_id
    )
    async with aclosing(sessions) as stream:
        async for session in stream:
            write(_session_record(session))
            count = _advance(count, progress)
    return count


def _advance(count: int, progress: ProgressHandler | None) -> int:
    count += 1
    if progress is not None and count % DEFAULT_BATCH_SIZE == 0:
        progress(DEFAULT_BATCH_SIZE)
    return count


def _profile_record(profile: CustomerProfile) -> dict[str, Any]:
    return {
        "integrationId": profile.integration_id,
        "attributes": profile.attributes,
        "created": time_text(profile.created),
        "lastActivity": time_text(profile.last_activity),
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
        "created": time_text(session.created),
        "updated": time_text(session.updated),
        "closedAt": time_text(session.closed_at),
        "cancelledAt": time_text(session.cancelled_at),
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
    for name in ITEM_MEASURES:
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
