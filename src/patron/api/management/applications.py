"""Applications of the account (Management API)."""

from datetime import datetime

from patron.api.management import api
from patron.api.management._listing import Id, Listing
from patron.api.operations import Answer, Call, Params
from patron.api.schemas.applications import Application
from patron.api.schemas.common import Page
from patron.domain.tenancy import AccountScope
from patron.services import tenancy
from patron.store.database import Transaction
from patron.store.paging import page_of_list


class ApplicationPath(Params, kw_only=True):
    application_id: Id


@api.read(
    "GET",
    "/v1/applications",
    "getApplications",
    tags=["Applications"],
    params=Listing,
    answers={200: Page[Application]},
)
async def get_applications(
    tx: Transaction, scope: AccountScope, call: Call[Listing, None], now: datetime
) -> Answer:
    """List the Applications of the account."""
    found = page_of_list(await tenancy.list_applications(tx, scope), call.params.page(with_total=True))
    return Answer.json(Page(total_result_size=found.total, data=[Application.of(a) for a in found.items]))


@api.read(
    "GET",
    "/v1/applications/{applicationId}",
    "getApplication",
    tags=["Applications"],
    params=ApplicationPath,
    answers={200: Application},
)
async def get_application(
    tx: Transaction, scope: AccountScope, call: Call[ApplicationPath, None], now: datetime
) -> Answer:
    """Read one Application of the account."""
    return Answer.json(Application.of(await tenancy.get_application(tx, scope, call.params.application_id)))
