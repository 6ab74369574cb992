"""Custom attribute definitions (Management API)."""

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response

from patron.api.deps import ManagementScopeDep, NowDep, UnitOfWorkDep, WriteUnitOfWorkDep
from patron.api.responses import TalonJSONResponse
from patron.api.routing import TalonRoute
from patron.api.schemas.attributes import Attribute, NewAttribute
from patron.api.schemas.common import MAX_ID, Page
from patron.services import attributes

router = APIRouter(route_class=TalonRoute, tags=["Attributes"])


@router.get("/v1/attributes", operation_id="getAttributes", response_model=Page[Attribute])
def get_attributes(
    scope: ManagementScopeDep,
    uow: UnitOfWorkDep,
    page_size: Annotated[int, Query(alias="pageSize", ge=1, le=1000)] = 1000,
    skip: Annotated[int, Query(ge=0, le=MAX_ID)] = 0,
    entity: str | None = None,
    kind: Literal["builtin", "custom"] | None = None,
    search: str | None = None,
) -> Response:
    """List the attribute definitions of the account, built-in and custom."""
    found = [
        definition
        for definition in attributes.list_attributes(uow, scope)
        if (entity is None or definition.entity == entity)
        and (kind is None or definition.built_in == (kind == "builtin"))
        and (
            search is None
            or search.lower() in f"{definition.name} {definition.description} {definition.type}".lower()
        )
    ]
    page = [Attribute.of(definition) for definition in found[skip : skip + page_size]]
    return TalonJSONResponse(Page(total_result_size=len(found), data=page))


@router.post("/v1/attributes", operation_id="createAttribute", status_code=201, response_model=Attribute)
def create_attribute(
    body: NewAttribute, scope: ManagementScopeDep, uow: WriteUnitOfWorkDep, now: NowDep
) -> Response:
    """Define a custom attribute."""
    created = attributes.create_attribute(uow, scope, body.to_domain(scope.account_id, now=now))
    return TalonJSONResponse(Attribute.of(created), status_code=201)
