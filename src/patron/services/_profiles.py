"""Loading and storing the profile a call acts on: shared by sessions, profiles and events."""

from dataclasses import dataclass, replace
from datetime import datetime

from patron.domain.profiles import CustomerProfile, new_profile
from patron.domain.tenancy import ApplicationScope
from patron.store.unit_of_work import UnitOfWork


@dataclass(frozen=True, slots=True)
class LoadedProfile:
    profile: CustomerProfile
    is_new: bool


def load_profile(
    uow: UnitOfWork, scope: ApplicationScope, integration_id: str, *, now: datetime
) -> LoadedProfile:
    """The profile of this environment with that integration id, or a new one (not yet stored)."""
    stored = uow.profiles.get(
        account_id=scope.account_id, sandbox=scope.sandbox, integration_id=integration_id
    )
    if stored is not None:
        memberships = uow.audiences.memberships_of([stored.id])[stored.id]
        return LoadedProfile(replace(stored, audience_memberships=memberships), is_new=False)
    fresh = new_profile(
        account_id=scope.account_id, sandbox=scope.sandbox, integration_id=integration_id, now=now
    )
    return LoadedProfile(fresh, is_new=True)


def save_profile(
    uow: UnitOfWork, scope: ApplicationScope, profile: CustomerProfile, *, is_new: bool, seen: bool = True
) -> CustomerProfile:
    """Insert or update the profile; `seen` records that the calling Application has seen it."""
    if is_new:
        profile = uow.profiles.add(profile)
    else:
        uow.profiles.save(profile)
    if seen:
        uow.profiles.link_application(scope.application_id, profile.id)
    return profile
