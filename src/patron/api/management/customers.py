"""Customer profiles: look up, list, search, analytics (Management API, SEMANTICS 17.1-17.6)."""

from datetime import datetime
from typing import Annotated, Final

import msgspec

from patron.api.management import api
from patron.api.management._listing import Id, Listing, Sort, WithTotalResultSize, envelope, range_bound
from patron.api.operations import Answer, Call, Params
from patron.api.schemas.common import Page
from patron.api.schemas.customers import (
    ApplicationCustomer,
    CustomerActivityReport,
    CustomerAnalytics,
    CustomerProfileSearchQuery,
)
from patron.api.schemas.profiles import CustomerProfile
from patron.domain.tenancy import AccountScope
from patron.services import customers
from patron.store.database import Transaction
from patron.store.profiles import ProfileFilter

_TAGS: Final = ["Customer data"]
Sandbox = Annotated[bool, msgspec.Meta(description="true: sandbox profiles; false: live ones.")]


class EnvironmentListing(Listing, kw_only=True):
    sandbox: Sandbox = False


class CustomerPath(Params, kw_only=True):
    customer_id: Id


class ApplicationListing(Listing, kw_only=True):
    application_id: Id
    with_total_result_size: WithTotalResultSize = False


class ApplicationCustomersParams(ApplicationListing, kw_only=True):
    integration_id: str | None = None


class ApplicationCustomerPath(Params, kw_only=True):
    application_id: Id
    customer_id: Id


class AnalyticsParams(Listing, kw_only=True):
    application_id: Id
    customer_id: Id
    # Accepted as the spec declares them; they change nothing about a single object.
    sort: Sort | None = None


class ActivityReportParams(Listing, kw_only=True):
    application_id: Id
    customer_id: Id
    range_start: Annotated[str, msgspec.Meta(description="RFC 3339, or a date (UTC).")]
    range_end: Annotated[str, msgspec.Meta(description="RFC 3339, or a date (UTC).")]


@api.read(
    "GET",
    "/v1/customers/no_total",
    "getCustomerProfiles",
    tags=_TAGS,
    params=EnvironmentListing,
    answers={200: Page[CustomerProfile]},
)
async def get_customer_profiles(
    tx: Transaction, scope: AccountScope, call: Call[EnvironmentListing, None], now: datetime
) -> Answer:
    """List the customer profiles of one environment of the account."""
    params = call.params
    found = await customers.get_customer_profiles(
        tx, scope, ProfileFilter(sandbox=params.sandbox), params.page()
    )
    return Answer.json(envelope(found, CustomerProfile.of))


@api.read(
    "GET",
    "/v1/customers/{customerId}",
    "getCustomerProfile",
    tags=_TAGS,
    params=CustomerPath,
    answers={200: CustomerProfile},
)
async def get_customer_profile(
    tx: Transaction, scope: AccountScope, call: Call[CustomerPath, None], now: datetime
) -> Answer:
    """Read one customer profile of the account."""
    return Answer.json(
        CustomerProfile.of(await customers.get_customer_profile(tx, scope, call.params.customer_id))
    )


@api.read(
    "POST",
    "/v1/customer_search/no_total",
    "getCustomersByAttributes",
    tags=_TAGS,
    params=EnvironmentListing,
    body=CustomerProfileSearchQuery,
    answers={200: Page[CustomerProfile]},
)
async def get_customers_by_attributes(
    tx: Transaction,
    scope: AccountScope,
    call: Call[EnvironmentListing, CustomerProfileSearchQuery],
    now: datetime,
) -> Answer:
    """Search the customer profiles of one environment by attributes."""
    wanted = _search(call.body, sandbox=call.params.sandbox)
    found = await customers.get_customer_profiles(tx, scope, wanted, call.params.page())
    return Answer.json(envelope(found, CustomerProfile.of))


@api.read(
    "GET",
    "/v1/applications/{applicationId}/customers",
    "getApplicationCustomers",
    tags=_TAGS,
    params=ApplicationCustomersParams,
    answers={200: Page[ApplicationCustomer]},
)
async def get_application_customers(
    tx: Transaction, scope: AccountScope, call: Call[ApplicationCustomersParams, None], now: datetime
) -> Answer:
    """List the customer profiles seen by an Application."""
    params = call.params
    wanted = ProfileFilter(
        integration_ids=None if params.integration_id is None else (params.integration_id,)
    )
    page = params.page(with_total=params.with_total_result_size)
    found = await customers.get_application_customers(tx, scope, params.application_id, wanted, page)
    return Answer.json(envelope(found, ApplicationCustomer.of))


@api.read(
    "GET",
    "/v1/applications/{applicationId}/customers/{customerId}",
    "getApplicationCustomer",
    tags=_TAGS,
    params=ApplicationCustomerPath,
    answers={200: ApplicationCustomer},
)
async def get_application_customer(
    tx: Transaction, scope: AccountScope, call: Call[ApplicationCustomerPath, None], now: datetime
) -> Answer:
    """Read one customer profile seen by an Application."""
    params = call.params
    profile = await customers.get_application_customer(tx, scope, params.application_id, params.customer_id)
    return Answer.json(ApplicationCustomer.of(profile))


@api.read(
    "POST",
    "/v1/applications/{applicationId}/customer_search",
    "getApplicationCustomersByAttributes",
    tags=_TAGS,
    params=ApplicationListing,
    body=CustomerProfileSearchQuery,
    answers={200: Page[ApplicationCustomer]},
)
async def get_application_customers_by_attributes(
    tx: Transaction,
    scope: AccountScope,
    call: Call[ApplicationListing, CustomerProfileSearchQuery],
    now: datetime,
) -> Answer:
    """Search the customer profiles seen by an Application by attributes."""
    params = call.params
    page = params.page(with_total=params.with_total_result_size)
    found = await customers.get_application_customers(
        tx, scope, params.application_id, _search(call.body), page
    )
    return Answer.json(envelope(found, ApplicationCustomer.of))


@api.read(
    "GET",
    "/v1/applications/{applicationId}/customers/{customerId}/analytics",
    "getCustomerAnalytics",
    tags=_TAGS,
    params=AnalyticsParams,
    answers={200: CustomerAnalytics},
)
async def get_customer_analytics(
    tx: Transaction, scope: AccountScope, call: Call[AnalyticsParams, None], now: datetime
) -> Answer:
    """Order and revenue figures of a customer in an Application."""
    params = call.params
    figures = await customers.get_customer_analytics(tx, scope, params.application_id, params.customer_id)
    return Answer.json(CustomerAnalytics.of(figures))


@api.read(
    "GET",
    "/v1/applications/{applicationId}/customer_activity_reports/{customerId}",
    "getCustomerActivityReport",
    tags=_TAGS,
    params=ActivityReportParams,
    answers={200: CustomerActivityReport},
)
async def get_customer_activity_report(
    tx: Transaction, scope: AccountScope, call: Call[ActivityReportParams, None], now: datetime
) -> Answer:
    """A customer's activity in an Application over a time range."""
    params = call.params
    report = await customers.get_customer_activity_report(
        tx,
        scope,
        params.application_id,
        params.customer_id,
        range_start=range_bound(params.range_start, parameter="rangeStart"),
        range_end=range_bound(params.range_end, parameter="rangeEnd"),
    )
    return Answer.json(CustomerActivityReport.of(report))


def _search(body: CustomerProfileSearchQuery, *, sandbox: bool | None = None) -> ProfileFilter:
    # An empty list narrows nothing, like an absent one.
    return ProfileFilter(
        sandbox=sandbox,
        integration_ids=tuple(body.integration_ids) if body.integration_ids else None,
        ids=tuple(body.profile_ids) if body.profile_ids else None,
        attributes=body.attributes or None,
    )
