"""Audiences and their members (Management API)."""

import csv
import io
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from patron.api.deps import ManagementScopeDep, NowDep, UnitOfWorkDep, get_write_unit_of_work
from patron.api.management._listing import PageSize, Skip, Sort, WithTotalResultSize, envelope
from patron.api.responses import TalonJSONResponse
from patron.api.routing import TalonRoute
from patron.api.schemas.audiences import Audience
from patron.api.schemas.common import MAX_ID, MIN_ID, ApiModel, Page
from patron.api.schemas.profiles import CustomerProfile
from patron.errors import InvalidInputError
from patron.services import audiences
from patron.store.paging import PageRequest, page_of

router = APIRouter(route_class=TalonRoute, tags=["Audiences"])
AudienceId = Annotated[int, Path(alias="audienceId", ge=MIN_ID, le=MAX_ID)]
_COLUMN = "profileintegrationid"
_CSV_UPLOAD = {
    "required": True,
    "content": {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "properties": {
                    "upFile": {
                        "type": "string",
                        "format": "binary",
                        "description": f"A CSV file with one column, {_COLUMN}, one integration id a line.",
                    }
                },
                "required": ["upFile"],
            }
        }
    },
}


class Import(ApiModel):
    id: int
    created: datetime
    account_id: int
    user_id: int
    entity: str
    amount: int


@router.get("/v1/audiences", operation_id="getAudiences", response_model=Page[Audience])
def get_audiences(
    scope: ManagementScopeDep,
    uow: UnitOfWorkDep,
    page_size: PageSize = 1000,
    skip: Skip = 0,
    with_total_result_size: WithTotalResultSize = False,
) -> Response:
    """List the audiences of the account, in both environments."""
    page = PageRequest(skip=skip, size=page_size, with_total=with_total_result_size)
    found = page_of(audiences.list_audiences(uow, scope), page)
    return TalonJSONResponse(envelope(found, Audience.of))


@router.get(
    "/v1/audiences/{audienceId}/memberships",
    operation_id="getAudienceMemberships",
    response_model=Page[CustomerProfile],
)
def get_audience_memberships(
    audience_id: AudienceId,
    scope: ManagementScopeDep,
    uow: UnitOfWorkDep,
    page_size: PageSize = 1000,
    skip: Skip = 0,
    sort: Sort = None,
    profile_query: Annotated[str | None, Query(alias="profileQuery", max_length=1000)] = None,
) -> Response:
    """List the members of an audience."""
    found = audiences.get_audience_memberships(
        uow,
        scope,
        audience_id,
        profile_query=profile_query,
        sort=sort,
        page=PageRequest(skip=skip, size=page_size),
    )
    return TalonJSONResponse(envelope(found, CustomerProfile.of))


@router.get(
    "/v1/audiences/{audienceId}/memberships/export",
    operation_id="exportAudiencesMemberships",
    response_class=Response,
    responses={200: {"content": {"application/csv": {"schema": {"type": "string", "format": "csv"}}}}},
)
def export_audiences_memberships(
    audience_id: AudienceId, scope: ManagementScopeDep, uow: UnitOfWorkDep
) -> Response:
    """Export the members of an audience as CSV."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([_COLUMN])
    writer.writerows([member] for member in audiences.export_audience_memberships(uow, scope, audience_id))
    return Response(out.getvalue(), media_type="application/csv")


@router.post(
    "/v1/audiences/{audienceId}/memberships/import",
    operation_id="importAudiencesMemberships",
    response_model=Import,
    # The handler reads the form itself, so FastAPI cannot see the body: declare it.
    openapi_extra={"requestBody": _CSV_UPLOAD},
)
async def import_audiences_memberships(
    audience_id: AudienceId, request: Request, scope: ManagementScopeDep, now: NowDep
) -> Response:
    """Replace the members of an audience from a CSV file (multipart field upFile)."""
    async with request.form() as form:
        upload = form.get("upFile")
        content = await upload.read() if isinstance(upload, UploadFile) else upload
    if not content:
        raise InvalidInputError("Send the CSV file in the multipart field upFile", line="N/A")
    members = _integration_ids(_text(content))
    uow = get_write_unit_of_work(request)
    record = await run_in_threadpool(
        audiences.import_audience_memberships, uow, scope, audience_id, members, now=now
    )
    shown = Import(
        id=record.id,
        created=record.created,
        account_id=record.account_id,
        user_id=0,
        entity=record.entity,
        amount=record.amount,
    )
    return TalonJSONResponse(shown)


def _text(content: bytes | str) -> str:
    try:
        return content.decode("utf-8-sig") if isinstance(content, bytes) else content
    except UnicodeDecodeError:
        raise InvalidInputError("The file must be UTF-8 text", line="N/A") from None


def _integration_ids(text: str) -> list[str]:
    rows = csv.reader(io.StringIO(text))
    try:
        header = next(rows, [])
        if [column.strip().lower() for column in header] != [_COLUMN]:
            raise InvalidInputError(f"The file must have exactly one column, {_COLUMN}", line="1")
        return [member for line, row in enumerate(rows, start=2) if (member := _member(row, line))]
    except csv.Error as exc:
        raise InvalidInputError(f"Line {rows.line_num} is not CSV: {exc}", line=str(rows.line_num)) from None


def _member(row: list[str], line: int) -> str:
    """The integration id of one row ("" for a blank row)."""
    member = row[0].strip() if row else ""
    # NUL cannot be stored in PostgreSQL text.
    if member and (len(row) != 1 or len(member) > 1000 or "\x00" in member):
        raise InvalidInputError(
            f"Line {line} is not one integration id of at most 1000 characters", line=str(line)
        )
    return member
