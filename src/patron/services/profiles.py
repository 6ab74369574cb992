"""Customer profiles: single and bulk updates."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from patron.domain import events
from patron.domain.attribute_definitions import check_attributes
from patron.domain.attributes import Attributes
from patron.domain.events import Event
from patron.domain.profiles import CustomerProfile, update_profile
from patron.domain.tenancy import ApplicationScope
from patron.services import attributes, audiences
from patron.services._profiles import load_profile, save_profile
from patron.services.audiences import AudiencesChanges
from patron.services.results import IntegrationState
from patron.store.unit_of_work import UnitOfWork


def update_customer_profile(
    uow: UnitOfWork,
    scope: ApplicationScope,
    integration_id: str,
    *,
    new_attributes: Attributes | None,
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
        check_attributes(attributes.load_schemas(uow, scope).profile, new_attributes, pointer="/attributes")
        audiences.check_changes(uow, scope, audiences_changes)
        loaded = load_profile(uow, scope, integration_id, now=now)
        profile = update_profile(
            loaded.profile, attributes=new_attributes, activity_at=now if run_rule_engine else None
        )
        event_type = events.PROFILE_CREATED if loaded.is_new else events.PROFILE_UPDATED
        event = Event(
            id=0, application_id=scope.application_id, profile_id=integration_id, type=event_type, created=now
        )
        if dry:
            return IntegrationState(profile=profile, event=event)
        profile = save_profile(uow, scope, profile, is_new=loaded.is_new)
        profile = audiences.apply_changes(uow, profile, audiences_changes, now=now)
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
        schema = attributes.load_schemas(uow, scope).profile
        for index, change in enumerate(changes):
            check_attributes(schema, change.attributes, pointer=f"/customerProfiles/{index}/attributes")
        uow.lock_profiles(scope.account_id, scope.sandbox, [change.integration_id for change in changes])
        result: list[CustomerProfile] = []
        for change in changes:
            loaded = load_profile(uow, scope, change.integration_id, now=now)
            profile = update_profile(loaded.profile, attributes=change.attributes)
            result.append(save_profile(uow, scope, profile, is_new=loaded.is_new))
        uow.commit()
    return result
