"""Accounts, Applications and the credentials that act on them."""

from dataclasses import dataclass
from datetime import datetime
from typing import Final, TypeVar

from patron.domain import keys
from patron.domain.tenancy import (
    DEFAULT_CURRENCY,
    DEFAULT_TIMEZONE,
    Account,
    AccountScope,
    Application,
    ApplicationScope,
)
from patron.errors import NotFoundError, UnauthorizedError
from patron.services import attributes
from patron.store.database import Database, Transaction

S = TypeVar("S", ApplicationScope, AccountScope)
# Keys remembered per kind; past this, the oldest is forgotten (and looked up again if used).
KNOWN_KEYS_LIMIT: Final = 1024


@dataclass(frozen=True, slots=True)
class NewAccount:
    account: Account
    management_key: str


@dataclass(frozen=True, slots=True)
class NewApplication:
    application: Application
    api_key: str


async def create_account(tx: Transaction, name: str, *, now: datetime) -> NewAccount:
    management_key = keys.new_key()
    account = await tx.accounts.add(Account(id=0, name=name, created=now))
    await tx.keys.add_management_key(account.id, keys.digest(management_key), now)
    await attributes.seed_built_in_attributes(tx, account.id, now=now)
    return NewAccount(account, management_key)


async def create_application(
    tx: Transaction,
    *,
    account_id: int,
    name: str,
    sandbox: bool,
    now: datetime,
    currency: str = DEFAULT_CURRENCY,
    timezone: str = DEFAULT_TIMEZONE,
) -> NewApplication:
    api_key = keys.new_key()
    if await tx.accounts.get(account_id) is None:
        raise NotFoundError(f"There is no account {account_id}", parameter="accountId")
    application = await tx.applications.add(
        Application(
            id=0,
            account_id=account_id,
            name=name,
            sandbox=sandbox,
            currency=currency,
            timezone=timezone,
            created=now,
            modified=now,
        )
    )
    await tx.keys.add_integration_key(application.id, keys.digest(api_key), now)
    return NewApplication(application, api_key)


async def is_empty(tx: Transaction) -> bool:
    return await tx.accounts.count() == 0


async def authenticate_integration_key(database: Database, key: str) -> ApplicationScope:
    """The scope of an Application's API key, remembered once found (`store.database.Known`)."""
    digest = keys.digest(key)
    known = database.known.integration_keys
    scope = known.get(digest)
    if scope is None:
        async with database.transaction(write=False) as tx:
            found = await tx.keys.application_for_key(digest)
        if found is None or not keys.digests_match(found[0], key):
            raise UnauthorizedError("Invalid API key", parameter="Authorization")
        application = found[1]
        scope = _remember(
            known, digest, ApplicationScope(application.account_id, application.id, application.sandbox)
        )
    return scope


async def authenticate_management_key(database: Database, key: str) -> AccountScope:
    """The scope of an account's management key, remembered once found."""
    digest = keys.digest(key)
    known = database.known.management_keys
    scope = known.get(digest)
    if scope is None:
        async with database.transaction(write=False) as tx:
            found = await tx.keys.account_for_key(digest)
        if found is None or not keys.digests_match(found[0], key):
            raise UnauthorizedError("Invalid management key", parameter="Authorization")
        scope = _remember(known, digest, AccountScope(found[1]))
    return scope


def _remember(known: dict[str, S], digest: str, scope: S) -> S:
    """Exact, not a guess: a key is never changed or revoked, nor an Application moved."""
    if len(known) >= KNOWN_KEYS_LIMIT:
        del known[next(iter(known))]
    known[digest] = scope
    return scope


async def list_applications(tx: Transaction, scope: AccountScope) -> list[Application]:
    return await tx.applications.list_for_account(scope.account_id)


async def get_application(tx: Transaction, scope: AccountScope, application_id: int) -> Application:
    application = await tx.applications.get(application_id)
    if application is None or application.account_id != scope.account_id:
        raise NotFoundError(f"There is no Application {application_id}", parameter="applicationId")
    return application
