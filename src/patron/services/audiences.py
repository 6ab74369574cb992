"""Audiences and their memberships, from the Integration and Management APIs (SEMANTICS 14, 17.8)."""

from dataclasses import dataclass, replace
from datetime import datetime

from patron.domain.attribute_definitions import check_attributes
from patron.domain.attributes import Attributes
from patron.domain.audiences import Audience
from patron.domain.profiles import CustomerProfile, new_profile, update_profile
from patron.domain.tenancy import AccountScope, ApplicationScope
from patron.errors import ConflictError, InvalidInputError, NotFoundError
from patron.services import attributes
from patron.store import locks
from patron.store.database import Transaction
from patron.store.paging import Found, PageRequest


@dataclass(frozen=True, slots=True)
class AudiencesChanges:
    adds: tuple[int, ...] = ()
    deletes: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class MembershipAction:
    action: str  # "add" or "delete"
    profile_integration_id: str
    audience_id: int


async def create_audience(tx: Transaction, scope: ApplicationScope, audience: Audience) -> Audience:
    """Create an audience in the key's environment; a mirrored one must be new to its platform (14.2)."""
    if audience.sandbox != scope.sandbox:
        raise InvalidInputError("sandbox must match the environment of the API key", pointer="/sandbox")
    if audience.integration_id is not None:
        await tx.lock(
            locks.audience_name(scope.account_id, audience.integration or "", audience.integration_id)
        )
        if await tx.audiences.find_mirrored(
            scope.account_id, scope.sandbox, audience.integration, audience.integration_id
        ):
            raise ConflictError(
                f"An audience with integrationId {audience.integration_id!r} already exists",
                pointer="/integrationId",
            )
    return await tx.audiences.add(replace(audience, account_id=scope.account_id))


async def update_audience(
    tx: Transaction,
    scope: ApplicationScope,
    audience_id: int,
    *,
    name: str,
    subscribed: tuple[int, ...] | None,
) -> Audience:
    await tx.lock(locks.audience(audience_id))
    audience = await _audience(tx, scope, audience_id)
    changed = replace(
        audience,
        name=name,
        subscribed_applications_ids=audience.subscribed_applications_ids
        if subscribed is None
        else subscribed,
    )
    await tx.audiences.save(changed)
    return changed


async def delete_audience(tx: Transaction, scope: ApplicationScope, audience_id: int) -> None:
    """Delete the audience; its members lose it at once (14.4)."""
    await tx.lock(locks.audience(audience_id))
    await _audience(tx, scope, audience_id)
    await tx.audiences.delete(audience_id)


async def delete_audience_memberships(
    tx: Transaction, scope: ApplicationScope, audience_id: int, *, now: datetime
) -> None:
    await tx.lock(locks.audience(audience_id))
    await _audience(tx, scope, audience_id)
    await tx.audiences.remove_all_members(audience_id)
    await tx.audiences.touch(audience_id, now=now)


async def update_customer_profile_audiences(
    tx: Transaction, scope: ApplicationScope, actions: list[MembershipAction], *, now: datetime
) -> None:
    """Apply up to 1000 joins and leaves, all or nothing; unknown audiences reject the batch (14.7).

    A profile created here is seen by no Application until a session or profile update names it.
    """
    audience_ids = sorted({action.audience_id for action in actions})
    await tx.lock(*(locks.audience(audience_id) for audience_id in audience_ids))
    for audience_id in audience_ids:
        await _audience(tx, scope, audience_id)
    await tx.lock(
        *locks.profiles(scope.account_id, scope.sandbox, [a.profile_integration_id for a in actions])
    )
    for action in actions:
        profile = await _profile(
            tx, scope, action.profile_integration_id, create=action.action == "add", now=now
        )
        if profile is None:
            continue
        if action.action == "add":
            await tx.audiences.add_member(action.audience_id, profile.id, now=now)
        else:
            await tx.audiences.remove_member(action.audience_id, profile.id)
    for audience_id in audience_ids:
        await tx.audiences.touch(audience_id, now=now)


async def update_audience_customers_attributes(
    tx: Transaction, scope: ApplicationScope, audience_id: int, new_attributes: Attributes
) -> None:
    """Merge these attributes into every member's profile; no rule engine, no lastActivity (14.8)."""
    await attributes.check(
        tx, scope, lambda schemas: check_attributes(schemas.profile, new_attributes, pointer="")
    )
    await tx.lock(locks.audience(audience_id))
    await _audience(tx, scope, audience_id)
    members = [
        await tx.profiles.get_by_id(profile_id) for profile_id in await tx.audiences.member_ids(audience_id)
    ]
    profiles = [profile for profile in members if profile is not None]
    await tx.lock(
        *locks.profiles(scope.account_id, scope.sandbox, [profile.integration_id for profile in profiles])
    )
    for profile in profiles:
        await tx.profiles.save(update_profile(profile, attributes=new_attributes))


async def check_changes(tx: Transaction, scope: ApplicationScope, changes: AudiencesChanges | None) -> None:
    """`audiencesChanges` of a profile update: every id must be an audience of this environment (14.6)."""
    if changes is None:
        return
    both = set(changes.adds) & set(changes.deletes)
    if both:
        raise InvalidInputError(
            f"Audience {min(both)} is both added and deleted", pointer="/audiencesChanges"
        )
    for name, ids in (("adds", changes.adds), ("deletes", changes.deletes)):
        for index, audience_id in enumerate(ids):
            if await _find(tx, scope.account_id, scope.sandbox, audience_id) is None:
                raise InvalidInputError(
                    f"There is no audience {audience_id} in this environment",
                    pointer=f"/audiencesChanges/{name}/{index}",
                )


async def apply_changes(
    tx: Transaction, profile: CustomerProfile, changes: AudiencesChanges | None, *, now: datetime
) -> CustomerProfile:
    """Join and leave audiences (idempotently); the profile, with its audiences as they are now."""
    if changes is not None:
        for audience_id in changes.adds:
            await tx.audiences.add_member(audience_id, profile.id, now=now)
        for audience_id in changes.deletes:
            await tx.audiences.remove_member(audience_id, profile.id)
        for audience_id in (*changes.adds, *changes.deletes):
            await tx.audiences.touch(audience_id, now=now)
    memberships = await tx.audiences.memberships_of([profile.id])
    return replace(profile, audience_memberships=memberships[profile.id])


async def list_audiences(tx: Transaction, scope: AccountScope) -> list[Audience]:
    return await tx.audiences.list_for_account(scope.account_id)


async def _audience(tx: Transaction, scope: ApplicationScope, audience_id: int) -> Audience:
    audience = await _find(tx, scope.account_id, scope.sandbox, audience_id)
    if audience is None:
        raise NotFoundError(f"There is no audience {audience_id} in this environment", parameter="audienceId")
    return audience


async def _find(tx: Transaction, account_id: int, sandbox: bool, audience_id: int) -> Audience | None:
    audience = await tx.audiences.get(audience_id)
    if audience is None or audience.account_id != account_id or audience.sandbox != sandbox:
        return None
    return audience


async def _profile(
    tx: Transaction, scope: ApplicationScope, integration_id: str, *, create: bool, now: datetime
) -> CustomerProfile | None:
    stored = await tx.profiles.get(
        account_id=scope.account_id, sandbox=scope.sandbox, integration_id=integration_id
    )
    if stored is not None or not create:
        return stored
    fresh = new_profile(
        account_id=scope.account_id, sandbox=scope.sandbox, integration_id=integration_id, now=now
    )
    return await tx.profiles.add(fresh)


@dataclass(frozen=True, slots=True)
class ImportRecord:
    id: int
    created: datetime
    account_id: int
    entity: str
    amount: int


async def get_audience_memberships(
    tx: Transaction,
    scope: AccountScope,
    audience_id: int,
    *,
    profile_query: str | None,
    sort: str | None,
    page: PageRequest,
) -> Found[CustomerProfile]:
    """The members of one of the account's audiences, with their current audiences (17.8)."""
    await _account_audience(tx, scope, audience_id)
    found = await tx.memberships.members(audience_id, profile_query=profile_query, sort=sort, page=page)
    shown = await tx.audiences.memberships_of(profile.id for profile in found.items)
    return replace(found, items=[replace(p, audience_memberships=shown[p.id]) for p in found.items])


async def export_audience_memberships(tx: Transaction, scope: AccountScope, audience_id: int) -> list[str]:
    """The members' integration ids, oldest profile first."""
    await _account_audience(tx, scope, audience_id)
    return [member async for member in tx.memberships.member_integration_ids(audience_id)]


async def import_audience_memberships(
    tx: Transaction, scope: AccountScope, audience_id: int, integration_ids: list[str], *, now: datetime
) -> ImportRecord:
    """Replace the member list with these profiles, creating missing ones in the audience's environment."""
    await tx.lock(locks.audience(audience_id))
    audience = await _account_audience(tx, scope, audience_id)
    environment = ApplicationScope(scope.account_id, 0, audience.sandbox)
    wanted = list(dict.fromkeys(integration_ids))
    await tx.lock(*locks.profiles(scope.account_id, audience.sandbox, wanted))
    await tx.audiences.remove_all_members(audience_id)
    for integration_id in wanted:
        profile = await _profile(tx, environment, integration_id, create=True, now=now)
        assert profile is not None
        await tx.audiences.add_member(audience_id, profile.id, now=now)
    await tx.audiences.touch(audience_id, now=now)
    import_id = await tx.memberships.record_import(scope.account_id, _IMPORTED_ENTITY, len(wanted), now=now)
    return ImportRecord(import_id, now, scope.account_id, _IMPORTED_ENTITY, len(wanted))


_IMPORTED_ENTITY = "AudienceMembership"


async def _account_audience(tx: Transaction, scope: AccountScope, audience_id: int) -> Audience:
    audience = await tx.audiences.get(audience_id)
    if audience is None or audience.account_id != scope.account_id:
        raise NotFoundError(f"There is no audience {audience_id}", parameter="audienceId")
    return audience
