"""What the Management API shows of customers: ApplicationCustomer, analytics, activity reports, search."""

from typing import Self

import msgspec

from patron.api.schemas.common import Attributes, Id, Money, RequestBody, Timestamp, Wire
from patron.api.schemas.profiles import AudienceMembership, CustomerProfile
from patron.domain import profiles
from patron.domain.money import ZERO
from patron.services.customers import ActivityReport, OrderFigures


class ApplicationCustomer(CustomerProfile, kw_only=True):
    """A profile as one Application sees it; patron has no referrals, so no advocate."""

    advocate_integration_id: str | None = None

    @classmethod
    def of(cls, profile: profiles.CustomerProfile) -> Self:
        return cls(
            id=profile.id,
            created=profile.created,
            integration_id=profile.integration_id,
            attributes=profile.attributes,
            account_id=profile.account_id,
            closed_sessions=profile.closed_sessions,
            total_sales=profile.total_sales,
            loyalty_memberships=None,
            audience_memberships=[
                AudienceMembership(id=m.id, name=m.name) for m in profile.audience_memberships
            ],
            last_activity=profile.last_activity,
            sandbox=profile.sandbox,
        )


class CustomerProfileSearchQuery(RequestBody, kw_only=True):
    attributes: Attributes | None = None
    integration_ids: list[str] | None = msgspec.field(default=None, name="integrationIDs")
    profile_ids: list[Id] | None = msgspec.field(default=None, name="profileIDs")


# Coupons, discounts and free items come from campaigns, which patron does not run: always 0.
class CustomerAnalytics(Wire, kw_only=True):
    accepted_coupons: int
    created_coupons: int
    free_items: int
    total_orders: int
    total_discounted_orders: int
    total_revenue: Money
    total_discounts: Money

    @classmethod
    def of(cls, figures: OrderFigures) -> Self:
        return cls(
            accepted_coupons=0,
            created_coupons=0,
            free_items=0,
            total_orders=figures.total_orders,
            total_discounted_orders=0,
            total_revenue=figures.total_revenue,
            total_discounts=ZERO,
        )


class CustomerActivityReport(Wire, kw_only=True):
    integration_id: str
    created: Timestamp
    name: str
    customer_id: int
    last_activity: Timestamp | None = None
    coupon_redemptions: int
    coupon_use_attempts: int
    coupon_failed_attempts: int
    accrued_discounts: Money
    accrued_revenue: Money
    total_orders: int
    total_orders_no_coupon: int
    campaign_name: str

    @classmethod
    def of(cls, report: ActivityReport) -> Self:
        profile, orders = report.profile, report.orders
        name = profile.attributes.get("Name")
        return cls(
            integration_id=profile.integration_id,
            created=profile.created,
            name=name if isinstance(name, str) else "",
            customer_id=profile.id,
            last_activity=profile.last_activity,
            coupon_redemptions=0,
            coupon_use_attempts=0,
            coupon_failed_attempts=0,
            accrued_discounts=ZERO,
            accrued_revenue=orders.total_revenue,
            total_orders=orders.total_orders,
            # No coupon is ever redeemed without campaigns, so no order used one.
            total_orders_no_coupon=orders.total_orders,
            campaign_name="",
        )
