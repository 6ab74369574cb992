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
from patron.store import locks
from patron.store.database import Transaction


async def update_customer_profile(
    tx: Transaction,
    scope: ApplicationScope,
    integration_id: str,
    *,
    new_attributes: Attributes | None,
    audiences_changes: AudiencesChanges | None = None,
    run_rule_engine: bool,
    now: datetime,
) -> IntegrationState:
    """Create or update a profile (SEMANTICS 5.2); in a read-only transaction, a dry evaluation.

    Only with the rule engine does the call count as activity, and only then can it be dry.
    """
    await attributes.check(
        tx, scope, lambda schemas: check_attributes(schemas.profile, new_attributes, pointer="/attributes")
    )
    await audiences.check_changes(tx, scope, audiences_changes)
    loaded = await load_profile(tx, scope, integration_id, now=now)
    profile = update_profile(
        loaded.profile, attributes=new_attributes, activity_at=now if run_rule_engine else None
    )
    event_type = events.PROFILE_CREATED if loaded.is_new else events.PROFILE_UPDATED
    event = Event(
        id=0, application_id=scope.application_id, profile_id=integration_id, type=event_type, created=now
    )
    if tx.read_only:
        return IntegrationState(profile=profile, event=event)
    profile = await save_profile(tx, scope, loaded, profile, seen=True)
    profile = await audiences.apply_changes(tx, profile, audiences_changes, now=now)
    if run_rule_engine:
        event = await tx.events.add(event, profile_pk=profile.id)
    return IntegrationState(profile=profile, event=event)


@dataclass(frozen=True, slots=True)
class ProfileChange:
    integration_id: str
    attributes: Attributes | None = None


async def update_customer_profiles(
    tx: Transaction, scope: ApplicationScope, changes: Sequence[ProfileChange], *, now: datetime
) -> list[CustomerProfile]:
    """Upsert many profiles in request order, all or nothing; never runs the rule engine (SEMANTICS 13)."""

    def check(schemas: attributes.Schemas) -> None:
        for index, change in enumerate(changes):
            check_attributes(
                schemas.profile, change.attributes, pointer=f"/customerProfiles/{index}/attributes"
            )

    await attributes.check(tx, scope, check)
    await tx.lock(
        *locks.profiles(scope.account_id, scope.sandbox, [change.integration_id for change in changes])
    )
    result: list[CustomerProfile] = []
    for change in changes:
        loaded = await load_profile(tx, scope, change.integration_id, now=now)
        profile = update_profile(loaded.profile, attributes=change.attributes)
        result.append(await save_profile(tx, scope, loaded, profile, seen=True))
    return result
