"""Custom attribute definitions (Management API)."""

from datetime import datetime
from typing import Any, Literal

from patron.api.management import api
from patron.api.management._listing import Listing
from patron.api.operations import Answer, Call
from patron.api.schemas.attributes import Attribute, NewAttribute
from patron.api.schemas.common import Page
from patron.domain.tenancy import AccountScope
from patron.services import attributes
from patron.store.database import Transaction


class AttributesParams(Listing, kw_only=True):
    entity: str | None = None
    kind: Literal["builtin", "custom"] | None = None
    search: str | None = None


@api.read(
    "GET",
    "/v1/attributes",
    "getAttributes",
    tags=["Attributes"],
    params=AttributesParams,
    answers={200: Page[Attribute]},
)
async def get_attributes(
    tx: Transaction, scope: AccountScope, call: Call[AttributesParams, None], now: datetime
) -> Answer:
    """List the attribute definitions of the account, built-in and custom."""
    params = call.params
    found = [
        definition
        for definition in await attributes.list_attributes(tx, scope)
        if (params.entity is None or definition.entity == params.entity)
        and (params.kind is None or definition.built_in == (params.kind == "builtin"))
        and (
            params.search is None
            or params.search.lower()
            in f"{definition.name} {definition.description} {definition.type}".lower()
        )
    ]
    page = [Attribute.of(definition) for definition in found[params.skip : params.skip + params.page_size]]
    return Answer.json(Page(total_result_size=len(found), data=page))


@api.write(
    "POST",
    "/v1/attributes",
    "createAttribute",
    tags=["Attributes"],
    body=NewAttribute,
    answers={201: Attribute},
)
async def create_attribute(
    tx: Transaction, scope: AccountScope, call: Call[Any, NewAttribute], now: datetime
) -> Answer:
    """Define a custom attribute."""
    created = await attributes.create_attribute(tx, scope, call.body.to_domain(scope.account_id, now=now))
    return Answer.json(Attribute.of(created), 201)
