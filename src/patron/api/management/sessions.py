"""Customer sessions of an Application (Management API, SEMANTICS 17.7)."""

from typing import Annotated

from fastapi import APIRouter, Path, Query
from pydantic import AwareDatetime
from starlette.responses import Response

from patron.api.deps import ManagementScopeDep, UnitOfWorkDep
from patron.api.management._listing import PageSize, Skip, Sort, envelope
from patron.api.responses import TalonJSONResponse
from patron.api.routing import TalonRoute
from patron.api.schemas.application_sessions import ApplicationSession, DateFormat, sessions_csv
from patron.api.schemas.common import MAX_ID, MIN_ID, Page
from patron.api.schemas.sessions import SessionState
from patron.domain import sessions
from patron.services import application_sessions
from patron.store.paging import PageRequest
from patron.store.sessions import OwnedSession, SessionFilter

router = APIRouter(route_class=TalonRoute, tags=["Customer sessions"])
ApplicationId = Annotated[int, Path(alias="applicationId", ge=MIN_ID, le=MAX_ID)]
Text = Annotated[str | None, Query(description="Exact, or a case-insensitive substring with partialMatch.")]
Instant = Annotated[AwareDatetime | None, Query(description="RFC 3339 with any offset; compared in UTC.")]


@router.get(
    "/v1/applications/{applicationId}/sessions",
    operation_id="getApplicationSessions",
    response_model=Page[ApplicationSession],
)
def get_application_sessions(
    application_id: ApplicationId,
    scope: ManagementScopeDep,
    uow: UnitOfWorkDep,
    page_size: PageSize = 1000,
    skip: Skip = 0,
    sort: Sort = None,
    profile: Text = None,
    state: SessionState | None = None,
    created_before: Annotated[Instant, Query(alias="createdBefore")] = None,
    created_after: Annotated[Instant, Query(alias="createdAfter")] = None,
    coupon: Text = None,
    referral: Text = None,
    integration_id: Annotated[Text, Query(alias="integrationId")] = None,
    store_integration_id: Annotated[Text, Query(alias="storeIntegrationId")] = None,
    partial_match: Annotated[bool, Query(alias="partialMatch")] = False,
) -> TalonJSONResponse:
    """List the customer sessions of an Application."""
    wanted = SessionFilter(
        profile=profile,
        state=None if state is None else sessions.SessionState(state),
        created_before=created_before,
        created_after=created_after,
        coupon=coupon,
        referral=referral,
        integration_id=integration_id,
        store_integration_id=store_integration_id,
        partial_match=partial_match,
    )
    found = application_sessions.get_application_sessions(
        uow, scope, application_id, wanted, PageRequest(skip, page_size), sort=sort
    )
    return TalonJSONResponse(envelope(found, _shown))


@router.get(
    "/v1/applications/{applicationId}/sessions/{sessionId}",
    operation_id="getApplicationSession",
    response_model=ApplicationSession,
)
def get_application_session(
    application_id: ApplicationId,
    session_id: Annotated[int, Path(alias="sessionId", ge=MIN_ID, le=MAX_ID)],
    scope: ManagementScopeDep,
    uow: UnitOfWorkDep,
) -> TalonJSONResponse:
    """Read one customer session of an Application by its internal id."""
    found = application_sessions.get_application_session(uow, scope, application_id, session_id)
    return TalonJSONResponse(_shown(found))


@router.get(
    "/v1/applications/{applicationId}/export_customer_sessions",
    operation_id="exportCustomerSessions",
    response_class=Response,
    responses={200: {"content": {"application/csv": {"schema": {"type": "string", "format": "csv"}}}}},
)
def export_customer_sessions(
    application_id: ApplicationId,
    scope: ManagementScopeDep,
    uow: UnitOfWorkDep,
    created_before: Annotated[Instant, Query(alias="createdBefore")] = None,
    created_after: Annotated[Instant, Query(alias="createdAfter")] = None,
    updated_before: Annotated[Instant, Query(alias="updatedBefore")] = None,
    updated_after: Annotated[Instant, Query(alias="updatedAfter")] = None,
    profile_integration_id: Annotated[str | None, Query(alias="profileIntegrationId")] = None,
    date_format: Annotated[DateFormat, Query(alias="dateFormat")] = "ISO8601",
    customer_session_state: Annotated[SessionState | None, Query(alias="customerSessionState")] = None,
) -> Response:
    """Export the customer sessions of an Application as CSV."""
    wanted = SessionFilter(
        profile=profile_integration_id,
        state=None if customer_session_state is None else sessions.SessionState(customer_session_state),
        created_before=created_before,
        created_after=created_after,
        updated_before=updated_before,
        updated_after=updated_after,
    )
    found = application_sessions.export_customer_sessions(uow, scope, application_id, wanted)
    rows = ((owned.session, owned.profile_pk) for owned in found)
    return Response(sessions_csv(rows, date_format), media_type="application/csv")


def _shown(owned: OwnedSession) -> ApplicationSession:
    return ApplicationSession.of(owned.session, profile_pk=owned.profile_pk)
