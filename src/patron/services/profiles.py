"""Customer profiles: single and bulk updates."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from patron.domain import events
from patron.domain.attributes import Attributes
from patron.domain.events import Event
from patron.domain.profiles import CustomerProfile, update_profile
from patron.domain.tenancy import ApplicationScope
from patron.errors import InvalidInputError
from patron.services._profiles import load_profile, save_profile
from patron.services.results import IntegrationState
from patron.store.unit_of_work import UnitOfWork


@dataclass(frozen=True, slots=True)
class AudiencesChanges:
    adds: tuple[int, ...] = ()
    deletes: tuple[int, ...] = ()


def update_customer_profile(
    uow: UnitOfWork,
    scope: ApplicationScope,
    integration_id: str,
    *,
    attributes: Attributes | None,
    audiences_changes: AudiencesChanges | None = None,
    run_rule_engine: bool,
    dry: bool,
    now: datetime,
) -> IntegrationState:
    """Create or update a profile (SEMANTICS 5.2).

    Only with the rule engine does the call count as activity, and only then can it be dry.
    """
    dry = dry and run_rule_engine
    with uow:
        if not dry:
            uow.lock_profiles(scope.account_id, scope.sandbox, [integration_id])
        loaded = load_profile(uow, scope, integration_id, now=now)
        _check_audiences(audiences_changes)
        profile = update_profile(
            loaded.profile, attributes=attributes, activity_at=now if run_rule_engine else None
        )
        event_type = events.PROFILE_CREATED if loaded.is_new else events.PROFILE_UPDATED
        event = Event(
            id=0, application_id=scope.application_id, profile_id=integration_id, type=event_type, created=now
        )
        if dry:
            return IntegrationState(profile=profile, event=event)
        profile = save_profile(uow, scope, profile, is_new=loaded.is_new)
        if run_rule_engine:
            event = uow.events.add(event, profile_pk=profile.id)
        uow.commit()
    return IntegrationState(profile=profile, event=event)


@dataclass(frozen=True, slots=True)
class ProfileChange:
    integration_id: str
    attributes: Attributes | None = None


def update_customer_profiles(
    uow: UnitOfWork, scope: ApplicationScope, changes: Sequence[ProfileChange], *, now: datetime
) -> list[CustomerProfile]:
    """Upsert many profiles in request order, all or nothing; never runs the rule engine (SEMANTICS 13)."""
    with uow:
        uow.lock_profiles(scope.account_id, scope.sandbox, [change.integration_id for change in changes])
        result: list[CustomerProfile] = []
        for change in changes:
            loaded = load_profile(uow, scope, change.integration_id, now=now)
            profile = update_profile(loaded.profile, attributes=change.attributes)
            result.append(save_profile(uow, scope, profile, is_new=loaded.is_new))
        uow.commit()
    return result


def _check_audiences(changes: AudiencesChanges | None) -> None:
    """Audiences are not stored yet, so every audience id named is unknown (SEMANTICS 14.6)."""
    if changes is None:
        return
    for name, ids in (("adds", changes.adds), ("deletes", changes.deletes)):
        if ids:
            raise InvalidInputError(
                f"There is no audience {ids[0]} in this environment", pointer=f"/audiencesChanges/{name}/0"
            )
