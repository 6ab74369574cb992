"""Deleting a customer's data from every Application of one environment (SEMANTICS 15)."""

from patron.domain.tenancy import ApplicationScope
from patron.errors import NotFoundError
from patron.store import erasure, locks
from patron.store.database import Transaction


async def delete_customer_data(tx: Transaction, scope: ApplicationScope, integration_id: str) -> None:
    """Remove the profile; its sessions, events and returns stay, blanked and detached.

    A later call with the same integration id makes a brand-new profile.
    """
    await tx.lock(locks.profile(scope.account_id, scope.sandbox, integration_id))
    profile = await tx.profiles.get(
        account_id=scope.account_id, sandbox=scope.sandbox, integration_id=integration_id
    )
    if profile is None:
        raise NotFoundError(
            f"There is no customer profile {integration_id!r} in this environment", parameter="integrationId"
        )
    await erasure.erase_profile(tx, profile.id, integration_id)
