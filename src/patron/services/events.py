"""Custom events tracked for a customer."""

from datetime import datetime

from patron.domain import events
from patron.domain.attribute_definitions import check_attributes
from patron.domain.attributes import Attributes
from patron.domain.events import Event
from patron.domain.profiles import update_profile
from patron.domain.tenancy import ApplicationScope
from patron.services import attributes as attribute_service
from patron.services._profiles import load_profile, save_profile
from patron.services.results import IntegrationState
from patron.store.database import Transaction


async def track_event(
    tx: Transaction,
    scope: ApplicationScope,
    *,
    profile_id: str,
    event_type: str,
    attributes: Attributes,
    store_integration_id: str | None = None,
    now: datetime,
) -> IntegrationState:
    """Record a custom event; it creates the profile if needed and counts as activity (SEMANTICS 12).

    In a read-only transaction, a dry evaluation.
    """
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
    await attribute_service.check(
        tx,
        scope,
        lambda schemas: check_attributes(schemas.event, attributes, pointer="/attributes"),
        event_type=event_type,
    )
    loaded = await load_profile(tx, scope, profile_id, now=now)
    profile = update_profile(loaded.profile, activity_at=now)
    if tx.read_only:
        return IntegrationState(profile=profile, event=event)
    profile = await save_profile(tx, scope, loaded, profile, seen=True)
    return IntegrationState(profile=profile, event=await tx.events.add(event, profile_pk=profile.id))
