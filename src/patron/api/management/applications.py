"""Applications of the account (Management API)."""

from typing import Annotated

from fastapi import APIRouter, Path, Query

from patron.api.deps import ManagementScopeDep, UnitOfWorkDep
from patron.api.responses import TalonJSONResponse
from patron.api.routing import TalonRoute
from patron.api.schemas.applications import Application
from patron.api.schemas.common import MAX_ID, MIN_ID, Page
from patron.services import tenancy

router = APIRouter(route_class=TalonRoute, tags=["Applications"])


@router.get("/v1/applications", operation_id="getApplications", response_model=Page[Application])
def get_applications(
    scope: ManagementScopeDep,
    uow: UnitOfWorkDep,
    page_size: Annotated[int, Query(alias="pageSize", ge=1, le=1000)] = 1000,
    skip: Annotated[int, Query(ge=0, le=MAX_ID)] = 0,
) -> TalonJSONResponse:
    """List the Applications of the account."""
    applications = tenancy.list_applications(uow, scope)
    page = applications[skip : skip + page_size]
    data = [Application.model_validate(application) for application in page]
    return TalonJSONResponse(Page(total_result_size=len(applications), data=data))


@router.get("/v1/applications/{applicationId}", operation_id="getApplication", response_model=Application)
def get_application(
    application_id: Annotated[int, Path(alias="applicationId", ge=MIN_ID, le=MAX_ID)],
    scope: ManagementScopeDep,
    uow: UnitOfWorkDep,
) -> TalonJSONResponse:
    """Read one Application of the account."""
    return TalonJSONResponse(Application.model_validate(tenancy.get_application(uow, scope, application_id)))
