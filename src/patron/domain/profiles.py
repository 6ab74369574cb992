"""Customer profiles and the counters sessions keep on them."""

from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal
from typing import Self

from patron.domain.attributes import Attributes, merge_attributes
from patron.domain.money import ZERO


@dataclass(frozen=True, slots=True)
class ProfileAggregates:
    """`closedSessions` and `totalSales`, added and subtracted field by field."""

    closed_sessions: int = 0
    total_sales: Decimal = ZERO

    def __add__(self, other: Self) -> Self:
        return type(self)(self.closed_sessions + other.closed_sessions, self.total_sales + other.total_sales)

    def __sub__(self, other: Self) -> Self:
        return type(self)(self.closed_sessions - other.closed_sessions, self.total_sales - other.total_sales)


@dataclass(frozen=True, slots=True)
class AudienceMembership:
    id: int
    name: str


@dataclass(frozen=True, slots=True)
class CustomerProfile:
    """One customer of one environment (sandbox or live) of one account.

    `id` is 0 until the profile is stored (a dry request shows it so).
    """

    id: int
    account_id: int
    sandbox: bool
    integration_id: str
    created: datetime
    last_activity: datetime
    attributes: Attributes = field(default_factory=dict)
    aggregates: ProfileAggregates = ProfileAggregates()
    audience_memberships: tuple[AudienceMembership, ...] = ()

    @property
    def closed_sessions(self) -> int:
        return self.aggregates.closed_sessions

    @property
    def total_sales(self) -> Decimal:
        return self.aggregates.total_sales


def new_profile(*, account_id: int, sandbox: bool, integration_id: str, now: datetime) -> CustomerProfile:
    """A profile as first created: no attributes, zero counters, lastActivity = created (SEMANTICS 4.9)."""
    return CustomerProfile(
        id=0,
        account_id=account_id,
        sandbox=sandbox,
        integration_id=integration_id,
        created=now,
        last_activity=now,
    )


def update_profile(
    profile: CustomerProfile,
    *,
    attributes: Attributes | None = None,
    delta: ProfileAggregates = ProfileAggregates(),
    activity_at: datetime | None = None,
) -> CustomerProfile:
    """Merge attributes, add a counter delta, and move lastActivity when the rule engine ran."""
    return replace(
        profile,
        attributes=merge_attributes(profile.attributes, attributes),
        aggregates=profile.aggregates + delta,
        last_activity=activity_at or profile.last_activity,
    )
