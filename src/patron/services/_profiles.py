"""Loading and storing the profile a call acts on: shared by sessions, profiles and events."""

from dataclasses import dataclass
from datetime import datetime

from patron.domain.profiles import CustomerProfile, new_profile
from patron.domain.tenancy import ApplicationScope
from patron.store import locks
from patron.store.database import Transaction


@dataclass(frozen=True, slots=True)
class LoadedProfile:
    profile: CustomerProfile
    is_new: bool


async def load_profile(
    tx: Transaction, scope: ApplicationScope, integration_id: str, *, now: datetime, memberships: bool = True
) -> LoadedProfile:
    """The profile of this environment with that integration id, or a new one (not yet stored).

    Locked first when the transaction writes. `memberships`: also read its audiences, for an
    answer that shows the profile.
    """
    await tx.lock(locks.profile(scope.account_id, scope.sandbox, integration_id))
    stored = await tx.profiles.get(
        account_id=scope.account_id,
        sandbox=scope.sandbox,
        integration_id=integration_id,
        memberships=memberships,
    )
    if stored is not None:
        return LoadedProfile(stored, is_new=False)
    fresh = new_profile(
        account_id=scope.account_id, sandbox=scope.sandbox, integration_id=integration_id, now=now
    )
    return LoadedProfile(fresh, is_new=True)


async def save_profile(
    tx: Transaction, scope: ApplicationScope, loaded: LoadedProfile, profile: CustomerProfile, *, seen: bool
) -> CustomerProfile:
    """Insert or update the profile; `seen`: record that the calling Application has seen it (1.5)."""
    if loaded.is_new:
        profile = await tx.profiles.add(profile)
    else:
        await tx.profiles.save(profile)
    if seen:
        await tx.profiles.link_application(scope.application_id, profile.id)
    return profile
