"""Custom events tracked for a customer."""

from datetime import datetime

from patron.domain import events
from patron.domain.attribute_definitions import check_attributes
from patron.domain.attributes import Attributes
from patron.domain.events import Event
from patron.domain.profiles import update_profile
from patron.domain.tenancy import ApplicationScope
from patron.services._profiles import load_profile, save_profile
from patron.services.attributes import load_schemas
from patron.services.results import IntegrationState
from patron.store.unit_of_work import UnitOfWork


def track_event(
    uow: UnitOfWork,
    scope: ApplicationScope,
    *,
    profile_id: str,
    event_type: str,
    attributes: Attributes,
    store_integration_id: str | None = None,
    now: datetime,
    dry: bool = False,
) -> IntegrationState:
    """Record a custom event; it creates the profile if needed and counts as activity (SEMANTICS 12)."""
    events.check_custom_event_type(event_type)
    event = Event(
        id=0,
        application_id=scope.application_id,
        profile_id=profile_id,
        type=event_type,
        created=now,
        attributes=attributes,
        store_integration_id=store_integration_id,
    )
    with uow:
        schemas = load_schemas(uow, scope, event_type=event_type)
        check_attributes(schemas.event, attributes, pointer="/attributes")
        if not dry:
            uow.lock_profiles(scope.account_id, scope.sandbox, [profile_id])
        loaded = load_profile(uow, scope, profile_id, now=now)
        profile = update_profile(loaded.profile, activity_at=now)
        if dry:
            return IntegrationState(profile=profile, event=event)
        profile = save_profile(uow, scope, profile, is_new=loaded.is_new)
        event = uow.events.add(event, profile_pk=profile.id)
        uow.commit()
    return IntegrationState(profile=profile, event=event)
