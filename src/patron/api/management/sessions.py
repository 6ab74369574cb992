"""Customer sessions of an Application (Management API, SEMANTICS 17.7)."""

from datetime import datetime
from typing import Annotated, Final

import msgspec

from patron.api.management import api
from patron.api.management._listing import Id, Listing, Sort, envelope
from patron.api.operations import Answer, Call, Params
from patron.api.schemas.application_sessions import ApplicationSession, DateFormat, sessions_csv
from patron.api.schemas.common import Page
from patron.api.schemas.sessions import SessionState
from patron.domain import sessions
from patron.domain.tenancy import AccountScope
from patron.services import application_sessions
from patron.store.database import Transaction
from patron.store.sessions import OwnedSession, SessionFilter

_TAGS: Final = ["Customer sessions"]
Text = Annotated[str, msgspec.Meta(description="Exact, or a case-insensitive substring with partialMatch.")]
Instant = Annotated[datetime, msgspec.Meta(tz=True, description="RFC 3339 with any offset; compared in UTC.")]


class SessionsParams(Listing, kw_only=True):
    application_id: Id
    sort: Sort | None = None
    profile: Text | None = None
    state: SessionState | None = None
    created_before: Instant | None = None
    created_after: Instant | None = None
    coupon: Text | None = None
    referral: Text | None = None
    integration_id: Text | None = None
    store_integration_id: Text | None = None
    partial_match: bool = False


class SessionPath(Params, kw_only=True):
    application_id: Id
    session_id: Id


class ExportParams(Params, kw_only=True):
    application_id: Id
    created_before: Instant | None = None
    created_after: Instant | None = None
    updated_before: Instant | None = None
    updated_after: Instant | None = None
    profile_integration_id: str | None = None
    date_format: DateFormat = "ISO8601"
    customer_session_state: SessionState | None = None


@api.read(
    "GET",
    "/v1/applications/{applicationId}/sessions",
    "getApplicationSessions",
    tags=_TAGS,
    params=SessionsParams,
    answers={200: Page[ApplicationSession]},
)
async def get_application_sessions(
    tx: Transaction, scope: AccountScope, call: Call[SessionsParams, None], now: datetime
) -> Answer:
    """List the customer sessions of an Application."""
    params = call.params
    wanted = SessionFilter(
        profile=params.profile,
        state=None if params.state is None else sessions.SessionState(params.state),
        created_before=params.created_before,
        created_after=params.created_after,
        coupon=params.coupon,
        referral=params.referral,
        integration_id=params.integration_id,
        store_integration_id=params.store_integration_id,
        partial_match=params.partial_match,
    )
    found = await application_sessions.get_application_sessions(
        tx, scope, params.application_id, wanted, params.page(), sort=params.sort
    )
    return Answer.json(envelope(found, _shown))


@api.read(
    "GET",
    "/v1/applications/{applicationId}/sessions/{sessionId}",
    "getApplicationSession",
    tags=_TAGS,
    params=SessionPath,
    answers={200: ApplicationSession},
)
async def get_application_session(
    tx: Transaction, scope: AccountScope, call: Call[SessionPath, None], now: datetime
) -> Answer:
    """Read one customer session of an Application by its internal id."""
    params = call.params
    found = await application_sessions.get_application_session(
        tx, scope, params.application_id, params.session_id
    )
    return Answer.json(_shown(found))


@api.read(
    "GET",
    "/v1/applications/{applicationId}/export_customer_sessions",
    "exportCustomerSessions",
    tags=_TAGS,
    params=ExportParams,
    answers={200: ("application/csv", {"type": "string", "format": "csv"})},
)
async def export_customer_sessions(
    tx: Transaction, scope: AccountScope, call: Call[ExportParams, None], now: datetime
) -> Answer:
    """Export the customer sessions of an Application as CSV."""
    params = call.params
    state = params.customer_session_state
    wanted = SessionFilter(
        profile=params.profile_integration_id,
        state=None if state is None else sessions.SessionState(state),
        created_before=params.created_before,
        created_after=params.created_after,
        updated_before=params.updated_before,
        updated_after=params.updated_after,
    )
    found = await application_sessions.export_customer_sessions(tx, scope, params.application_id, wanted)
    rows = ((owned.session, owned.profile_pk) for owned in found)
    return Answer(200, sessions_csv(rows, params.date_format).encode(), "application/csv")


def _shown(owned: OwnedSession) -> ApplicationSession:
    return ApplicationSession.of(owned.session, profile_pk=owned.profile_pk)
