"""What the Management API shows of customers: ApplicationCustomer, analytics, activity reports, search."""

from datetime import datetime
from typing import Self

from pydantic import Field, StrictStr

from patron.api.schemas.common import ApiModel, Attributes, Id, Money, RequestModel
from patron.api.schemas.profiles import CustomerProfile
from patron.domain.money import ZERO
from patron.services.customers import ActivityReport, OrderFigures


class ApplicationCustomer(CustomerProfile):
    """A profile as one Application sees it; patron has no referrals, so no advocate."""

    advocate_integration_id: str | None = None


class CustomerProfileSearchQuery(RequestModel):
    attributes: Attributes | None = None
    integration_ids: list[StrictStr] | None = Field(default=None, alias="integrationIDs")
    profile_ids: list[Id] | None = Field(default=None, alias="profileIDs")


# Coupons, discounts and free items come from campaigns, which patron does not run: always 0.
class CustomerAnalytics(ApiModel):
    accepted_coupons: int = 0
    created_coupons: int = 0
    free_items: int = 0
    total_orders: int
    total_discounted_orders: int = 0
    total_revenue: Money
    total_discounts: Money = ZERO

    @classmethod
    def of(cls, figures: OrderFigures) -> Self:
        return cls(total_orders=figures.total_orders, total_revenue=figures.total_revenue)


class CustomerActivityReport(ApiModel):
    integration_id: str
    created: datetime
    name: str
    customer_id: int
    last_activity: datetime | None = None
    coupon_redemptions: int = 0
    coupon_use_attempts: int = 0
    coupon_failed_attempts: int = 0
    accrued_discounts: Money = ZERO
    accrued_revenue: Money
    total_orders: int
    total_orders_no_coupon: int
    campaign_name: str = ""

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
            accrued_revenue=orders.total_revenue,
            total_orders=orders.total_orders,
            # No coupon is ever redeemed without campaigns, so no order used one.
            total_orders_no_coupon=orders.total_orders,
        )
