"""Customer profiles: look up, list, search, analytics (Management API)."""

from typing import Annotated

from fastapi import APIRouter, Path

from patron.api._unbuilt import unbuilt
from patron.api.routing import TalonRoute

router = APIRouter(route_class=TalonRoute, tags=["Customer data"])
ApplicationId = Annotated[int, Path(alias="applicationId")]
CustomerId = Annotated[int, Path(alias="customerId")]


@router.get("/v1/customers/no_total", operation_id="getCustomerProfiles")
def get_customer_profiles() -> None:
    """List the customer profiles of one environment of the account."""
    unbuilt("getCustomerProfiles")


@router.get("/v1/customers/{customerId}", operation_id="getCustomerProfile")
def get_customer_profile(customer_id: CustomerId) -> None:
    """Read one customer profile of the account."""
    unbuilt("getCustomerProfile")


@router.post("/v1/customer_search/no_total", operation_id="getCustomersByAttributes")
def get_customers_by_attributes() -> None:
    """Search the customer profiles of one environment by attributes."""
    unbuilt("getCustomersByAttributes")


@router.get("/v1/applications/{applicationId}/customers", operation_id="getApplicationCustomers")
def get_application_customers(application_id: ApplicationId) -> None:
    """List the customer profiles seen by an Application."""
    unbuilt("getApplicationCustomers")


@router.get("/v1/applications/{applicationId}/customers/{customerId}", operation_id="getApplicationCustomer")
def get_application_customer(application_id: ApplicationId, customer_id: CustomerId) -> None:
    """Read one customer profile seen by an Application."""
    unbuilt("getApplicationCustomer")


@router.post(
    "/v1/applications/{applicationId}/customer_search", operation_id="getApplicationCustomersByAttributes"
)
def get_application_customers_by_attributes(application_id: ApplicationId) -> None:
    """Search the customer profiles seen by an Application by attributes."""
    unbuilt("getApplicationCustomersByAttributes")


@router.get(
    "/v1/applications/{applicationId}/customers/{customerId}/analytics", operation_id="getCustomerAnalytics"
)
def get_customer_analytics(application_id: ApplicationId, customer_id: CustomerId) -> None:
    """Order and revenue figures of a customer in an Application."""
    unbuilt("getCustomerAnalytics")


@router.get(
    "/v1/applications/{applicationId}/customer_activity_reports/{customerId}",
    operation_id="getCustomerActivityReport",
)
def get_customer_activity_report(application_id: ApplicationId, customer_id: CustomerId) -> None:
    """A customer's activity in an Application over a time range."""
    unbuilt("getCustomerActivityReport")
