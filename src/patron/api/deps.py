"""FastAPI dependencies as named Annotated aliases."""

from datetime import UTC, datetime
from typing import Annotated
from weakref import WeakKeyDictionary

from fastapi import Depends, Request, Security
from fastapi.security import APIKeyHeader
from starlette.concurrency import run_in_threadpool

from patron.domain.tenancy import AccountScope, ApplicationScope
from patron.errors import UnauthorizedError
from patron.services import tenancy
from patron.store.engine import Engine
from patron.store.unit_of_work import UnitOfWork

_INTEGRATION_PREFIX = "ApiKey-v1 "
_MANAGEMENT_PREFIX = "ManagementKey-v1 "
# Declared in the OpenAPI document under Talon.One's own scheme names; patron checks the value itself.
_integration_header = APIKeyHeader(
    name="Authorization",
    scheme_name="api_key_v1",
    description="An Application's API key: `Authorization: ApiKey-v1 <key>`.",
    auto_error=False,
)
_management_header = APIKeyHeader(
    name="Authorization",
    scheme_name="management_key",
    description="An account's management key: `Authorization: ManagementKey-v1 <key>`.",
    auto_error=False,
)


def _engine(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


class _Credentials:
    """The keys already checked against one database, by kind."""

    def __init__(self) -> None:
        self.integration = tenancy.KnownKeys[ApplicationScope]()
        self.management = tenancy.KnownKeys[AccountScope]()


_CREDENTIALS: "WeakKeyDictionary[Engine, _Credentials]" = WeakKeyDictionary()


def _credentials(engine: Engine) -> _Credentials:
    known = _CREDENTIALS.get(engine)
    if known is None:
        known = _CREDENTIALS[engine] = _Credentials()
    return known


def get_unit_of_work(request: Request) -> UnitOfWork:
    return UnitOfWork(_engine(request))


def get_write_unit_of_work(request: Request) -> UnitOfWork:
    return UnitOfWork(_engine(request), write=True)


def unit_of_work_for(request: Request, *, dry: bool, subject: str) -> UnitOfWork:
    """Writers queue for their rows; a dry request only reads, so it never blocks them."""
    return UnitOfWork(_engine(request), write=not dry, subject=subject)


async def get_now() -> datetime:
    return datetime.now(UTC)


def _credential(authorization: str | None, prefix: str) -> str:
    # Prefixes match case-sensitively, separated from the secret by one space (SEMANTICS 2.1).
    if not authorization or not authorization.startswith(prefix) or len(authorization) == len(prefix):
        raise UnauthorizedError(
            f"Missing or malformed credentials: expected 'Authorization: {prefix}<key>'",
            parameter="Authorization",
        )
    return authorization[len(prefix) :]


# Async, so a key seen before costs no trip to a worker thread; a new one is looked up there.
async def integration_scope(
    request: Request, authorization: Annotated[str | None, Security(_integration_header)]
) -> ApplicationScope:
    key = _credential(authorization, _INTEGRATION_PREFIX)
    engine = _engine(request)
    known = _credentials(engine).integration
    scope = known.get(key)
    if scope is None:
        scope = await run_in_threadpool(tenancy.authenticate_integration_key, UnitOfWork(engine), key, known)
    return scope


async def management_scope(
    request: Request, authorization: Annotated[str | None, Security(_management_header)]
) -> AccountScope:
    key = _credential(authorization, _MANAGEMENT_PREFIX)
    engine = _engine(request)
    known = _credentials(engine).management
    scope = known.get(key)
    if scope is None:
        scope = await run_in_threadpool(tenancy.authenticate_management_key, UnitOfWork(engine), key, known)
    return scope


# Async wrappers: FastAPI runs a plain `def` dependency on a worker thread, a trip for nothing here.
async def _unit_of_work(request: Request) -> UnitOfWork:
    return get_unit_of_work(request)


async def _write_unit_of_work(request: Request) -> UnitOfWork:
    return get_write_unit_of_work(request)


UnitOfWorkDep = Annotated[UnitOfWork, Depends(_unit_of_work)]
WriteUnitOfWorkDep = Annotated[UnitOfWork, Depends(_write_unit_of_work)]
NowDep = Annotated[datetime, Depends(get_now)]
IntegrationScopeDep = Annotated[ApplicationScope, Depends(integration_scope)]
ManagementScopeDep = Annotated[AccountScope, Depends(management_scope)]
