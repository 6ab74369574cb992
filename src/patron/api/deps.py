"""FastAPI dependencies as named Annotated aliases."""

from datetime import UTC, datetime
from typing import Annotated

from fastapi import Depends, Request, Security
from fastapi.security import APIKeyHeader

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


def get_unit_of_work(request: Request) -> UnitOfWork:
    return UnitOfWork(_engine(request))


def get_write_unit_of_work(request: Request) -> UnitOfWork:
    return UnitOfWork(_engine(request), write=True)


def unit_of_work_for(request: Request, *, dry: bool, subject: str) -> UnitOfWork:
    """Writers queue for their rows; a dry request only reads, so it never blocks them."""
    return UnitOfWork(_engine(request), write=not dry, subject=subject)


def get_now() -> datetime:
    return datetime.now(UTC)


def _credential(authorization: str | None, prefix: str) -> str:
    # Prefixes match case-sensitively, separated from the secret by one space (SEMANTICS 2.1).
    if not authorization or not authorization.startswith(prefix) or len(authorization) == len(prefix):
        raise UnauthorizedError(
            f"Missing or malformed credentials: expected 'Authorization: {prefix}<key>'",
            parameter="Authorization",
        )
    return authorization[len(prefix) :]


def integration_scope(
    request: Request, authorization: Annotated[str | None, Security(_integration_header)]
) -> ApplicationScope:
    key = _credential(authorization, _INTEGRATION_PREFIX)
    return tenancy.authenticate_integration_key(UnitOfWork(_engine(request)), key)


def management_scope(
    request: Request, authorization: Annotated[str | None, Security(_management_header)]
) -> AccountScope:
    key = _credential(authorization, _MANAGEMENT_PREFIX)
    return tenancy.authenticate_management_key(UnitOfWork(_engine(request)), key)


UnitOfWorkDep = Annotated[UnitOfWork, Depends(get_unit_of_work)]
WriteUnitOfWorkDep = Annotated[UnitOfWork, Depends(get_write_unit_of_work)]
NowDep = Annotated[datetime, Depends(get_now)]
IntegrationScopeDep = Annotated[ApplicationScope, Depends(integration_scope)]
ManagementScopeDep = Annotated[AccountScope, Depends(management_scope)]
