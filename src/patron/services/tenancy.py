"""Accounts, Applications and the credentials that act on them."""

import threading
from dataclasses import dataclass
from datetime import datetime
from typing import Generic, TypeVar

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
from patron.store.unit_of_work import UnitOfWork

S = TypeVar("S", ApplicationScope, AccountScope)


@dataclass(frozen=True, slots=True)
class NewAccount:
    account: Account
    management_key: str


@dataclass(frozen=True, slots=True)
class NewApplication:
    application: Application
    api_key: str


def create_account(uow: UnitOfWork, name: str, *, now: datetime) -> NewAccount:
    management_key = keys.new_key()
    with uow:
        account = uow.accounts.add(Account(id=0, name=name, created=now))
        uow.keys.add_management_key(account.id, keys.digest(management_key), now)
        attributes.seed_built_in_attributes(uow, account.id, now=now)
        uow.commit()
    return NewAccount(account, management_key)


def create_application(
    uow: UnitOfWork,
    *,
    account_id: int,
    name: str,
    sandbox: bool,
    now: datetime,
    currency: str = DEFAULT_CURRENCY,
    timezone: str = DEFAULT_TIMEZONE,
) -> NewApplication:
    api_key = keys.new_key()
    with uow:
        if uow.accounts.get(account_id) is None:
            raise NotFoundError(f"There is no account {account_id}", parameter="accountId")
        application = uow.applications.add(
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
        uow.keys.add_integration_key(application.id, keys.digest(api_key), now)
        uow.commit()
    return NewApplication(application, api_key)


def is_empty(uow: UnitOfWork) -> bool:
    with uow:
        return uow.accounts.count() == 0


class KnownKeys(Generic[S]):
    """The scopes of keys this process has already checked, by the key's digest.

    Exact, not a guess: a key is never changed or revoked, and an Application never moves to
    another account or environment, so a key's scope is the same for as long as the key
    exists. Only keys that were found are remembered; the oldest are forgotten past `limit`.
    """

    def __init__(self, limit: int = 1024) -> None:
        self._scopes: dict[str, S] = {}
        self._limit = limit
        # Worker threads remember while the event loop reads: a read is one dict lookup, but
        # forgetting the oldest walks the dict, so writers take turns.
        self._writing = threading.Lock()

    def get(self, key: str) -> S | None:
        return self._scopes.get(keys.digest(key))

    def remember(self, key: str, scope: S) -> None:
        digest = keys.digest(key)
        with self._writing:
            if digest not in self._scopes and len(self._scopes) >= self._limit:
                del self._scopes[next(iter(self._scopes))]
            self._scopes[digest] = scope


def authenticate_integration_key(
    uow: UnitOfWork, key: str, known: KnownKeys[ApplicationScope] | None = None
) -> ApplicationScope:
    with uow:
        found = uow.keys.application_for_key(keys.digest(key))
    if found is None or not keys.digests_match(found[0], key):
        raise UnauthorizedError("Invalid API key", parameter="Authorization")
    application = found[1]
    scope = ApplicationScope(application.account_id, application.id, application.sandbox)
    if known is not None:
        known.remember(key, scope)
    return scope


def authenticate_management_key(
    uow: UnitOfWork, key: str, known: KnownKeys[AccountScope] | None = None
) -> AccountScope:
    with uow:
        found = uow.keys.account_for_key(keys.digest(key))
    if found is None or not keys.digests_match(found[0], key):
        raise UnauthorizedError("Invalid management key", parameter="Authorization")
    scope = AccountScope(found[1])
    if known is not None:
        known.remember(key, scope)
    return scope


def list_applications(uow: UnitOfWork, scope: AccountScope) -> list[Application]:
    with uow:
        return uow.applications.list_for_account(scope.account_id)


def get_application(uow: UnitOfWork, scope: AccountScope, application_id: int) -> Application:
    with uow:
        application = uow.applications.get(application_id)
    if application is None or application.account_id != scope.account_id:
        raise NotFoundError(f"There is no Application {application_id}", parameter="applicationId")
    return application
