"""Customer sessions of an Application, as the Management API reads them (SEMANTICS 17.7)."""

from patron.domain.tenancy import AccountScope
from patron.errors import NotFoundError
from patron.services.tenancy import get_application
from patron.store.database import Transaction
from patron.store.paging import Found, PageRequest
from patron.store.sessions import OwnedSession, SessionFilter


async def get_application_sessions(
    tx: Transaction,
    scope: AccountScope,
    application_id: int,
    wanted: SessionFilter,
    page: PageRequest,
    *,
    sort: str | None = None,
) -> Found[OwnedSession]:
    """One page of the Application's sessions that match `wanted`."""
    await get_application(tx, scope, application_id)
    return await tx.sessions.find(application_id, wanted, page, sort=sort)


async def get_application_session(
    tx: Transaction, scope: AccountScope, application_id: int, session_id: int
) -> OwnedSession:
    """One session of the Application, by its internal id."""
    await get_application(tx, scope, application_id)
    found = await tx.sessions.get_by_id(application_id, session_id)
    if found is None:
        raise NotFoundError(f"There is no customer session {session_id}", parameter="sessionId")
    return found


async def export_customer_sessions(
    tx: Transaction, scope: AccountScope, application_id: int, wanted: SessionFilter
) -> list[OwnedSession]:
    """Every session of the Application that matches `wanted`, in id order."""
    await get_application(tx, scope, application_id)
    return [owned async for owned in tx.sessions.stream(application_id, wanted)]
