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
from patron.store.paging import Found, PageRequest
from patron.store.unit_of_work import UnitOfWork


@dataclass(frozen=True, slots=True)
class AudiencesChanges:
    adds: tuple[int, ...] = ()
    deletes: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class MembershipAction:
    action: str  # "add" or "delete"
    profile_integration_id: str
    audience_id: int


def create_audience(uow: UnitOfWork, scope: ApplicationScope, audience: Audience) -> Audience:
    """Create an audience in the key's environment; a mirrored one must be new to its platform (14.2)."""
    if audience.sandbox != scope.sandbox:
        raise InvalidInputError("sandbox must match the environment of the API key", pointer="/sandbox")
    with uow:
        if audience.integration_id is not None:
            uow.lock_audience_name(scope.account_id, audience.integration or "", audience.integration_id)
            if uow.audiences.find_mirrored(
                scope.account_id, scope.sandbox, audience.integration, audience.integration_id
            ):
                raise ConflictError(
                    f"An audience with integrationId {audience.integration_id!r} already exists",
                    pointer="/integrationId",
                )
        created = uow.audiences.add(replace(audience, account_id=scope.account_id))
        uow.commit()
    return created


def update_audience(
    uow: UnitOfWork,
    scope: ApplicationScope,
    audience_id: int,
    *,
    name: str,
    subscribed: tuple[int, ...] | None,
) -> Audience:
    with uow:
        uow.lock_audience(audience_id)
        audience = _audience(uow, scope, audience_id)
        changed = replace(
            audience,
            name=name,
            subscribed_applications_ids=audience.subscribed_applications_ids
            if subscribed is None
            else subscribed,
        )
        uow.audiences.save(changed)
        uow.commit()
    return changed


def delete_audience(uow: UnitOfWork, scope: ApplicationScope, audience_id: int) -> None:
    """Delete the audience; its members lose it at once (14.4)."""
    with uow:
        uow.lock_audience(audience_id)
        _audience(uow, scope, audience_id)
        uow.audiences.delete(audience_id)
        uow.commit()


def delete_audience_memberships(
    uow: UnitOfWork, scope: ApplicationScope, audience_id: int, *, now: datetime
) -> None:
    with uow:
        uow.lock_audience(audience_id)
        audience = _audience(uow, scope, audience_id)
        uow.audiences.remove_all_members(audience_id)
        uow.audiences.save(replace(audience, last_update=now))
        uow.commit()


def update_customer_profile_audiences(
    uow: UnitOfWork, scope: ApplicationScope, actions: list[MembershipAction], *, now: datetime
) -> None:
    """Apply up to 1000 joins and leaves, all or nothing; unknown audiences reject the batch (14.7).

    A profile created here is seen by no Application until a session or profile update names it.
    """
    with uow:
        audience_ids = sorted({action.audience_id for action in actions})
        for audience_id in audience_ids:
            uow.lock_audience(audience_id)
            _audience(uow, scope, audience_id)
        uow.lock_profiles(scope.account_id, scope.sandbox, [a.profile_integration_id for a in actions])
        for action in actions:
            profile = _profile(
                uow, scope, action.profile_integration_id, create=action.action == "add", now=now
            )
            if profile is None:
                continue
            if action.action == "add":
                uow.audiences.add_member(action.audience_id, profile.id, now=now)
            else:
                uow.audiences.remove_member(action.audience_id, profile.id)
        for audience_id in audience_ids:
            audience = uow.audiences.get(audience_id)
            assert audience is not None
            uow.audiences.save(replace(audience, last_update=now))
        uow.commit()


def update_audience_customers_attributes(
    uow: UnitOfWork, scope: ApplicationScope, audience_id: int, new_attributes: Attributes
) -> None:
    """Merge these attributes into every member's profile; no rule engine, no lastActivity (14.8)."""
    with uow:
        check_attributes(attributes.load_schemas(uow, scope).profile, new_attributes, pointer="")
        uow.lock_audience(audience_id)
        _audience(uow, scope, audience_id)
        members = [uow.profiles.get_by_id(profile_id) for profile_id in uow.audiences.member_ids(audience_id)]
        profiles = [profile for profile in members if profile is not None]
        uow.lock_profiles(scope.account_id, scope.sandbox, [profile.integration_id for profile in profiles])
        for profile in profiles:
            uow.profiles.save(update_profile(profile, attributes=new_attributes))
        uow.commit()


def check_changes(uow: UnitOfWork, scope: ApplicationScope, changes: AudiencesChanges | None) -> None:
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
            if _find(uow, scope.account_id, scope.sandbox, audience_id) is None:
                raise InvalidInputError(
                    f"There is no audience {audience_id} in this environment",
                    pointer=f"/audiencesChanges/{name}/{index}",
                )


def apply_changes(
    uow: UnitOfWork, profile: CustomerProfile, changes: AudiencesChanges | None, *, now: datetime
) -> CustomerProfile:
    """Join and leave audiences (idempotently) inside an open unit of work; the profile, refreshed."""
    if changes is not None:
        for audience_id in changes.adds:
            uow.audiences.add_member(audience_id, profile.id, now=now)
        for audience_id in changes.deletes:
            uow.audiences.remove_member(audience_id, profile.id)
        for audience_id in (*changes.adds, *changes.deletes):
            audience = uow.audiences.get(audience_id)
            if audience is not None:
                uow.audiences.save(replace(audience, last_update=now))
    return replace(profile, audience_memberships=uow.audiences.memberships_of([profile.id])[profile.id])


def list_audiences(uow: UnitOfWork, scope: AccountScope) -> list[Audience]:
    with uow:
        return uow.audiences.list_for_account(scope.account_id)


def _audience(uow: UnitOfWork, scope: ApplicationScope, audience_id: int) -> Audience:
    audience = _find(uow, scope.account_id, scope.sandbox, audience_id)
    if audience is None:
        raise NotFoundError(f"There is no audience {audience_id} in this environment", parameter="audienceId")
    return audience


def _find(uow: UnitOfWork, account_id: int, sandbox: bool, audience_id: int) -> Audience | None:
    audience = uow.audiences.get(audience_id)
    if audience is None or audience.account_id != account_id or audience.sandbox != sandbox:
        return None
    return audience


def _profile(
    uow: UnitOfWork, scope: ApplicationScope, integration_id: str, *, create: bool, now: datetime
) -> CustomerProfile | None:
    stored = uow.profiles.get(
        account_id=scope.account_id, sandbox=scope.sandbox, integration_id=integration_id
    )
    if stored is not None or not create:
        return stored
    fresh = new_profile(
        account_id=scope.account_id, sandbox=scope.sandbox, integration_id=integration_id, now=now
    )
    return uow.profiles.add(fresh)


@dataclass(frozen=True, slots=True)
class ImportRecord:
    id: int
    created: datetime
    account_id: int
    entity: str
    amount: int


def get_audience_memberships(
    uow: UnitOfWork,
    scope: AccountScope,
    audience_id: int,
    *,
    profile_query: str | None,
    sort: str | None,
    page: PageRequest,
) -> Found[CustomerProfile]:
    """The members of one of the account's audiences, with their current audiences (17.8)."""
    with uow:
        _account_audience(uow, scope, audience_id)
        found = uow.memberships.members(audience_id, profile_query=profile_query, sort=sort, page=page)
        shown = uow.audiences.memberships_of(profile.id for profile in found.items)
    return replace(found, items=[replace(p, audience_memberships=shown[p.id]) for p in found.items])


def export_audience_memberships(uow: UnitOfWork, scope: AccountScope, audience_id: int) -> list[str]:
    """The members' integration ids, oldest profile first."""
    with uow:
        _account_audience(uow, scope, audience_id)
        return list(uow.memberships.member_integration_ids(audience_id))


def import_audience_memberships(
    uow: UnitOfWork, scope: AccountScope, audience_id: int, integration_ids: list[str], *, now: datetime
) -> ImportRecord:
    """Replace the member list with these profiles, creating missing ones in the audience's environment."""
    with uow:
        uow.lock_audience(audience_id)
        audience = _account_audience(uow, scope, audience_id)
        environment = ApplicationScope(scope.account_id, 0, audience.sandbox)
        wanted = list(dict.fromkeys(integration_ids))
        uow.lock_profiles(scope.account_id, audience.sandbox, wanted)
        uow.audiences.remove_all_members(audience_id)
        for integration_id in wanted:
            profile = _profile(uow, environment, integration_id, create=True, now=now)
            assert profile is not None
            uow.audiences.add_member(audience_id, profile.id, now=now)
        uow.audiences.save(replace(audience, last_update=now))
        import_id = uow.memberships.record_import(scope.account_id, _IMPORTED_ENTITY, len(wanted), now=now)
        uow.commit()
    return ImportRecord(import_id, now, scope.account_id, _IMPORTED_ENTITY, len(wanted))


_IMPORTED_ENTITY = "AudienceMembership"


def _account_audience(uow: UnitOfWork, scope: AccountScope, audience_id: int) -> Audience:
    audience = uow.audiences.get(audience_id)
    if audience is None or audience.account_id != scope.account_id:
        raise NotFoundError(f"There is no audience {audience_id}", parameter="audienceId")
    return audience
