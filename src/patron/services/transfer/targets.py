"""The account or Application an export or import names, checked before any row is read or written."""

from patron.domain.tenancy import Application
from patron.errors import InvalidInputError, NotFoundError
from patron.store.database import Transaction


async def account(tx: Transaction, account_id: int | None) -> int:
    """The account named, or the only one when none is named."""
    if account_id is None:
        accounts = await tx.accounts.count()
        if accounts != 1:
            raise InvalidInputError(f"The database holds {accounts} accounts: name one with --account-id")
        return await tx.transfer.sole_account_id()
    if await tx.accounts.get(account_id) is None:
        raise NotFoundError(f"There is no account {account_id}", parameter="accountId")
    return account_id


async def application(tx: Transaction, application_id: int, *, account_id: int | None = None) -> Application:
    """The Application named; one of another account than `account_id` (when given) is not found."""
    found = await tx.applications.get(application_id)
    if found is None or account_id not in (None, found.account_id):
        raise NotFoundError(f"There is no Application {application_id}", parameter="applicationId")
    return found
