"""Audiences and their members (Management API)."""

import csv
import io
from datetime import datetime
from typing import Annotated, Final

import msgspec

from patron.api.management import api
from patron.api.management._listing import Id, Listing, Sort, WithTotalResultSize, envelope
from patron.api.operations import Answer, Call, Params
from patron.api.schemas.audiences import Audience
from patron.api.schemas.common import Page, Timestamp, Wire
from patron.api.schemas.profiles import CustomerProfile
from patron.domain.tenancy import AccountScope
from patron.errors import InvalidInputError
from patron.services import audiences
from patron.store.database import Transaction
from patron.store.paging import page_of_list

_TAGS: Final = ["Audiences"]
_COLUMN: Final = "profileintegrationid"
_CSV_UPLOAD: Final = {
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


class Import(Wire, kw_only=True):
    id: int
    created: Timestamp
    account_id: int
    user_id: int
    entity: str
    amount: int


class AudiencesParams(Listing, kw_only=True):
    with_total_result_size: WithTotalResultSize = False


class AudiencePath(Params, kw_only=True):
    audience_id: Id


class MembershipsParams(Listing, kw_only=True):
    audience_id: Id
    sort: Sort | None = None
    profile_query: Annotated[str, msgspec.Meta(max_length=1000)] | None = None


@api.read(
    "GET", "/v1/audiences", "getAudiences", tags=_TAGS, params=AudiencesParams, answers={200: Page[Audience]}
)
async def get_audiences(
    tx: Transaction, scope: AccountScope, call: Call[AudiencesParams, None], now: datetime
) -> Answer:
    """List the audiences of the account, in both environments."""
    params = call.params
    found = page_of_list(
        await audiences.list_audiences(tx, scope), params.page(with_total=params.with_total_result_size)
    )
    return Answer.json(envelope(found, Audience.of))


@api.read(
    "GET",
    "/v1/audiences/{audienceId}/memberships",
    "getAudienceMemberships",
    tags=_TAGS,
    params=MembershipsParams,
    answers={200: Page[CustomerProfile]},
)
async def get_audience_memberships(
    tx: Transaction, scope: AccountScope, call: Call[MembershipsParams, None], now: datetime
) -> Answer:
    """List the members of an audience."""
    params = call.params
    found = await audiences.get_audience_memberships(
        tx,
        scope,
        params.audience_id,
        profile_query=params.profile_query,
        sort=params.sort,
        page=params.page(),
    )
    return Answer.json(envelope(found, CustomerProfile.of))


@api.read(
    "GET",
    "/v1/audiences/{audienceId}/memberships/export",
    "exportAudiencesMemberships",
    tags=_TAGS,
    params=AudiencePath,
    answers={200: ("application/csv", {"type": "string", "format": "csv"})},
)
async def export_audiences_memberships(
    tx: Transaction, scope: AccountScope, call: Call[AudiencePath, None], now: datetime
) -> Answer:
    """Export the members of an audience as CSV."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([_COLUMN])
    writer.writerows(
        [member] for member in await audiences.export_audience_memberships(tx, scope, call.params.audience_id)
    )
    return Answer(200, out.getvalue().encode(), "application/csv")


@api.write(
    "POST",
    "/v1/audiences/{audienceId}/memberships/import",
    "importAudiencesMemberships",
    tags=_TAGS,
    params=AudiencePath,
    upload=_CSV_UPLOAD,
    answers={200: Import},
    subject="audience",
)
async def import_audiences_memberships(
    tx: Transaction, scope: AccountScope, call: Call[AudiencePath, bytes | None], now: datetime
) -> Answer:
    """Replace the members of an audience from a CSV file (multipart field upFile)."""
    if not call.body:
        raise InvalidInputError("Send the CSV file in the multipart field upFile", line="N/A")
    members = _integration_ids(_text(call.body))
    record = await audiences.import_audience_memberships(tx, scope, call.params.audience_id, members, now=now)
    shown = Import(
        id=record.id,
        created=record.created,
        account_id=record.account_id,
        user_id=0,
        entity=record.entity,
        amount=record.amount,
    )
    return Answer.json(shown)


def _text(content: bytes) -> str:
    try:
        return content.decode("utf-8-sig")
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
