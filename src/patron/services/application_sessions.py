"""Customer sessions of an Application, as the Management API reads them (SEMANTICS 17.7)."""

from patron.domain.tenancy import AccountScope
from patron.errors import NotFoundError
from patron.services.tenancy import get_application
from patron.store.paging import Found, PageRequest
from patron.store.sessions import OwnedSession, SessionFilter
from patron.store.unit_of_work import UnitOfWork


def get_application_sessions(
    uow: UnitOfWork,
    scope: AccountScope,
    application_id: int,
    wanted: SessionFilter,
    page: PageRequest,
    *,
    sort: str | None = None,
) -> Found[OwnedSession]:
    """One page of the Application's sessions that match `wanted`."""
    with uow:
        get_application(uow, scope, application_id)
        return uow.sessions.find(application_id, wanted, page, sort=sort)


def get_application_session(
    uow: UnitOfWork, scope: AccountScope, application_id: int, session_id: int
) -> OwnedSession:
    """One session of the Application, by its internal id."""
    with uow:
        get_application(uow, scope, application_id)
        found = uow.sessions.get_by_id(application_id, session_id)
    if found is None:
        raise NotFoundError(f"There is no customer session {session_id}", parameter="sessionId")
    return found


def export_customer_sessions(
    uow: UnitOfWork, scope: AccountScope, application_id: int, wanted: SessionFilter
) -> list[OwnedSession]:
    """Every session of the Application that matches `wanted`, in id order."""
    with uow:
        get_application(uow, scope, application_id)
        return list(uow.sessions.stream(application_id, wanted))
