"""Customer profiles: look up, list, search, analytics (Management API, SEMANTICS 17.1-17.6)."""

from typing import Annotated

from fastapi import APIRouter, Path, Query

from patron.api.deps import ManagementScopeDep, UnitOfWorkDep
from patron.api.management._listing import PageSize, Skip, Sort, WithTotalResultSize, envelope, range_bound
from patron.api.responses import TalonJSONResponse
from patron.api.routing import TalonRoute
from patron.api.schemas.common import MAX_ID, MIN_ID, Page
from patron.api.schemas.customers import (
    ApplicationCustomer,
    CustomerActivityReport,
    CustomerAnalytics,
    CustomerProfileSearchQuery,
)
from patron.api.schemas.profiles import CustomerProfile
from patron.services import customers
from patron.store.paging import PageRequest
from patron.store.profiles import ProfileFilter

router = APIRouter(route_class=TalonRoute, tags=["Customer data"])
ApplicationId = Annotated[int, Path(alias="applicationId", ge=MIN_ID, le=MAX_ID)]
CustomerId = Annotated[int, Path(alias="customerId", ge=MIN_ID, le=MAX_ID)]
Sandbox = Annotated[bool, Query(description="true: sandbox profiles; false: live ones.")]


@router.get(
    "/v1/customers/no_total", operation_id="getCustomerProfiles", response_model=Page[CustomerProfile]
)
def get_customer_profiles(
    scope: ManagementScopeDep,
    uow: UnitOfWorkDep,
    sandbox: Sandbox = False,
    page_size: PageSize = 1000,
    skip: Skip = 0,
) -> TalonJSONResponse:
    """List the customer profiles of one environment of the account."""
    found = customers.get_customer_profiles(
        uow, scope, ProfileFilter(sandbox=sandbox), PageRequest(skip, page_size)
    )
    return TalonJSONResponse(envelope(found, CustomerProfile.of))


@router.get("/v1/customers/{customerId}", operation_id="getCustomerProfile", response_model=CustomerProfile)
def get_customer_profile(
    customer_id: CustomerId, scope: ManagementScopeDep, uow: UnitOfWorkDep
) -> TalonJSONResponse:
    """Read one customer profile of the account."""
    return TalonJSONResponse(CustomerProfile.of(customers.get_customer_profile(uow, scope, customer_id)))


@router.post(
    "/v1/customer_search/no_total",
    operation_id="getCustomersByAttributes",
    response_model=Page[CustomerProfile],
)
def get_customers_by_attributes(
    body: CustomerProfileSearchQuery,
    scope: ManagementScopeDep,
    uow: UnitOfWorkDep,
    sandbox: Sandbox = False,
    page_size: PageSize = 1000,
    skip: Skip = 0,
) -> TalonJSONResponse:
    """Search the customer profiles of one environment by attributes."""
    wanted = _search(body, sandbox=sandbox)
    found = customers.get_customer_profiles(uow, scope, wanted, PageRequest(skip, page_size))
    return TalonJSONResponse(envelope(found, CustomerProfile.of))


@router.get(
    "/v1/applications/{applicationId}/customers",
    operation_id="getApplicationCustomers",
    response_model=Page[ApplicationCustomer],
)
def get_application_customers(
    application_id: ApplicationId,
    scope: ManagementScopeDep,
    uow: UnitOfWorkDep,
    integration_id: Annotated[str | None, Query(alias="integrationId")] = None,
    page_size: PageSize = 1000,
    skip: Skip = 0,
    with_total_result_size: WithTotalResultSize = False,
) -> TalonJSONResponse:
    """List the customer profiles seen by an Application."""
    wanted = ProfileFilter(integration_ids=None if integration_id is None else (integration_id,))
    page = PageRequest(skip, page_size, with_total=with_total_result_size)
    found = customers.get_application_customers(uow, scope, application_id, wanted, page)
    return TalonJSONResponse(envelope(found, ApplicationCustomer.of))


@router.get(
    "/v1/applications/{applicationId}/customers/{customerId}",
    operation_id="getApplicationCustomer",
    response_model=ApplicationCustomer,
)
def get_application_customer(
    application_id: ApplicationId, customer_id: CustomerId, scope: ManagementScopeDep, uow: UnitOfWorkDep
) -> TalonJSONResponse:
    """Read one customer profile seen by an Application."""
    profile = customers.get_application_customer(uow, scope, application_id, customer_id)
    return TalonJSONResponse(ApplicationCustomer.of(profile))


@router.post(
    "/v1/applications/{applicationId}/customer_search",
    operation_id="getApplicationCustomersByAttributes",
    response_model=Page[ApplicationCustomer],
)
def get_application_customers_by_attributes(
    application_id: ApplicationId,
    body: CustomerProfileSearchQuery,
    scope: ManagementScopeDep,
    uow: UnitOfWorkDep,
    page_size: PageSize = 1000,
    skip: Skip = 0,
    with_total_result_size: WithTotalResultSize = False,
) -> TalonJSONResponse:
    """Search the customer profiles seen by an Application by attributes."""
    page = PageRequest(skip, page_size, with_total=with_total_result_size)
    found = customers.get_application_customers(uow, scope, application_id, _search(body), page)
    return TalonJSONResponse(envelope(found, ApplicationCustomer.of))


@router.get(
    "/v1/applications/{applicationId}/customers/{customerId}/analytics",
    operation_id="getCustomerAnalytics",
    response_model=CustomerAnalytics,
)
def get_customer_analytics(
    application_id: ApplicationId,
    customer_id: CustomerId,
    scope: ManagementScopeDep,
    uow: UnitOfWorkDep,
    # Accepted as the spec declares them; they change nothing about a single object.
    page_size: PageSize = 1000,
    skip: Skip = 0,
    sort: Sort = None,
) -> TalonJSONResponse:
    """Order and revenue figures of a customer in an Application."""
    figures = customers.get_customer_analytics(uow, scope, application_id, customer_id)
    return TalonJSONResponse(CustomerAnalytics.of(figures))


@router.get(
    "/v1/applications/{applicationId}/customer_activity_reports/{customerId}",
    operation_id="getCustomerActivityReport",
    response_model=CustomerActivityReport,
)
def get_customer_activity_report(
    application_id: ApplicationId,
    customer_id: CustomerId,
    scope: ManagementScopeDep,
    uow: UnitOfWorkDep,
    range_start: Annotated[str, Query(alias="rangeStart", description="RFC 3339, or a date (UTC).")],
    range_end: Annotated[str, Query(alias="rangeEnd", description="RFC 3339, or a date (UTC).")],
    page_size: PageSize = 1000,
    skip: Skip = 0,
) -> TalonJSONResponse:
    """A customer's activity in an Application over a time range."""
    report = customers.get_customer_activity_report(
        uow,
        scope,
        application_id,
        customer_id,
        range_start=range_bound(range_start, parameter="rangeStart"),
        range_end=range_bound(range_end, parameter="rangeEnd"),
    )
    return TalonJSONResponse(CustomerActivityReport.of(report))


def _search(body: CustomerProfileSearchQuery, *, sandbox: bool | None = None) -> ProfileFilter:
    # An empty list narrows nothing, like an absent one.
    return ProfileFilter(
        sandbox=sandbox,
        integration_ids=tuple(body.integration_ids) if body.integration_ids else None,
        ids=tuple(body.profile_ids) if body.profile_ids else None,
        attributes=body.attributes or None,
    )
