"""Customer profiles as the Management API reads them: one, listed, searched, and their figures.

Every operation is scoped to the management key's account; an Application or profile outside
it answers 404, as does a profile the Application has not seen (SEMANTICS 1.5, 17).
"""

from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal

from patron.domain.money import ZERO
from patron.domain.profiles import CustomerProfile
from patron.domain.tenancy import AccountScope
from patron.errors import NotFoundError
from patron.services.tenancy import get_application
from patron.store.database import Transaction
from patron.store.paging import Found, PageRequest
from patron.store.profiles import ProfileFilter


@dataclass(frozen=True, slots=True)
class OrderFigures:
    """A customer's orders in one Application: sessions that count as purchases (SEMANTICS 7)."""

    total_orders: int
    total_revenue: Decimal


@dataclass(frozen=True, slots=True)
class ActivityReport:
    profile: CustomerProfile
    orders: OrderFigures


async def get_customer_profile(tx: Transaction, scope: AccountScope, customer_id: int) -> CustomerProfile:
    """One profile of the account, of either environment (SEMANTICS 17.1)."""
    found = await tx.profiles.find(scope.account_id, ProfileFilter(ids=(customer_id,)), PageRequest(size=1))
    return await _one(tx, found, customer_id)


async def get_customer_profiles(
    tx: Transaction, scope: AccountScope, wanted: ProfileFilter, page: PageRequest
) -> Found[CustomerProfile]:
    """The account's profiles that match `wanted` (SEMANTICS 17.2, 17.3)."""
    return await _shown(tx, await tx.profiles.find(scope.account_id, wanted, page))


async def get_application_customers(
    tx: Transaction, scope: AccountScope, application_id: int, wanted: ProfileFilter, page: PageRequest
) -> Found[CustomerProfile]:
    """The profiles an Application has seen that match `wanted` (SEMANTICS 17.4, 17.5)."""
    application = await get_application(tx, scope, application_id)
    # Its profiles are those of its environment: saying so lets the indexes serve the query.
    in_environment = replace(wanted, sandbox=application.sandbox)
    found = await tx.profiles.find(scope.account_id, in_environment, page, application_id=application_id)
    return await _shown(tx, found)


async def get_application_customer(
    tx: Transaction, scope: AccountScope, application_id: int, customer_id: int
) -> CustomerProfile:
    """One profile the Application has seen (SEMANTICS 17.5)."""
    return await _application_customer(tx, scope, application_id, customer_id)


async def get_customer_analytics(
    tx: Transaction, scope: AccountScope, application_id: int, customer_id: int
) -> OrderFigures:
    """The customer's orders and revenue in this Application (SEMANTICS 17.6)."""
    profile = await _application_customer(tx, scope, application_id, customer_id)
    return _figures(await tx.sessions.counted_contributions(application_id, profile.id))


async def get_customer_activity_report(
    tx: Transaction,
    scope: AccountScope,
    application_id: int,
    customer_id: int,
    *,
    range_start: datetime,
    range_end: datetime,
) -> ActivityReport:
    """The customer's orders in this Application closed within the range, ends included (SEMANTICS 17.6)."""
    profile = await _application_customer(tx, scope, application_id, customer_id)
    contributions = await tx.sessions.counted_contributions(
        application_id, profile.id, closed_from=range_start, closed_until=range_end
    )
    return ActivityReport(profile, _figures(contributions))


async def _application_customer(
    tx: Transaction, scope: AccountScope, application_id: int, customer_id: int
) -> CustomerProfile:
    application = await get_application(tx, scope, application_id)
    found = await tx.profiles.find(
        scope.account_id,
        ProfileFilter(ids=(customer_id,), sandbox=application.sandbox),
        PageRequest(size=1),
        application_id=application_id,
    )
    return await _one(tx, found, customer_id)


async def _one(tx: Transaction, found: Found[CustomerProfile], customer_id: int) -> CustomerProfile:
    if not found.items:
        raise NotFoundError(f"There is no customer profile {customer_id}", parameter="customerId")
    return (await _shown(tx, found)).items[0]


async def _shown(tx: Transaction, found: Found[CustomerProfile]) -> Found[CustomerProfile]:
    """The profiles with their current audiences (SEMANTICS 4.11)."""
    memberships = await tx.audiences.memberships_of(profile.id for profile in found.items)
    items = [replace(profile, audience_memberships=memberships[profile.id]) for profile in found.items]
    return replace(found, items=items)


def _figures(contributions: list[Decimal]) -> OrderFigures:
    return OrderFigures(total_orders=len(contributions), total_revenue=sum(contributions, ZERO))
